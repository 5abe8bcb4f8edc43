// Whether a call or screen recording is kept: the tenant's ordered rules, first enabled match wins; none = record.
// Called at ingest (src/conversations/ingest) and by the recorder at call start (src/recorder), so it takes only the
// database and is deterministic: the same call gets the same answer in both places (samples hash the call reference).
import { createHash } from 'node:crypto';
import type { Executor } from '../../platform/db/index.ts';
import type { RecordingPoliciesTable } from '../../platform/db/schema.ts';
import { listPolicies } from './repository.ts';

export interface RecordingCall {
  kind: 'call' | 'screen';
  /** The call's external id (SIP Call-ID / the ingest's callId); samples are drawn from its hash. */
  callRef: string;
  /** Every party's number or extension, in any format. */
  numbers: string[];
  agentUserIds: string[];
  queue: string | null;
  direction: string;
  /** Null while the call is still running: duration rules do not match yet. */
  durationMs: number | null;
}

export interface RecordingDecision {
  record: boolean;
  ruleId: string | null;
  ruleName: string;
  reason: string;
}

export type PolicyAction = 'record' | 'sample' | 'skip';
export type PolicyScope = 'call' | 'screen' | 'all';

/** A rule as the decision reads it (the row with its JSON lists parsed). */
export interface PolicyRule {
  id: string;
  name: string;
  enabled: boolean;
  appliesTo: PolicyScope;
  action: PolicyAction;
  samplePercent: number | null;
  numbers: string[];
  agentUserIds: string[];
  queues: string[];
  directions: string[];
  shorterThanSeconds: number | null;
}

export const DEFAULT_RULE_NAME = 'Record all (default)';

const list = (text: unknown): string[] => {
  if (Array.isArray(text)) return text.map(String);
  try {
    const v = JSON.parse(String(text ?? '[]'));
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

export function ruleOf(row: RecordingPoliciesTable): PolicyRule {
  return {
    id: row.id,
    name: row.name,
    enabled: Boolean(row.enabled),
    appliesTo: row.applies_to as PolicyScope,
    action: row.action as PolicyAction,
    samplePercent: row.sample_percent,
    numbers: list(row.numbers),
    agentUserIds: list(row.agent_user_ids),
    queues: list(row.queues),
    directions: list(row.directions),
    shorterThanSeconds: row.shorter_than_s,
  };
}

export async function decideRecording(db: Executor, tenantId: string, call: RecordingCall): Promise<RecordingDecision> {
  const rows = await listPolicies(db, tenantId);
  return decide(rows.map(ruleOf), call);
}

/** The bucket 0 ≤ b < 100 of a call: a rule sampling p % records the calls whose bucket is below p (so raising p keeps every call sampled before). */
export function sampleBucket(callRef: string): number {
  const h = createHash('sha256').update(callRef, 'utf8').digest();
  return (h.readUInt32BE(0) / 2 ** 32) * 100;
}

/** Digits only: "+1 (555) 010-2030", "+15550102030" and "15550102030" are one number. */
const digits = (s: string) => s.replace(/\D/g, '');

/** A number pattern: digits, optionally ending with * for a prefix ("+3312*" = every number starting 3312). */
export function numberMatches(pattern: string, number: string): boolean {
  const p = pattern.trim();
  const n = digits(number);
  if (!n) return false;
  if (p.endsWith('*')) {
    const prefix = digits(p.slice(0, -1));
    return prefix.length > 0 && n.startsWith(prefix);
  }
  const exact = digits(p);
  return exact.length > 0 && exact === n;
}

/** Pure: the first enabled rule that matches decides; the reason names what matched. */
export function decide(rules: PolicyRule[], call: RecordingCall): RecordingDecision {
  for (const rule of rules) {
    if (!rule.enabled) continue;
    if (rule.appliesTo !== 'all' && rule.appliesTo !== call.kind) continue;
    const why: string[] = [];
    if (rule.numbers.length) {
      const hit = call.numbers.find((n) => rule.numbers.some((p) => numberMatches(p, n)));
      if (!hit) continue;
      why.push(`number ${hit}`);
    }
    if (rule.agentUserIds.length) {
      const hit = call.agentUserIds.find((a) => rule.agentUserIds.includes(a));
      if (!hit) continue;
      why.push('agent');
    }
    if (rule.queues.length) {
      const q = call.queue?.trim().toLowerCase();
      if (!q || !rule.queues.some((x) => x.trim().toLowerCase() === q)) continue;
      why.push(`queue ${call.queue}`);
    }
    if (rule.directions.length) {
      if (!rule.directions.includes(call.direction)) continue;
      why.push(`${call.direction}`);
    }
    if (rule.shorterThanSeconds !== null) {
      if (call.durationMs === null || call.durationMs >= rule.shorterThanSeconds * 1000) continue;
      why.push(`shorter than ${rule.shorterThanSeconds} s`);
    }
    const matched = why.length ? ` (${why.join(', ')})` : '';
    const what = call.kind === 'screen' ? 'screen recording' : 'call';
    if (rule.action === 'record') return { record: true, ruleId: rule.id, ruleName: rule.name, reason: `Rule "${rule.name}"${matched}: record` };
    if (rule.action === 'skip')
      return { record: false, ruleId: rule.id, ruleName: rule.name, reason: `Rule "${rule.name}"${matched}: do not record this ${what}` };
    const pct = rule.samplePercent ?? 0;
    const inSample = sampleBucket(call.callRef) < pct;
    return {
      record: inSample,
      ruleId: rule.id,
      ruleName: rule.name,
      reason: `Rule "${rule.name}"${matched}: ${inSample ? 'in' : 'not in'} the ${pct} % sample`,
    };
  }
  return { record: true, ruleId: null, ruleName: DEFAULT_RULE_NAME, reason: 'No recording rule matched: record' };
}

/** The segment columns that keep a decision with the call or screen recording it was taken for. */
export function decisionColumns(d: RecordingDecision) {
  return {
    recording_decision: d.record ? 'recorded' : 'not_recorded',
    recording_rule_id: d.ruleId,
    recording_rule_name: d.ruleName,
    recording_reason: d.reason,
  };
}

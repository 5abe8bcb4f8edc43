// From RFC 7865 metadata (any vendor's flavour) to Earshot's SiprecMetadata: which stream is whose, who is the agent
// and who the customer (the tenant's party rules, then Earshot users' extensions), who called whom, the direction and
// the call reference. Caller and callee come only from what the SRC states (vendor originator flags, calling/called
// numbers); when it states nothing they stay "unknown" with a warning — never guessed from document order, the way
// other recorders end up swapping them.
import type { SiprecMetadata, SiprecParticipant } from '../model.ts';
import { parseUri } from '../sip/message.ts';
import type { RawMetadata } from './metadata.ts';

export interface PartyRule {
  /** number: an explicit number or AOR; extension_range: value..valueTo (same digit count); domain: the AOR's host. */
  kind: 'number' | 'extension_range' | 'domain';
  value: string;
  valueTo: string | null;
  role: 'agent' | 'customer';
  userId: string | null;
}

export interface PartyContext {
  /** In position order; the first that matches decides. */
  rules: PartyRule[];
  /** Earshot users' extensions → user id (agents have extensions). */
  extensions: Map<string, string>;
  vendor: SiprecMetadata['vendor'];
  /** The recording dialog's Call-ID: the call reference and session id of last resort. */
  callId: string;
}

export interface MappedMetadata {
  meta: SiprecMetadata;
  /** Why a mapping was partial (logged and kept with the call): label mismatches, unknown caller … */
  warnings: string[];
}

/** The number (user part) of an AOR: sip:+1555@h → +1555, tel:+1-555 → +1555, sip:1001@pbx;user=phone → 1001. */
export function numberOf(aor: string | null): string | null {
  if (!aor) return null;
  const u = parseUri(aor);
  // sip:2001 (no user part) names an extension by its host part.
  const user = u ? (u.user ?? (/^\+?[\d*#]+$/.test(u.host) ? u.host : null)) : aor.replace(/^[a-z]+:/i, '').split('@')[0]!;
  if (!user) return null;
  const visual = user.replace(/[\s\-.()]/g, '');
  return /^\+?[0-9*#]+$/.test(visual) ? visual : user;
}

const normNumber = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/^(sips?|tel):/, '')
    .replace(/[\s\-.()]/g, '')
    .replace(/^\+/, '');

function ruleMatches(rule: PartyRule, aor: string | null, number: string | null): boolean {
  switch (rule.kind) {
    case 'number': {
      const v = normNumber(rule.value);
      if (number && normNumber(number) === v) return true;
      if (aor && normNumber(aor.split(';')[0]!) === v) return true;
      return false;
    }
    case 'extension_range': {
      if (!number || !/^\d+$/.test(number) || !rule.valueTo) return false;
      if (number.length !== rule.value.length) return false;
      const n = Number(number);
      return n >= Number(rule.value) && n <= Number(rule.valueTo);
    }
    case 'domain': {
      const host = aor ? parseUri(aor)?.host : null;
      const d = rule.value.trim().toLowerCase().replace(/^@/, '');
      return !!host && (host === d || host.endsWith('.' + d));
    }
  }
}

/**
 * One participant's party: the first of the tenant's rules that matches (in position order), else an Earshot user with
 * that extension is the agent, else unknown. `matchedBy` is the rule's index, 'extension' or 'none'.
 */
export function classifyParty(aor: string | null, ctx: Pick<PartyContext, 'rules' | 'extensions'>) {
  const number = numberOf(aor);
  const index = ctx.rules.findIndex((r) => ruleMatches(r, aor, number));
  if (index !== -1) {
    const rule = ctx.rules[index]!;
    const userId = rule.userId ?? (rule.role === 'agent' && number ? (ctx.extensions.get(number) ?? null) : null);
    return { number, role: rule.role as SiprecParticipant['role'], userId, matchedBy: index as number | 'extension' | 'none' };
  }
  if (number && ctx.extensions.has(number))
    return { number, role: 'agent' as SiprecParticipant['role'], userId: ctx.extensions.get(number)!, matchedBy: 'extension' as const };
  return { number, role: 'unknown' as SiprecParticipant['role'], userId: null, matchedBy: 'none' as const };
}

const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);
const ORIGINATOR_KEYS = ['callerorig', 'isoriginator', 'originator', 'isinitiator', 'initiator', 'iscaller', 'callingparty'];
const ROLE_KEYS = ['partyrole', 'role', 'callrole', 'party'];
const CALLER_WORDS = new Set(['caller', 'calling', 'originator', 'orig', 'originating', 'a-party', 'from']);
const CALLEE_WORDS = new Set(['callee', 'called', 'terminator', 'term', 'terminating', 'b-party', 'to']);
const CALLING_KEYS = ['callingnumber', 'callingpartynumber', 'callingparty', 'caller', 'callerid', 'ani', 'fromnumber', 'calldata.callingnumber'];
const CALLED_KEYS = ['callednumber', 'calledpartynumber', 'calledparty', 'callee', 'dnis', 'tonumber', 'calldata.callednumber'];
const REF_KEYS = ['ucid', 'callid', 'call-id', 'guid', 'gcid', 'exttrackingid', 'calluuid', 'uuid', 'globalcallid', 'callreference'];

function sideFromExt(ext: Record<string, string>): SiprecParticipant['side'] | null {
  for (const k of ORIGINATOR_KEYS) {
    const v = ext[k]?.toLowerCase();
    if (v === undefined) continue;
    if (TRUE.has(v)) return 'caller';
    if (FALSE.has(v)) return 'callee';
  }
  for (const k of ROLE_KEYS) {
    const v = ext[k]?.toLowerCase();
    if (v === undefined) continue;
    if (CALLER_WORDS.has(v)) return 'caller';
    if (CALLEE_WORDS.has(v)) return 'callee';
  }
  return null;
}

function directionFromExt(ext: Record<string, string>): SiprecMetadata['direction'] | null {
  const v = (ext.direction ?? ext.calldirection ?? ext.calltype ?? '').toLowerCase();
  if (['inbound', 'incoming', 'in', 'terminating'].includes(v)) return 'inbound';
  if (['outbound', 'outgoing', 'out', 'originating'].includes(v)) return 'outbound';
  if (['internal', 'intra', 'local'].includes(v)) return 'internal';
  return null;
}

export function mapMetadata(raw: RawMetadata | null, sdpLabels: string[], ctx: PartyContext): MappedMetadata {
  const warnings: string[] = [];
  const streamLabel = new Map((raw?.streams ?? []).map((s) => [s.id, s.label]));
  const labelsInMeta = new Set(streamLabel.values());

  const participants: SiprecParticipant[] = (raw?.participants ?? []).map((p) => {
    const sends = [...new Set(p.sends.map((s) => streamLabel.get(s) ?? (sdpLabels.includes(s) ? s : null)).filter((s): s is string => s !== null))];
    const { number, role, userId } = classifyParty(p.aor, ctx);
    return { id: p.id, name: p.name, aor: p.aor, number, sends, role, userId, side: sideFromExt(p.ext) ?? 'unknown' };
  });

  // One side identified as the contact centre: the others are its customers.
  if (participants.some((p) => p.role === 'agent')) for (const p of participants) if (p.role === 'unknown') p.role = 'customer';

  // Caller/callee from the session's calling/called numbers when no participant carries an originator flag.
  const ext = raw?.ext ?? {};
  if (!participants.some((p) => p.side !== 'unknown')) {
    const calling = CALLING_KEYS.map((k) => ext[k]).find(Boolean);
    const called = CALLED_KEYS.map((k) => ext[k]).find(Boolean);
    const match = (n: string | undefined) => {
      if (!n) return [];
      const v = normNumber(numberOf(n) ?? n);
      return participants.filter((p) => (p.number && normNumber(p.number) === v) || (p.aor && normNumber(p.aor) === v));
    };
    const callers = match(calling);
    const callees = match(called);
    if (callers.length === 1) callers[0]!.side = 'caller';
    if (callees.length === 1 && callees[0]!.side === 'unknown') callees[0]!.side = 'callee';
  }
  // Two parties and one known side: the other is the opposite (the SRC said who one of them is).
  if (participants.length === 2) {
    const [a, b] = participants as [SiprecParticipant, SiprecParticipant];
    if (a.side !== 'unknown' && b.side === 'unknown') b.side = a.side === 'caller' ? 'callee' : 'caller';
    else if (b.side !== 'unknown' && a.side === 'unknown') a.side = b.side === 'caller' ? 'callee' : 'caller';
    if (a.side !== 'unknown' && a.side === b.side) {
      warnings.push(`both participants claim to be the ${a.side}; sides left unknown`);
      a.side = b.side = 'unknown';
    }
  }
  if (participants.length > 0 && participants.every((p) => p.side === 'unknown')) {
    warnings.push('the SRC does not say who called whom; caller and callee left unknown rather than guessed');
  }

  // Streams by label; a label no participant sends is a mixed (or unattributed) stream.
  const streams = sdpLabels.map((label) => ({ label, participantId: participants.find((p) => p.sends.includes(label))?.id ?? null }));
  if (raw) {
    const missing = sdpLabels.filter((l) => !labelsInMeta.has(l));
    if (missing.length) warnings.push(`SDP label(s) ${missing.join(', ')} not in the metadata; recorded without a participant`);
    const stray = [...labelsInMeta].filter((l) => !sdpLabels.includes(l));
    if (stray.length) warnings.push(`metadata stream label(s) ${stray.join(', ')} have no m-line in the SDP`);
  } else {
    warnings.push('no recording metadata; participants unknown');
  }

  let direction = directionFromExt(ext) ?? 'unknown';
  if (direction === 'unknown') {
    const caller = participants.find((p) => p.side === 'caller');
    const callee = participants.find((p) => p.side === 'callee');
    if (caller && callee) {
      if (caller.role === 'customer' && callee.role === 'agent') direction = 'inbound';
      else if (caller.role === 'agent' && callee.role === 'customer') direction = 'outbound';
      else if (caller.role === 'agent' && callee.role === 'agent') direction = 'internal';
    }
  }

  const ref = REF_KEYS.map((k) => ext[k]).find(Boolean) ?? raw?.sipSessionId?.split(';')[0] ?? raw?.sessionId ?? ctx.callId;
  const extensions = Object.fromEntries(Object.entries(ext).slice(0, 50));
  return {
    meta: {
      sessionId: raw?.sessionId ?? ctx.callId,
      groupId: raw?.groupId ?? null,
      callRef: ref.trim().slice(0, 200),
      vendor: ctx.vendor,
      direction,
      participants,
      streams,
      extensions,
    },
    warnings,
  };
}

/** The SRC's vendor from its User-Agent/Server and the metadata's namespaces (a configured source vendor wins). */
export function detectVendor(userAgent: string | undefined, namespaces: string[], configured: string | null): SiprecMetadata['vendor'] {
  const known = ['generic', 'cisco', 'oracle', 'audiocodes', 'broadworks', 'freeswitch', 'asterisk'] as const;
  if (configured && configured !== 'generic' && (known as readonly string[]).includes(configured)) return configured as SiprecMetadata['vendor'];
  const hay = `${userAgent ?? ''} ${namespaces.join(' ')}`.toLowerCase();
  if (/cisco|cube/.test(hay)) return 'cisco';
  if (/acme|oracle|apkt/.test(hay)) return 'oracle';
  if (/audiocodes|mediant/.test(hay)) return 'audiocodes';
  if (/broadsoft|broadworks/.test(hay)) return 'broadworks';
  if (/freeswitch/.test(hay)) return 'freeswitch';
  if (/asterisk/.test(hay)) return 'asterisk';
  return 'generic';
}

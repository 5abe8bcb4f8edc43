// The agent summary and the engagement score (docs/analytics.md has the definitions and the formula).
// Calls: talk time is the union of a role's utterance intervals; talk-to-listen = agent talk / customer talk; the longest
// monologue joins the agent's utterances while the gap is ≤ MONOLOGUE_GAP_MS and no customer speech falls in the gap (a
// customer backchannel over the agent's speech does not break it); words and fillers per minute are per agent talk
// minute; a response time is an agent utterance's start minus the end of the customer utterance that last held the
// floor, counted only when the agent starts after the customer finished and no hold or transfer lies between them.
// Chats and e-mails: message counts per side and the time from a customer message to the agent's next one.
import type { AgentCallSummary, CallSummary, ChatSummary, InsightLine } from './model.ts';

export type { CallSummary, ChatSummary, Monologue, ResponseTime } from './model.ts';
import type { LanguageRules } from './languages.ts';
import { fillers, wordCount, type FillerHit } from './text.ts';

export const MONOLOGUE_GAP_MS = 2000;

export interface Interval {
  startMs: number;
  endMs: number;
}

export function unionMs(intervals: readonly Interval[]): number {
  const sorted = [...intervals].filter((i) => i.endMs > i.startMs).sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let curS = -Infinity;
  let curE = -Infinity;
  for (const i of sorted) {
    if (i.startMs > curE) {
      if (curE > curS) total += curE - curS;
      curS = i.startMs;
      curE = i.endMs;
    } else curE = Math.max(curE, i.endMs);
  }
  if (curE > curS) total += curE - curS;
  return total;
}

const overlaps = (a: Interval, s: number, e: number) => a.startMs < e && a.endMs > s;

interface Timed extends InsightLine {
  startMs: number;
  endMs: number;
}

const perMinute = (count: number, ms: number) => (ms > 0 ? Math.round((count / (ms / 60_000)) * 100) / 100 : null);

function speakerChanges(lines: readonly InsightLine[]): number {
  let changes = 0;
  let last: string | null = null;
  for (const l of lines) {
    if (l.role === 'unknown') continue;
    if (last && l.role !== last) changes++;
    last = l.role;
  }
  return changes;
}

export function callSummary(lines: readonly InsightLine[], rules: LanguageRules | undefined, breaks: readonly Interval[] = []): CallSummary {
  const timed = lines.filter((l): l is Timed => l.startMs !== null && l.endMs !== null).sort((a, b) => a.startMs - b.startMs);
  const agent = timed.filter((l) => l.role === 'agent');
  const customer = timed.filter((l) => l.role === 'customer');
  const agentTalkMs = unionMs(agent);
  const customerTalkMs = unionMs(customer);

  // Longest monologue.
  let longest: CallSummary['longestMonologue'] = null;
  let run: CallSummary['longestMonologue'] = null;
  for (const a of agent) {
    if (run && a.startMs - run.endMs <= MONOLOGUE_GAP_MS && !customer.some((c) => overlaps(c, run!.endMs, a.startMs))) {
      run.endMs = Math.max(run.endMs, a.endMs);
      run.lineIds.push(a.id);
    } else run = { durationMs: 0, startMs: a.startMs, endMs: a.endMs, lineIds: [a.id] };
    run.durationMs = run.endMs - run.startMs;
    if (!longest || run.durationMs > longest.durationMs) longest = { ...run, lineIds: [...run.lineIds] };
  }

  // Words and fillers.
  const agentWords = agent.reduce((n, l) => n + (l.words ?? wordCount(l.text)), 0);
  const fillerPlaces: CallSummary['fillerPlaces'] = [];
  if (rules)
    for (const l of agent)
      for (const f of fillers(l.text, rules) as FillerHit[]) fillerPlaces.push({ lineId: l.id, startMs: l.startMs, range: f.range, filler: f.filler });
  const fillerBreakdown: Record<string, number> = {};
  for (const f of fillerPlaces) fillerBreakdown[f.filler] = (fillerBreakdown[f.filler] ?? 0) + 1;

  // Response times: who last held the floor when the agent starts.
  const responseTimes: CallSummary['responseTimes'] = [];
  for (const a of agent) {
    let floor: Timed | null = null;
    for (const l of timed) {
      if (l === a || l.startMs >= a.startMs) continue;
      if (!floor || l.endMs > floor.endMs) floor = l;
    }
    if (!floor || floor.role !== 'customer' || floor.endMs > a.startMs) continue;
    if (breaks.some((b) => overlaps(b, floor!.endMs, a.startMs))) continue;
    responseTimes.push({ afterLineId: floor.id, lineId: a.id, ms: a.startMs - floor.endMs });
  }
  const avgResponseMs = responseTimes.length ? Math.round(responseTimes.reduce((s, r) => s + r.ms, 0) / responseTimes.length) : null;

  return {
    kind: 'call',
    agentTalkMs,
    customerTalkMs,
    talkListenRatio: customerTalkMs > 0 && agent.length ? Math.round((agentTalkMs / customerTalkMs) * 1000) / 1000 : null,
    agentTalkShare: agentTalkMs + customerTalkMs > 0 ? Math.round((agentTalkMs / (agentTalkMs + customerTalkMs)) * 1000) / 1000 : null,
    longestMonologue: longest,
    agentWords,
    wordsPerMinute: perMinute(agentWords, agentTalkMs),
    fillerCount: fillerPlaces.length,
    fillersPerMinute: rules ? perMinute(fillerPlaces.length, agentTalkMs) : null,
    fillerBreakdown,
    fillerPlaces,
    responseTimes,
    avgResponseMs,
    speakerChanges: speakerChanges(timed),
  };
}

/**
 * Each agent party alone (its lines and every customer line), when a call has more than one; `userOf` names the user
 * behind a party.
 */
export function byAgent(
  lines: readonly InsightLine[],
  rules: LanguageRules | undefined,
  breaks: readonly Interval[],
  userOf: (party: string) => string | null = () => null,
): AgentCallSummary[] | undefined {
  const parties = [...new Set(lines.filter((l) => l.role === 'agent' && l.party).map((l) => l.party!))];
  if (parties.length < 2) return undefined;
  return parties.map((party) => {
    const s = callSummary(
      lines.filter((l) => l.role === 'customer' || (l.role === 'agent' && l.party === party)),
      rules,
      breaks,
    );
    return {
      party,
      userId: userOf(party),
      agentTalkMs: s.agentTalkMs,
      customerTalkMs: s.customerTalkMs,
      talkListenRatio: s.talkListenRatio,
      longestMonologue: s.longestMonologue,
      agentWords: s.agentWords,
      wordsPerMinute: s.wordsPerMinute,
      fillerCount: s.fillerCount,
      fillersPerMinute: s.fillersPerMinute,
      avgResponseMs: s.avgResponseMs,
    };
  });
}

export function chatSummary(lines: readonly InsightLine[]): ChatSummary {
  const ordered = [...lines].sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
  const responseTimes: ChatSummary['responseTimes'] = [];
  // The first customer message of a run waits for the agent's next message.
  let waiting: InsightLine | null = null;
  for (const l of ordered) {
    if (l.role === 'customer') waiting ??= l;
    else if (l.role === 'agent' && waiting) {
      if (l.startMs !== null && waiting.startMs !== null)
        responseTimes.push({ afterLineId: waiting.id, lineId: l.id, ms: Math.max(0, l.startMs - waiting.startMs) });
      waiting = null;
    }
  }
  const avg = responseTimes.length ? Math.round(responseTimes.reduce((s, r) => s + r.ms, 0) / responseTimes.length) : null;
  return {
    kind: 'text',
    agentMessages: ordered.filter((l) => l.role === 'agent').length,
    customerMessages: ordered.filter((l) => l.role === 'customer').length,
    responseTimes,
    avgResponseMs: avg,
    firstResponseMs: responseTimes[0]?.ms ?? null,
    speakerChanges: speakerChanges(ordered),
  };
}

/**
 * Engagement 0–100 = 100 × (0.4 × balance + 0.3 × responsiveness + 0.3 × interactivity), each part 0–1:
 * - balance = 1 − |agent share − 0.5| × 2 (talk time for calls, message count for text): 1 when both sides take part equally;
 * - responsiveness = 1 at an average response ≤ FAST, 0 at ≥ SLOW, linear between (calls 1 s / 5 s; text 30 s / 10 min);
 *   no response measured: 0.5;
 * - interactivity = speaker changes per minute / 6, capped at 1 (calls); for text, speaker changes / (messages − 1).
 */
export const ENGAGEMENT = {
  weights: { balance: 0.4, responsiveness: 0.3, interactivity: 0.3 },
  call: { fastMs: 1000, slowMs: 5000, changesPerMinute: 6 },
  text: { fastMs: 30_000, slowMs: 600_000 },
};

export interface Engagement {
  score: number;
  balance: number;
  responsiveness: number;
  interactivity: number;
}

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));
const ramp = (ms: number | null, fast: number, slow: number) => (ms === null ? 0.5 : clamp01(1 - (ms - fast) / (slow - fast)));

export function engagement(summary: CallSummary | ChatSummary, durationMs: number): Engagement | null {
  const w = ENGAGEMENT.weights;
  let balance: number;
  let responsiveness: number;
  let interactivity: number;
  if (summary.kind === 'call') {
    if (summary.agentTalkShare === null || summary.agentTalkMs === 0 || summary.customerTalkMs === 0) return null;
    balance = 1 - Math.abs(summary.agentTalkShare - 0.5) * 2;
    responsiveness = ramp(summary.avgResponseMs, ENGAGEMENT.call.fastMs, ENGAGEMENT.call.slowMs);
    interactivity = durationMs > 0 ? clamp01(summary.speakerChanges / (durationMs / 60_000) / ENGAGEMENT.call.changesPerMinute) : 0;
  } else {
    const total = summary.agentMessages + summary.customerMessages;
    if (summary.agentMessages === 0 || summary.customerMessages === 0) return null;
    balance = 1 - Math.abs(summary.agentMessages / total - 0.5) * 2;
    responsiveness = ramp(summary.avgResponseMs, ENGAGEMENT.text.fastMs, ENGAGEMENT.text.slowMs);
    interactivity = total > 1 ? clamp01(summary.speakerChanges / (total - 1)) : 0;
  }
  const r2 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    score: Math.round((w.balance * balance + w.responsiveness * responsiveness + w.interactivity * interactivity) * 1000) / 10,
    balance: r2(balance),
    responsiveness: r2(responsiveness),
    interactivity: r2(interactivity),
  };
}

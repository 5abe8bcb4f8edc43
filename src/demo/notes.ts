// What supervisors and evaluators did with demo conversations: tags, comments (pinned, private, timed, with @mentions)
// and custom field values. Decided up front from hints about the conversation, applied after it is ingested.
import type { Rng } from './random.ts';
import type { Annotations, Reviewer } from './types.ts';

const CASE_TYPES = ['Billing', 'Technical', 'Sales', 'Complaint', 'Cancellation', 'Claim', 'General inquiry'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CUSTOM_FIELDS: ReadonlyArray<{ key: string; label: string; type: 'text' | 'date' | 'option'; showInList: boolean; options?: readonly string[] }> =
  [
    { key: 'cisco_id', label: 'Cisco ID', type: 'text', showInList: true },
    { key: 'case_type', label: 'Case type', type: 'option', showInList: true, options: CASE_TYPES },
    { key: 'follow_up', label: 'Follow-up', type: 'date', showInList: false },
  ];

export interface NoteHints {
  kind: 'call' | 'chat' | 'email';
  angry?: boolean;
  excellent?: boolean;
  badAudio?: boolean;
  caseType: CaseType;
  /** The talk time of a call, for timed comments. */
  durationMs?: number;
  startedAt: Date;
  endedAt: Date;
  now: Date;
}

const MENTION = '{agent}';

const COMMENTS: Array<{ text: string; kinds?: Array<NoteHints['kind']>; timed?: boolean; when?: (h: NoteHints) => boolean }> = [
  { text: 'Good de-escalation here, worth sharing in the next team huddle.', timed: true, when: (h) => !!h.angry },
  { text: 'Customer asked to speak to a manager. ' + MENTION + ' please log the escalation in the CRM.', when: (h) => !!h.angry },
  {
    text: 'Hold ran longer than our 30-second target. ' + MENTION + ' remember to check back with the customer during long holds.',
    kinds: ['call'],
    timed: true,
  },
  { text: 'Refund amount not confirmed before closing. Please double-check with billing.', when: (h) => h.caseType === 'Billing' },
  { text: 'Great empathy statement at this point.', kinds: ['call'], timed: true },
  { text: 'Textbook upsell: needs first, offer second. Using this one for onboarding.', when: (h) => !!h.excellent },
  { text: 'Customer side drops out for a few seconds; ticket opened with telephony.', kinds: ['call'], timed: true, when: (h) => !!h.badAudio },
  { text: 'Calibration candidate: let us compare scores on the greeting and the verification steps.' },
  { text: 'Follow-up promised by Friday. ' + MENTION + ' can you confirm it went out?' },
  { text: 'Identity verification skipped before discussing the account.', timed: true },
  { text: 'Nice clear summary of next steps at the end.', timed: true },
  { text: 'Response time on the first reply was over our 4-hour target.', kinds: ['email'] },
  { text: 'Long gaps between replies; the customer waited more than a minute twice.', kinds: ['chat'] },
  { text: 'Cancellation saved with the loyalty discount. ' + MENTION + ' well done!', when: (h) => h.caseType === 'Cancellation' },
  { text: 'Troubleshooting steps followed in the right order.', when: (h) => h.caseType === 'Technical' },
];

const PRIVATE_NOTES = [
  'Discuss tone in the next one-to-one.',
  'Possible coaching topic: talking over the customer.',
  'Keep for the quarterly review.',
  'Check whether this matches the complaint from last week.',
];

const TAG_COMMENTS = [
  'Customer mentioned a competitor offer.',
  'Escalated to second line.',
  'Possible fraud attempt, account locked.',
  'Promised a callback within 24 hours.',
  'Wrong queue: should have gone to billing.',
];

export function decideNotes(rng: Rng, h: NoteHints): Annotations {
  const span = Math.max(0, h.now.getTime() - 5 * 60_000 - h.endedAt.getTime());
  const at = new Date(h.endedAt.getTime() + Math.min(span, rng.between(10 * 60_000, 3 * 86_400_000)));
  const notes: Annotations = { tags: [], comments: [], fields: {}, at };
  const by = (): Reviewer =>
    rng.weighted<Reviewer>([
      ['evaluator', 5],
      ['manager', 4],
      ['admin', 1],
    ]);
  const tag = (name: string, p: number, comment?: string) => {
    if (rng.chance(p)) notes.tags.push({ name, by: by(), ...(comment ? { comment } : {}) });
  };
  tag('Angry customer', h.angry ? 0.6 : 0.012);
  tag('Excellent', h.excellent ? 0.35 : 0.03);
  tag('Bad audio', h.badAudio ? 0.75 : h.kind === 'call' ? 0.01 : 0);
  tag('Flag', 0.045);
  tag('Calibration', 0.025);
  tag('Comment', 0.022, rng.pick(TAG_COMMENTS));
  tag('Priority', 0.03);

  const commentRate = h.angry || h.badAudio ? 0.3 : h.excellent ? 0.15 : 0.06;
  if (rng.chance(commentRate)) {
    const n = rng.weighted([
      [1, 6],
      [2, 3],
      [3, 1],
    ]);
    const usable = COMMENTS.filter((c) => (!c.kinds || c.kinds.includes(h.kind)) && (!c.when || c.when(h)));
    for (const c of rng.sample(usable, n)) {
      const timed = c.timed && h.kind === 'call' && h.durationMs && h.durationMs > 4000 && rng.chance(0.8);
      notes.comments.push({
        by: by(),
        text: c.text,
        ...(timed ? { offsetMs: Math.round(rng.between(0.1, 0.9) * h.durationMs!) } : {}),
        ...(rng.chance(0.2) ? { pinned: true } : {}),
      });
    }
    if (rng.chance(0.25)) notes.comments.push({ by: by(), text: rng.pick(PRIVATE_NOTES), private: true });
  }

  if (rng.chance(h.kind === 'call' ? 0.5 : 0.4)) notes.fields.case_type = h.caseType;
  if (rng.chance(0.08)) {
    const d = new Date(h.startedAt.getTime() + rng.int(1, 10) * 86_400_000);
    notes.fields.follow_up = d.toISOString().slice(0, 10);
  }
  return notes;
}

/** Replaces the mention placeholder with the editor's mention token for the agent. */
export function withMention(text: string, agent: { id: string; name: string } | null): string {
  if (!text.includes(MENTION)) return text;
  return text.replace(MENTION, agent ? `@[${agent.name}](${agent.id})` : 'Team,');
}

// The demo calls: windows of the corpus calls, re-timed into business hours, given agents, customers, queues, holds,
// transfers (p08 split in two segments joined by previousCallId), consultations and CTI data. Planning only: the
// audio is rendered when the call is ingested.
import type { CallMetadata } from '../conversations/schemas.ts';
import { layout, pieceSeconds, WindowPicker, type Piece, type RenderOptions } from './audio.ts';
import { sourceById, type SourceCall, type SourceId } from './corpus.ts';
import { decideNotes, type CaseType } from './notes.ts';
import { UNKNOWN_EXTENSIONS, type Customer } from './people.ts';
import type { Rng } from './random.ts';
import type { Scheduler } from './schedule.ts';
import type { AgentRef, BucketName, CallSegmentPlan, ConversationPlan, ScreenPlan } from './types.ts';

/**
 * The agent's wrap-up after a customer call (the player shows it after the last leg), 15–74 s, from the call id: no
 * random draw, so adding it left the rest of the demo as it was.
 */
function wrapUp(callId: string): { wrapUpSeconds: string } {
  let h = 0x811c9dc5;
  for (let i = 0; i < callId.length; i++) h = Math.imul(h ^ callId.charCodeAt(i), 0x01000193);
  return { wrapUpSeconds: String(15 + ((h >>> 0) % 60)) };
}

export interface CallMix {
  total: number;
  transfers: number;
  consults: number;
  long: number;
  unknownAgent: number;
  screens: number[];
}

/** Which source calls each group handles, and how often. */
const AFFINITY: Record<AgentRef['group'], Array<readonly [SourceId, number]>> = {
  Billing: [
    ['p01_billing_dispute', 4],
    ['p04_banking_card_payment', 4],
    ['p08_transfer_billing', 2],
    ['p05_angry_manager_crosstalk', 1],
  ],
  'Customer Care': [
    ['p02_cancellation_retention', 3],
    ['p05_angry_manager_crosstalk', 3],
    ['p06_hold_music', 2],
    ['p07_happy_upgrade', 3],
  ],
  'Tech Support': [
    ['p03_tech_support_silence', 5],
    ['p06_hold_music', 2],
    ['p07_happy_upgrade', 2],
    ['p01_billing_dispute', 2],
    ['p05_angry_manager_crosstalk', 1],
  ],
};

const CASE_TYPE: Record<SourceId, CaseType> = {
  p01_billing_dispute: 'Billing',
  p02_cancellation_retention: 'Cancellation',
  p03_tech_support_silence: 'Technical',
  p04_banking_card_payment: 'Billing',
  p05_angry_manager_crosstalk: 'Complaint',
  p06_hold_music: 'Claim',
  p07_happy_upgrade: 'Sales',
  p08_transfer_billing: 'Billing',
};

const QUEUES: Record<AgentRef['group'], string[]> = {
  Billing: ['Billing', 'Billing', 'Billing VIP', 'Payments'],
  'Customer Care': ['Customer Care', 'Customer Care', 'Retention', 'Sales'],
  'Tech Support': ['Tech Support L1', 'Tech Support L1', 'Tech Support L2', 'Internet & TV'],
};

const IVR: Record<AgentRef['group'], string[]> = {
  Billing: ['Main > Billing > Invoice', 'Main > Billing > Payment', 'Main > Billing > Dispute'],
  'Customer Care': ['Main > Account > Change plan', 'Main > Account > Cancel', 'Main > Other'],
  'Tech Support': ['Main > Support > Internet', 'Main > Support > TV', 'Main > Support > Mobile'],
};

const CAMPAIGNS = ['Renewals', 'Payment reminder', 'Satisfaction survey', 'Callback'];

type Bucket = { name: BucketName; min: number; max: number };
const VERY_SHORT: Bucket = { name: 'very short', min: 7, max: 27.5 };
const SHORT: Bucket = { name: 'short', min: 31, max: 52 };

export class CallPlanner {
  private readonly windows = new WindowPicker();
  private readonly byVoice = new Map<string, SourceCall[]>();
  private seq = 0;

  constructor(
    private readonly sources: SourceCall[],
    private readonly agents: AgentRef[],
    private readonly customers: Customer[],
    private readonly scheduler: Scheduler,
    private readonly now: Date,
  ) {
    for (const s of sources) {
      if (s.transfers.length) continue; // the transfer call's two agents do not sound like one call
      const list = this.byVoice.get(s.voicePair) ?? [];
      list.push(s);
      this.byVoice.set(s.voicePair, list);
    }
  }

  plan(rng: Rng, mix: CallMix): ConversationPlan[] {
    const kinds: Array<'transfer' | 'consult' | 'long' | 'unknown' | 'standard'> = [];
    const push = (k: (typeof kinds)[number], n: number) => {
      for (let i = 0; i < n; i++) kinds.push(k);
    };
    push('transfer', mix.transfers);
    push('consult', mix.consults);
    push('long', mix.long);
    push('unknown', mix.unknownAgent);
    push('standard', Math.max(0, mix.total - kinds.length));
    const plans: ConversationPlan[] = [];
    for (const kind of rng.shuffle(kinds)) {
      const r = rng.fork(`call-${this.seq}`);
      if (kind === 'transfer') plans.push(this.transfer(r));
      else if (kind === 'consult') plans.push(this.consult(r));
      else plans.push(this.standard(r, kind === 'long' ? 'long' : null, kind === 'unknown'));
    }
    // Screen recordings on a few short inbound calls of known agents; the first has three monitors, the next two.
    const candidates = plans.filter(
      (p): p is Extract<ConversationPlan, { kind: 'call' }> =>
        p.kind === 'call' &&
        p.bucket === 'short' &&
        p.segments.length === 1 &&
        p.segments[0]!.meta.direction === 'inbound' &&
        !p.segments[0]!.meta.parties.some((x) => x.role === 'agent' && UNKNOWN_EXTENSIONS.includes(x.extension ?? '')),
    );
    const chosen = rng.sample(candidates, mix.screens.length);
    chosen.forEach((p, i) => {
      const seg = p.segments[0]!;
      for (let m = 0; m < mix.screens[i]!; m++) {
        p.screens.push({
          callId: seg.meta.callId,
          monitor: m,
          startTime: seg.meta.startTime,
          durationS: Math.max(2, Math.round(seg.durationMs / 1000)),
        } satisfies ScreenPlan);
      }
    });
    return plans;
  }

  private nextId() {
    this.seq++;
    return `demo-call-${String(this.seq).padStart(5, '0')}`;
  }

  private agentFor(rng: Rng, filter?: (a: AgentRef) => boolean) {
    const pool = filter ? this.agents.filter(filter) : this.agents;
    return rng.weighted(pool.map((a) => [a, a.load] as const));
  }

  private customerFor(rng: Rng, site: AgentRef['site']) {
    const local = this.customers.filter((c) => c.site === site);
    // A few regulars call again and again; everyone else now and then.
    return rng.chance(0.25) ? local[rng.int(0, Math.min(14, local.length - 1))]! : rng.pick(local);
  }

  private partner(rng: Rng, s: SourceCall) {
    const same = (this.byVoice.get(s.voicePair) ?? [s]).filter((x) => x !== s);
    return same.length && rng.chance(0.7) ? rng.pick(same) : s;
  }

  private render(rng: Rng, badAudio: boolean): RenderOptions {
    return { gain: [rng.between(0.75, 1.25), badAudio ? 0.35 : rng.between(0.6, 1.3)], ...(badAudio ? { noise: 2.5 } : {}) };
  }

  private customData(rng: Rng, agent: AgentRef, direction: CallMetadata['direction']): Record<string, string> {
    const data: Record<string, string> = { cisco_id: rng.digits(10) };
    if (direction === 'inbound') {
      data['IVR path'] = rng.pick(IVR[agent.group]);
      if (rng.chance(0.7)) data['Account number'] = `ACC-${rng.digits(6)}`;
      data.Language =
        agent.site === 'Paris'
          ? rng.weighted([
              ['fr', 3],
              ['en', 2],
            ])
          : rng.weighted([
              ['en', 9],
              ['es', 1],
            ]);
    } else if (direction === 'outbound') {
      data.Campaign = rng.pick(CAMPAIGNS);
    }
    return data;
  }

  /** Pieces of a call in one duration bucket, from a source call and (for longer ones) its same-voices partner. */
  private piecesFor(rng: Rng, source: SourceCall, bucket: BucketName): Piece[] {
    const lead: Piece = { kind: 'silence', seconds: Math.round(rng.between(0.2, 1.8) * 100) / 100 };
    const win = (s: SourceCall, min: number, max: number, greeting?: boolean): Piece => {
      const w = this.windows.pick(rng, s, min, max, { greeting });
      return { kind: 'window', call: s, start: w.start, end: w.end };
    };
    if (bucket === 'very short') return [lead, win(source, VERY_SHORT.min, VERY_SHORT.max - 2, rng.chance(0.7))];
    if (bucket === 'short') return [lead, win(source, SHORT.min, SHORT.max - 2, rng.chance(0.75))];
    const total = (ps: Piece[]) => ps.reduce((s, p) => s + pieceSeconds(p), 0);
    const hold = (min: number, max: number): Piece => ({ kind: 'hold', seconds: Math.round(rng.between(min, max)) });
    if (bucket === 'normal') {
      const pieces: Piece[] = [lead, win(source, 22, 50, true)];
      if (rng.chance(0.4)) pieces.push(hold(8, 30));
      pieces.push(win(this.partner(rng, source), 18, 50, false));
      while (total(pieces) < 62) pieces.push(win(this.partner(rng, source), 12, 40, false));
      return pieces;
    }
    const target = rng.between(185, 300);
    const pieces: Piece[] = [lead, win(source, 25, 55, true)];
    let n = 1;
    while (total(pieces) < target && n < 16) {
      if (n === 2 || n === 5 || (n > 5 && rng.chance(0.15))) pieces.push(hold(15, 55));
      pieces.push(win(this.partner(rng, source), 25, 55, false));
      n++;
    }
    return pieces;
  }

  private standard(rng: Rng, forced: 'long' | null, unknownAgent: boolean): ConversationPlan {
    const agent = this.agentFor(rng);
    const bucket: BucketName =
      forced ??
      rng.weighted<BucketName>([
        ['very short', 47],
        ['short', 38],
        ['normal', 15],
      ]);
    const source = sourceById(this.sources, rng.weighted(AFFINITY[agent.group]));
    const direction = unknownAgent
      ? 'inbound'
      : rng.weighted<CallMetadata['direction']>([
          ['inbound', 72],
          ['outbound', 21],
          ['internal', 7],
        ]);
    const pieces = this.piecesFor(rng, source, bucket);
    const badAudio = rng.chance(0.04);
    const { durationMs, holds } = layout(pieces);
    const startedAt = this.scheduler.businessTime(rng, agent.timeZone, durationMs);
    const customer = this.customerFor(rng, agent.site);
    const colleague = this.agentFor(rng, (a) => a !== agent);
    const callId = this.nextId();
    const agentParty = unknownAgent
      ? {
          key: 'agent',
          role: 'agent' as const,
          extension: rng.pick(UNKNOWN_EXTENSIONS.filter((x) => x.startsWith(agent.site === 'Paris' ? '1' : '2')).concat('3001')),
        }
      : { key: 'agent', role: 'agent' as const, extension: agent.extension };
    const other =
      direction === 'internal'
        ? { key: 'colleague', role: 'agent' as const, extension: colleague.extension }
        : { key: 'customer', role: 'customer' as const, phone: customer.phone, ...(rng.chance(0.75) ? { name: customer.name } : {}) };
    const queue = direction === 'inbound' ? rng.pick(QUEUES[agent.group]) : direction === 'outbound' && rng.chance(0.3) ? 'Callbacks' : undefined;
    const meta: CallMetadata = {
      callId,
      startTime: startedAt.toISOString(),
      direction,
      ...(queue ? { queue } : {}),
      agent: 'agent',
      parties: [agentParty, other],
      audio: [{ file: `${callId}.wav`, channelMap: { '0': 'agent', '1': other.key } }],
      events: holds.flatMap((h) => [
        { type: 'hold' as const, offsetMs: h.startMs, party: 'agent' },
        { type: 'resume' as const, offsetMs: h.endMs, party: 'agent' },
      ]),
      customData: this.customData(rng, agent, direction),
      metadata: { pbx: agent.site === 'Paris' ? 'cucm-par-01' : 'cucm-nyc-02', codec: 'PCMU', ...(direction === 'internal' ? {} : wrapUp(callId)) },
    };
    const notes = decideNotes(rng.fork('notes'), {
      kind: 'call',
      angry: source.sentiment === 'negative' && direction !== 'internal',
      excellent: source.sentiment === 'positive',
      badAudio,
      caseType: CASE_TYPE[source.id as SourceId],
      durationMs,
      startedAt,
      endedAt: new Date(startedAt.getTime() + durationMs),
      now: this.now,
    });
    return {
      kind: 'call',
      key: callId,
      startedAt,
      bucket,
      source: source.id,
      screens: [],
      notes,
      segments: [{ meta, pieces, render: this.render(rng, badAudio), durationMs }],
    };
  }

  /** p08: the first agent answers, puts the customer through to billing (ringback), the second agent takes over. */
  private transfer(rng: Rng): ConversationPlan {
    const source = sourceById(this.sources, 'p08_transfer_billing');
    const t = source.transfers[0] ?? { start: source.durationS * 0.4, end: source.durationS * 0.45 };
    const firstAgent = this.agentFor(rng, (a) => a.group === 'Customer Care');
    const secondAgent = this.agentFor(rng, (a) => a.group === 'Billing');
    const cut = Math.min(t.end - 0.5, t.start + 2.3); // after the ringback, before the second agent speaks
    const partA: Piece[] = [{ kind: 'window', call: source, start: 0, end: cut }];
    const partB: Piece[] = [{ kind: 'window', call: source, start: cut, end: source.durationS }];
    const durA = layout(partA).durationMs;
    const durB = layout(partB).durationMs;
    const startedAt = this.scheduler.businessTime(rng, firstAgent.timeZone, durA + durB);
    const customer = this.customerFor(rng, 'Paris');
    const idA = this.nextId();
    const idB = `${idA}-2`;
    const cust = { key: 'customer', role: 'customer' as const, phone: customer.phone, ...(rng.chance(0.75) ? { name: customer.name } : {}) };
    const render = this.render(rng, false);
    const data = this.customData(rng, firstAgent, 'inbound');
    const a: CallSegmentPlan = {
      durationMs: durA,
      pieces: partA,
      render,
      meta: {
        callId: idA,
        startTime: startedAt.toISOString(),
        direction: 'inbound',
        queue: rng.pick(QUEUES['Customer Care']),
        agent: 'agent',
        parties: [{ key: 'agent', role: 'agent', extension: firstAgent.extension }, cust],
        audio: [{ file: `${idA}.wav`, channelMap: { '0': 'agent', '1': 'customer' } }],
        events: [{ type: 'transfer', offsetMs: Math.round(t.start * 1000), party: 'agent', to: secondAgent.extension }],
        customData: data,
        metadata: { pbx: 'cucm-par-01', codec: 'PCMU' },
      },
    };
    const b: CallSegmentPlan = {
      durationMs: durB,
      pieces: partB,
      render,
      meta: {
        callId: idB,
        previousCallId: idA,
        startTime: new Date(startedAt.getTime() + durA).toISOString(),
        direction: 'inbound',
        queue: 'Billing',
        agent: 'agent',
        parties: [{ key: 'agent', role: 'agent', extension: secondAgent.extension }, cust],
        audio: [{ file: `${idB}.wav`, channelMap: { '0': 'agent', '1': 'customer' } }],
        // The router call key (our "Cisco ID") follows the call through the transfer.
        customData: data,
        metadata: { pbx: 'cucm-par-01', codec: 'PCMU', transferredFrom: firstAgent.extension, ...wrapUp(idB) },
      },
    };
    const total = durA + durB;
    const notes = decideNotes(rng.fork('notes'), {
      kind: 'call',
      caseType: 'Billing',
      durationMs: total,
      startedAt,
      endedAt: new Date(startedAt.getTime() + total),
      now: this.now,
    });
    return {
      kind: 'call',
      key: idA,
      startedAt,
      bucket: total < 30_000 ? 'very short' : total < 60_000 ? 'short' : 'normal',
      source: source.id,
      screens: [],
      notes,
      segments: [a, b],
    };
  }

  /** p06: the agent puts the customer on hold and consults a colleague on another line, then resumes. */
  private consult(rng: Rng): ConversationPlan {
    const source = sourceById(this.sources, 'p06_hold_music');
    const consultSource = sourceById(this.sources, 'p04_banking_card_payment');
    const agent = this.agentFor(rng, (a) => a.group !== 'Billing');
    const colleague = this.agentFor(rng, (a) => a.group === agent.group && a !== agent);
    const w = this.windows.pick(rng, source, 40, 56, { greeting: true, hold: true });
    const lead = Math.round(rng.between(0.2, 1.2) * 100) / 100;
    const pieces: Piece[] = [
      { kind: 'silence', seconds: lead },
      { kind: 'window', call: source, start: w.start, end: w.end },
    ];
    const { durationMs, holds } = layout(pieces);
    const hold = holds[0] ?? { startMs: Math.round(durationMs * 0.4), endMs: Math.round(durationMs * 0.7) };
    const holdS = (hold.endMs - hold.startMs) / 1000;
    const cw = this.windows.pick(rng, consultSource, Math.min(8, holdS - 4), Math.max(6, holdS - 3.5));
    const consultPieces: Piece[] = [{ kind: 'window', call: consultSource, start: cw.start, end: cw.end }];
    const consultMs = layout(consultPieces).durationMs;
    const startedAt = this.scheduler.businessTime(rng, agent.timeZone, durationMs);
    const customer = this.customerFor(rng, agent.site);
    const id = this.nextId();
    const consultId = `${id}-consult`;
    const consultAt = hold.startMs + 1500;
    const main: CallSegmentPlan = {
      durationMs,
      pieces,
      render: this.render(rng, false),
      meta: {
        callId: id,
        startTime: startedAt.toISOString(),
        direction: 'inbound',
        queue: rng.pick(QUEUES[agent.group]),
        agent: 'agent',
        parties: [
          { key: 'agent', role: 'agent', extension: agent.extension },
          { key: 'customer', role: 'customer', phone: customer.phone, name: customer.name },
        ],
        audio: [{ file: `${id}.wav`, channelMap: { '0': 'agent', '1': 'customer' } }],
        events: [
          { type: 'hold', offsetMs: hold.startMs, party: 'agent' },
          { type: 'consult', offsetMs: hold.startMs + 1000, party: 'agent', to: colleague.extension },
          { type: 'resume', offsetMs: hold.endMs, party: 'agent' },
        ],
        customData: this.customData(rng, agent, 'inbound'),
        metadata: { pbx: agent.site === 'Paris' ? 'cucm-par-01' : 'cucm-nyc-02', codec: 'PCMU' },
      },
    };
    // The consultation leg: the consulting agent's voice on channel 0 (the source's customer voice matches p06's agent).
    const consultSeg: CallSegmentPlan = {
      durationMs: consultMs,
      pieces: consultPieces,
      render: { gain: [1, 1], swap: true },
      meta: {
        callId: consultId,
        consultOfCallId: id,
        startTime: new Date(startedAt.getTime() + consultAt).toISOString(),
        direction: 'internal',
        agent: 'agent',
        parties: [
          { key: 'agent', role: 'agent', extension: agent.extension },
          { key: 'colleague', role: 'agent', extension: colleague.extension },
        ],
        audio: [{ file: `${consultId}.wav`, channelMap: { '0': 'agent', '1': 'colleague' } }],
        customData: { cisco_id: rng.digits(10) },
        metadata: { pbx: agent.site === 'Paris' ? 'cucm-par-01' : 'cucm-nyc-02', codec: 'PCMU' },
      },
    };
    const total = durationMs + consultMs;
    const notes = decideNotes(rng.fork('notes'), {
      kind: 'call',
      caseType: 'Claim',
      durationMs: total,
      startedAt,
      endedAt: new Date(startedAt.getTime() + durationMs),
      now: this.now,
    });
    return {
      kind: 'call',
      key: id,
      startedAt,
      bucket: total < 60_000 ? 'short' : 'normal',
      source: source.id,
      screens: [],
      notes,
      segments: [main, consultSeg],
    };
  }
}

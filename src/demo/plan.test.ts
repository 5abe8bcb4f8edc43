// Planning the demo without a database: time zones, windows of the source calls, the generated fallback, determinism.
import { describe, expect, it } from 'vitest';
import { probeVideo } from '../conversations/ingest/video.ts';
import { findFfmpeg, setFfmpegPath } from '../media/ffmpeg.ts';
import { parseWav } from '../media/wav.ts';
import { CallRenderer, layout, windowsOf } from './audio.ts';
import { loadSourceCalls, sourceById } from './corpus.ts';
import { demoCounts } from './conversations.ts';
import { DEMO_AGENTS, SITE_TIME_ZONES, customerPool } from './people.ts';
import { CallPlanner } from './plan-calls.ts';
import { ChatPlanner } from './plan-chats.ts';
import { EmailPlanner } from './plan-emails.ts';
import { Rng } from './random.ts';
import { Scheduler, localParts, zonedTime } from './schedule.ts';
import { ScreenVideos } from './screens.ts';
import type { AgentRef, ConversationPlan } from './types.ts';

const agents: AgentRef[] = DEMO_AGENTS.map((a, i) => ({ ...a, id: `user-${i}`, timeZone: SITE_TIME_ZONES[a.site] }));
const synthetic = loadSourceCalls('/nonexistent/corpus');

function planAll(now: Date, sources = synthetic, scale = 0.1): ConversationPlan[] {
  const rng = new Rng(7);
  const scheduler = new Scheduler(now);
  const customers = customerPool(rng.fork('customers'));
  const counts = demoCounts(scale);
  return [
    ...new CallPlanner(sources, agents, customers, scheduler, now).plan(rng.fork('calls'), counts.calls),
    ...new ChatPlanner(agents, customers, scheduler, now).plan(rng.fork('chats'), counts.chats),
    ...new EmailPlanner(agents, customers, scheduler, now).plan(rng.fork('emails'), counts.emails),
  ];
}

describe('schedule', () => {
  it('converts wall-clock times in both site zones, across daylight-saving changes', () => {
    for (const tz of Object.values(SITE_TIME_ZONES)) {
      for (const [y, m, d] of [
        [2026, 1, 15],
        [2026, 3, 9],
        [2026, 3, 30],
        [2026, 7, 1],
        [2026, 10, 26],
        [2026, 11, 2],
      ] as const) {
        const at = zonedTime(y, m, d, 9, 30, 0, tz);
        expect(localParts(at, tz)).toMatchObject({ year: y, month: m, day: d, hour: 9, minute: 30 });
      }
    }
    expect(zonedTime(2026, 7, 1, 9, 0, 0, 'Europe/Paris').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(zonedTime(2026, 1, 15, 9, 0, 0, 'America/New_York').toISOString()).toBe('2026-01-15T14:00:00.000Z');
  });

  it('puts conversations in business hours of the last 90 days, before now, mostly on weekdays', () => {
    const now = new Date('2026-05-20T10:17:00Z');
    const s = new Scheduler(now);
    const rng = new Rng(1);
    let weekend = 0;
    for (let i = 0; i < 2000; i++) {
      const tz = i % 2 ? 'Europe/Paris' : 'America/New_York';
      const at = s.businessTime(rng, tz, 120_000);
      const p = localParts(at, tz);
      expect(p.hour).toBeGreaterThanOrEqual(8);
      expect(p.hour).toBeLessThanOrEqual(18);
      expect(at.getTime() + 120_000).toBeLessThan(now.getTime());
      expect(at.getTime()).toBeGreaterThan(now.getTime() - 90 * 86_400_000);
      if (p.weekday === 0 || p.weekday === 6) weekend++;
    }
    expect(weekend / 2000).toBeLessThan(0.12);
  });
});

describe('source calls', () => {
  it('falls back to generated calls of the same shape when the corpus is absent', () => {
    expect(synthetic).toHaveLength(8);
    expect(synthetic.every((c) => c.synthetic && c.utterances.length > 4 && c.agent.length === c.customer.length)).toBe(true);
    expect(sourceById(synthetic, 'p06_hold_music').holds).toHaveLength(1);
    expect(sourceById(synthetic, 'p08_transfer_billing').transfers).toHaveLength(1);
  });

  it('cuts windows on utterance boundaries that never split a hold or span a transfer', () => {
    for (const sources of [synthetic, loadSourceCalls()]) {
      const hold = sourceById(sources, 'p06_hold_music');
      const h = hold.holds[0]!;
      for (const w of windowsOf(hold)) expect(w.end <= h.start || w.start >= h.end || (w.start <= h.start && w.end >= h.end)).toBe(true);
      const transfer = sourceById(sources, 'p08_transfer_billing');
      const t = transfer.transfers[0]!;
      for (const w of windowsOf(transfer)) expect(w.end <= t.start || w.start >= t.end).toBe(true);
    }
  });

  it('renders stereo mu-law WAV of the planned length, with the hold where the layout says', () => {
    const src = sourceById(synthetic, 'p06_hold_music');
    const pieces = [
      { kind: 'silence' as const, seconds: 1 },
      { kind: 'window' as const, call: src, start: 0, end: src.durationS },
      { kind: 'hold' as const, seconds: 5 },
    ];
    const out = new CallRenderer(synthetic).render(pieces, { gain: [1.2, 0.8] });
    const info = parseWav(out.wav);
    expect(info).toMatchObject({ format: 'mulaw', channels: 2, sampleRate: 8000 });
    const l = layout(pieces);
    expect(info.durationMs).toBe(l.durationMs);
    expect(l.holds).toHaveLength(2);
    expect(l.holds[0]!.startMs).toBe(Math.round((1 + src.holds[0]!.start) * 1000));
    expect(l.holds[1]!.endMs).toBe(l.durationMs);
  });
});

describe('demo plan', () => {
  const summary = (plans: ConversationPlan[], withTimes: boolean) =>
    plans.map((p) => ({
      key: p.key,
      kind: p.kind,
      ...(withTimes ? { at: p.startedAt.toISOString() } : {}),
      ...(p.kind === 'call'
        ? {
            segs: p.segments.map((s) => ({
              parties: s.meta.parties,
              pieces: s.pieces.map((x) => (x.kind === 'window' ? [x.call.id, x.start, x.end] : [x.kind, x.seconds])),
            })),
          }
        : {}),
      ...(p.kind === 'chat' ? { room: p.input.roomName, who: p.input.participants } : {}),
      ...(p.kind === 'email' ? { n: p.messages.length } : {}),
      tags: p.notes.tags,
    }));

  it('is the same every time, and only its dates move with "now"', () => {
    const now = new Date('2026-03-04T16:00:00Z');
    expect(summary(planAll(now), true)).toEqual(summary(planAll(now), true));
    expect(summary(planAll(new Date(now.getTime() + 9 * 86_400_000)), false)).toEqual(summary(planAll(now), false));
  });

  it('plans transfers as two legs joined by previousCallId, and consultations of a call on hold', () => {
    const plans = planAll(new Date('2026-03-04T16:00:00Z')).filter((p) => p.kind === 'call');
    const transfers = plans.filter((p) => p.kind === 'call' && p.segments[1]?.meta.previousCallId);
    expect(transfers.length).toBeGreaterThan(0);
    for (const p of transfers) {
      if (p.kind !== 'call') continue;
      const [a, b] = p.segments;
      expect(b!.meta.previousCallId).toBe(a!.meta.callId);
      expect(Date.parse(b!.meta.startTime)).toBe(Date.parse(a!.meta.startTime) + a!.durationMs);
      expect(a!.meta.events?.some((e) => e.type === 'transfer')).toBe(true);
      // Two different agents, both keyed "agent" (issue 16: each leg names its own); the wrap-up after the last leg.
      const agentOf = (m: typeof a) => m!.meta.parties.find((x) => x.key === 'agent')!.extension;
      expect(agentOf(b)).not.toBe(agentOf(a));
      expect(Number(b!.meta.metadata?.wrapUpSeconds)).toBeGreaterThanOrEqual(15);
    }
    const consults = plans.filter((p) => p.kind === 'call' && p.segments[1]?.meta.consultOfCallId);
    expect(consults.length).toBeGreaterThan(0);
    for (const p of consults) {
      if (p.kind !== 'call') continue;
      const [main, consult] = p.segments;
      const hold = main!.meta.events!.find((e) => e.type === 'hold')!;
      const resume = main!.meta.events!.find((e) => e.type === 'resume')!;
      const from = Date.parse(consult!.meta.startTime) - Date.parse(main!.meta.startTime);
      expect(from).toBeGreaterThan(hold.offsetMs!);
      expect(from + consult!.durationMs).toBeLessThan(resume.offsetMs!);
    }
  });
});

describe('screen videos', () => {
  it('uses the small committed fixture when ffmpeg is not installed', async () => {
    setFfmpegPath(null);
    try {
      const video = await new ScreenVideos().get(30, 0);
      expect(video).not.toBeNull();
      expect(video!.length).toBeLessThan(1024 * 1024);
      expect(await probeVideo(video!, 'screen.mp4')).toEqual({ container: 'mp4', durationMs: 20_000 });
    } finally {
      setFfmpegPath(undefined);
    }
  });

  it.runIf(findFfmpeg())('makes an MP4 of the call length with ffmpeg', async () => {
    const video = await new ScreenVideos().get(7, 1);
    expect(await probeVideo(video!, 'screen.mp4')).toEqual({ container: 'mp4', durationMs: 7_000 });
  });
});

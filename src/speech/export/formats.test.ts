// The transcript download formats: timestamps (rounding, hours past 99), cue order and escaping, and that a cue can
// never end early (line breaks) or break out of its text ("-->", tags).
import { describe, expect, it } from 'vitest';
import { clockTime, render, srtTime, toSrt, toTxt, toVtt, vttTime, type ExportTranscript, type ExportUtterance } from './formats.ts';

const utt = (id: string, role: ExportUtterance['role'], startMs: number, endMs: number, text: string): ExportUtterance => ({
  id,
  role,
  partyKey: role,
  startMs,
  endMs,
  text,
  confidence: 0.8,
  words: [],
  redacted: false,
});

const doc = (utterances: ExportUtterance[]): ExportTranscript => ({
  conversationId: 'c1',
  status: 'ready',
  reason: null,
  engine: 'pocketsphinx',
  language: 'en',
  createdAt: '2026-12-06T10:00:00.000Z',
  utterances,
});

describe('timestamps', () => {
  it('formats SRT with a comma and WebVTT with a dot, milliseconds padded', () => {
    expect(srtTime(0)).toBe('00:00:00,000');
    expect(srtTime(62_345)).toBe('00:01:02,345');
    expect(vttTime(62_345)).toBe('00:01:02.345');
    expect(vttTime(3_600_000 + 5)).toBe('01:00:00.005');
  });

  it('rounds fractional milliseconds, clamps negatives and lets hours grow past 99', () => {
    expect(srtTime(999.6)).toBe('00:00:01,000');
    expect(vttTime(-40)).toBe('00:00:00.000');
    expect(vttTime(100 * 3_600_000 + 61_001)).toBe('100:01:01.001');
  });

  it('gives whole seconds, rounded down, for the text format', () => {
    expect(clockTime(62_999)).toBe('00:01:02');
    expect(clockTime(3 * 3_600_000)).toBe('03:00:00');
  });
});

describe('formats', () => {
  const t = doc([
    utt('u2', 'customer', 4_000, 6_500, 'My card number is [CARD].'),
    utt('u1', 'agent', 500, 3_900, 'Thank you for calling,\nhow can I help?'),
    utt('u3', 'unknown', 7_000, 7_000, 'mm'),
    utt('u4', 'agent', 8_000, 9_000, '   '),
  ]);

  it('TXT: one line per utterance in time order, speaker by role, blank ones left out', () => {
    expect(toTxt(t)).toBe('[00:00:00] Agent: Thank you for calling, how can I help?\n[00:00:04] Customer: My card number is [CARD].\n[00:00:07] Speaker: mm\n');
  });

  it('SRT: numbered cues, text on one line, a zero-length cue gets a millisecond', () => {
    expect(toSrt(t)).toBe(
      [
        '1\n00:00:00,500 --> 00:00:03,900\nAgent: Thank you for calling, how can I help?\n',
        '2\n00:00:04,000 --> 00:00:06,500\nCustomer: My card number is [CARD].\n',
        '3\n00:00:07,000 --> 00:00:07,001\nSpeaker: mm\n',
      ].join('\n'),
    );
  });

  it('WebVTT: header, cue ids, the speaker as a voice tag', () => {
    const vtt = toVtt(t);
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    expect(vtt).toContain('u1\n00:00:00.500 --> 00:00:03.900\n<v Agent>Thank you for calling, how can I help?\n');
    expect(vtt).toContain('u2\n00:00:04.000 --> 00:00:06.500\n<v Customer>My card number is [CARD].\n');
    // Cues are separated by exactly one blank line.
    expect(vtt.split('\n\n')).toHaveLength(4);
  });

  it('escapes what would end a cue or open a tag', () => {
    const nasty = doc([utt('u1', 'customer', 0, 1000, 'a --> b <i>x</i> & c\n\nd')]);
    expect(toVtt(nasty)).toContain('<v Customer>a --&gt; b &lt;i&gt;x&lt;/i&gt; &amp; c d\n');
    const srt = toSrt(nasty);
    expect(srt).toBe('1\n00:00:00,000 --> 00:00:01,000\nCustomer: a --› b ‹i›x‹/i› & c d\n');
    // Only the timing line has an arrow.
    expect(srt.match(/-->/g)).toHaveLength(1);
  });

  it('JSON: the API shape, as given', () => {
    const parsed = JSON.parse(render('json', t)) as ExportTranscript;
    expect(parsed.engine).toBe('pocketsphinx');
    expect(parsed.utterances.map((u) => u.id)).toEqual(['u2', 'u1', 'u3', 'u4']);
  });

  it('an empty transcript is a valid empty file in every format', () => {
    const empty = doc([]);
    expect(toTxt(empty)).toBe('');
    expect(toSrt(empty)).toBe('');
    expect(toVtt(empty)).toBe('WEBVTT\n\n');
  });
});

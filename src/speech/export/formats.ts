// Transcript downloads: plain text, SubRip (SRT), WebVTT and JSON, from the transcript as the caller may see it
// (redacted or not, decided before it gets here). Pure functions, so every format is unit tested on its own.
import type { SpeakerRole } from '../model.ts';

export type TranscriptFormat = 'txt' | 'srt' | 'vtt' | 'json';
export const TRANSCRIPT_FORMATS: readonly TranscriptFormat[] = ['txt', 'srt', 'vtt', 'json'];

export const CONTENT_TYPES: Record<TranscriptFormat, string> = {
  txt: 'text/plain; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** One utterance as the transcript API gives it (and the JSON download repeats). */
export interface ExportUtterance {
  id: string;
  role: SpeakerRole;
  partyKey: string | null;
  segmentId?: string | null;
  startMs: number;
  endMs: number;
  text: string;
  confidence: number | null;
  words: { w: string; s: number; e: number; c: number | null; a?: boolean }[];
  redacted: boolean;
  pii?: { type: string; firstWord: number; lastWord: number }[];
}

export interface ExportTranscript {
  conversationId: string;
  status: string | null;
  reason: string | null;
  engine: string | null;
  language: string | null;
  createdAt: string | null;
  /** True when this reader gets the redacted view. */
  redacted?: boolean;
  utterances: ExportUtterance[];
}

const SPEAKER: Record<SpeakerRole, string> = { agent: 'Agent', customer: 'Customer', unknown: 'Speaker' };
export const speakerLabel = (role: SpeakerRole) => SPEAKER[role] ?? 'Speaker';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function parts(ms: number) {
  const v = Math.max(0, Math.round(ms));
  return { h: Math.floor(v / 3_600_000), m: Math.floor(v / 60_000) % 60, s: Math.floor(v / 1000) % 60, ms: v % 1000 };
}

/** 00:01:02 (whole seconds, rounded down; hours grow past 99 rather than wrap). */
export function clockTime(ms: number): string {
  const p = parts(Math.floor(Math.max(0, ms) / 1000) * 1000);
  return `${pad(p.h)}:${pad(p.m)}:${pad(p.s)}`;
}

/** SRT: 00:01:02,345 */
export const srtTime = (ms: number) => {
  const p = parts(ms);
  return `${pad(p.h)}:${pad(p.m)}:${pad(p.s)},${pad(p.ms, 3)}`;
};

/** WebVTT: 00:01:02.345 */
export const vttTime = (ms: number) => {
  const p = parts(ms);
  return `${pad(p.h)}:${pad(p.m)}:${pad(p.s)}.${pad(p.ms, 3)}`;
};

/** One line of text: a line break or blank line inside a cue would end it early. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Cues in time order, never empty and never ending before they start (players drop such cues). */
function cues(t: ExportTranscript) {
  return [...t.utterances]
    .filter((u) => oneLine(u.text) !== '')
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs)
    .map((u) => ({ u, start: Math.max(0, u.startMs), end: Math.max(u.endMs, Math.max(0, u.startMs) + 1), text: oneLine(u.text) }));
}

/** "[00:01:02] Agent: …", one utterance a line. */
export function toTxt(t: ExportTranscript): string {
  return cues(t)
    .map((c) => `[${clockTime(c.start)}] ${speakerLabel(c.u.role)}: ${c.text}\n`)
    .join('');
}

/**
 * SubRip has no escaping: the text stays on one line (a blank line ends a cue), and angle brackets become look-alikes
 * so "<" cannot open a formatting tag nor "-->" read as a timing line.
 */
const srtText = (text: string) => text.replace(/</g, '‹').replace(/>/g, '›');

export function toSrt(t: ExportTranscript): string {
  return cues(t)
    .map((c, i) => `${i + 1}\n${srtTime(c.start)} --> ${srtTime(c.end)}\n${speakerLabel(c.u.role)}: ${srtText(c.text)}\n`)
    .join('\n');
}

/** WebVTT cue text: &, < and > as character references (which also keeps "-->" out of it). */
export const vttEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** WebVTT with the speaker as a voice span (<v Agent>), so players and screen readers can tell who speaks. */
export function toVtt(t: ExportTranscript): string {
  const body = cues(t)
    .map((c) => `${/^[\w-]+$/.test(c.u.id) ? `${c.u.id}\n` : ''}${vttTime(c.start)} --> ${vttTime(c.end)}\n<v ${speakerLabel(c.u.role)}>${vttEscape(c.text)}\n`)
    .join('\n');
  return `WEBVTT\n\n${body}`;
}

export const toJson = (t: ExportTranscript) => `${JSON.stringify(t, null, 2)}\n`;

export function render(format: TranscriptFormat, t: ExportTranscript): string {
  switch (format) {
    case 'txt':
      return toTxt(t);
    case 'srt':
      return toSrt(t);
    case 'vtt':
      return toVtt(t);
    case 'json':
      return toJson(t);
  }
}

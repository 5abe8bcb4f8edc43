// The speech.transcribe job: one conversation's call audio → its current transcript.
//
// Per party stream (stereo channels or separate legs: the speaker is the party; a mono mix: one stream, speaker
// "unknown", never guessed) the analysed PCM is sent to the tenant's engine in chunks of voice-activity regions (so
// silence is never sent, a 3-hour call never sits in memory whole, and progress moves), the words placed on the
// conversation timeline, cut into utterances, merged over the parties, normalised for display, and checked for PII
// (the redacted text is the only text users without "play unredacted" get). Everything is stored in one transaction
// with the speech state: readers see the previous transcript or the new one, never part of one. An engine that is
// down, slow or answers garbage throws, so the job retries; after the last attempt the conversation says why it failed.
import type { AppContext } from '../../context.ts';
import { inTransaction } from '../../platform/db/uow.ts';
import { publishEvent } from '../../platform/events/index.ts';
import { newId, nowIso } from '../../platform/ids.ts';
import type { StreamRenditionsTable } from '../../platform/db/schema.ts';
import { readSettings, type TenantSettings } from '../../settings/model.ts';
import * as mediaRepo from '../../media/pipeline/repository.ts';
import type { AsrEngine, PiiSpan, PiiType, SpeakerRole, SpeechStatus, Vocabulary } from '../model.ts';
import { PII_TYPES } from '../model.ts';
import { detectPii } from '../redaction/detect.ts';
import { replaceTranscript, setSpeechStatus, type NewUtterance } from '../repository.ts';
import { displayText } from '../text/normalize.ts';
import { renderRedacted } from '../text/redact.ts';
import { queueRedaction } from '../redaction/service.ts';
import { queueSpotting } from '../tags/service.ts';
import { engineFor } from './engine.ts';
import * as repo from './repository.ts';
import { checkEngineOutput, chunkRegions, mergeParties, placeUtterances, regionsOfStream, resampleLinear, type PartyUtterance } from './utterances.ts';

/** Speech per engine call: ~1 minute of pocketsphinx CPU, so progress moves and a slow engine is noticed. */
export const CHUNK_SPEECH_MS = 10 * 60_000;
/** Entries in the vocabulary handed to the engine. */
export const MAX_VOCABULARY = 1_000;
/** Utterances before the current one whose words PII detection sees as context ("the card number is …"). */
const PII_CONTEXT_UTTERANCES = 2;

export interface TranscribeJob {
  attempt: number;
  maxAttempts: number;
  signal?: AbortSignal;
  progress(fraction: number, note: string): void;
  /** Speech per engine call (default CHUNK_SPEECH_MS; tests make it small to cut a short call into pieces). */
  chunkSpeechMs?: number;
  /** Time allowed for one engine call (default: engineDeadlineMs of its speech). */
  engineTimeoutMs?: number;
}

/** What one engine call may take: generous (a busy machine runs pocketsphinx near real time), but never forever. */
export const engineDeadlineMs = (speechMs: number) => 5 * 60_000 + 3 * speechMs;

/**
 * Runs one engine call with a deadline: a hung engine (a server that never answers, a stuck child process) is aborted
 * and fails the attempt, so the job retries instead of holding its worker forever.
 */
async function withDeadline<T>(engine: string, ms: number, parent: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onAbort = () => ac.abort(parent?.reason);
  parent?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`The speech engine "${engine}" did not answer within ${ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}`);
      ac.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([run(ac.signal), timeout]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onAbort);
  }
}

export type TranscribeResult =
  | { status: 'gone' }
  | { status: Extract<SpeechStatus, 'no_engine'>; reason: string }
  | { status: Extract<SpeechStatus, 'ready' | 'no_speech'>; engine: string; utterances: number; words: number };

interface Party {
  rendition: StreamRenditionsTable;
  segmentId: string;
  streamId: string;
  partyKey: string | null;
  role: SpeakerRole;
  /** Where the stream's audio starts on the conversation timeline. */
  offsetMs: number;
}

export const roleOf = (participantRole: string | undefined): SpeakerRole =>
  participantRole === 'agent' || participantRole === 'customer' ? participantRole : 'unknown';

/** The words the engines should expect: tenant vocabulary, company, agents, the call's own parties, speech-tag phrases. */
export async function buildVocabulary(
  ctx: AppContext,
  tenant: { id: string; name: string },
  settings: TenantSettings,
  conversationId: string,
): Promise<Vocabulary> {
  const [agents, tags, parties] = await Promise.all([
    repo.agentNames(ctx.db, tenant.id, 500),
    repo.speechTagPhrases(ctx.db, tenant.id, 500),
    repo.participantNames(ctx.db, conversationId),
  ]);
  const seen = new Set<string>();
  const phrases: string[] = [];
  for (const p of [...settings.speechVocabulary, tenant.name, ...parties, ...agents, ...tags]) {
    const v = p.trim().replace(/\s+/g, ' ');
    const k = v.toLowerCase();
    if (!v || seen.has(k) || phrases.length >= MAX_VOCABULARY) continue;
    seen.add(k);
    phrases.push(v);
  }
  return { phrases };
}

async function partiesOf(ctx: AppContext, conversationId: string, convStart: number): Promise<Party[]> {
  const segments = await mediaRepo.callSegments(ctx.db, conversationId);
  const [streams, renditions, participants] = await Promise.all([
    mediaRepo.audioStreams(
      ctx.db,
      segments.map((s) => s.id),
    ),
    mediaRepo.renditionsOf(ctx.db, conversationId),
    mediaRepo.participants(ctx.db, conversationId),
  ]);
  const byStream = new Map(renditions.map((r) => [r.stream_id, r]));
  const roles = new Map(participants.map((p) => [p.party_key, p.role]));
  const out: Party[] = [];
  for (const seg of segments) {
    const offsetMs = Date.parse(String(seg.started_at)) - convStart;
    for (const st of streams.filter((s) => s.segment_id === seg.id)) {
      const r = byStream.get(st.id);
      if (!r || r.status !== 'ok' || !r.pcm_blob_id || !(Number(r.sample_rate) > 0)) continue;
      // A stream with no party is a mono mix of everyone: its speaker is unknown, and stays so.
      const role = st.party_key === null ? 'unknown' : roleOf(roles.get(st.party_key));
      out.push({ rendition: r, segmentId: seg.id, streamId: st.id, partyKey: st.party_key, role, offsetMs });
    }
  }
  return out;
}

/** The rate to hand the engine: the audio's own when the engine takes it, else the engine's preferred rate. */
const engineRate = (engine: AsrEngine, rate: number) =>
  rate >= engine.sampleRates.min && rate <= engine.sampleRates.max ? rate : engine.sampleRates.preferred;

async function transcribeParty(
  ctx: AppContext,
  tenantId: string,
  engine: AsrEngine,
  party: Party,
  base: { language: string; vocabulary: Vocabulary; signal?: AbortSignal; chunkSpeechMs: number; engineTimeoutMs?: number },
  onChunk: (speechMs: number) => void,
): Promise<{ utterances: PartyUtterance[]; audioMs: number }> {
  const r = party.rendition;
  const rate = Number(r.sample_rate);
  const durationMs = (Number(r.pcm_bytes) / 2 / rate) * 1000;
  const regions = regionsOfStream(ctx.adapter.fromJson<Array<[number, number]>>(r.speech) ?? [], party.offsetMs, durationMs);
  const placed: PartyUtterance[] = [];
  for (const chunk of chunkRegions(regions, base.chunkSpeechMs)) {
    base.signal?.throwIfAborted();
    // Only this chunk's stretch of audio is read (and decrypted): whole sample frames from its first to last region.
    const firstSample = Math.floor((chunk[0]!.startMs * rate) / 1000);
    const lastSample = Math.min(Number(r.pcm_bytes) / 2, Math.ceil((chunk[chunk.length - 1]!.endMs * rate) / 1000));
    if (lastSample <= firstSample) continue;
    const bytes = await ctx.blobs.readAll(tenantId, r.pcm_blob_id!, { start: firstSample * 2, end: lastSample * 2 - 1 });
    // Copied into an aligned buffer: a Buffer slice may start at an odd offset.
    const samples = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.byteLength & ~1)));
    const shiftMs = (firstSample * 1000) / rate;
    const toRate = engineRate(engine, rate);
    const pcm = resampleLinear(samples, rate, toRate);
    const speech = chunk.map((x) => ({ startMs: x.startMs - shiftMs, endMs: x.endMs - shiftMs }));
    const speechMs = chunk.reduce((t, x) => t + x.endMs - x.startMs, 0);
    const raw = await withDeadline(engine.id, base.engineTimeoutMs ?? engineDeadlineMs(speechMs), base.signal, (signal) =>
      engine.transcribe({ pcm, sampleRate: toRate, speech, language: base.language, vocabulary: base.vocabulary, signal }),
    );
    const utts = checkEngineOutput(engine.id, raw, (pcm.length * 1000) / toRate);
    placed.push(
      ...placeUtterances(utts, { segmentId: party.segmentId, streamId: party.streamId, partyKey: party.partyKey, role: party.role }, party.offsetMs + shiftMs),
    );
    onChunk(speechMs);
  }
  return { utterances: placed, audioMs: Math.round(durationMs) };
}

/** Display text, PII spans and redacted text of the merged utterances, in time order. */
export function finishUtterances(merged: readonly PartyUtterance[], piiTypes: readonly PiiType[]): NewUtterance[] {
  const out: NewUtterance[] = [];
  for (const [i, u] of merged.entries()) {
    const words = u.words.map((w) => w.w);
    const context = merged.slice(Math.max(0, i - PII_CONTEXT_UTTERANCES), i).flatMap((p) => p.words.map((w) => w.w));
    const pii: PiiSpan[] = piiTypes.length
      ? detectPii(words, piiTypes, context).map((m) => ({
          type: m.type,
          firstWord: m.firstWord,
          lastWord: m.lastWord,
          startMs: u.words[m.firstWord]!.s,
          endMs: u.words[m.lastWord]!.e,
        }))
      : [];
    out.push({
      id: newId(),
      segmentId: u.segmentId,
      streamId: u.streamId,
      partyKey: u.partyKey,
      role: u.role,
      seq: i,
      startMs: Math.round(u.startMs),
      endMs: Math.round(u.endMs),
      text: words.join(' '),
      displayText: displayText(words),
      redactedText: renderRedacted(words, pii),
      confidence: u.confidence,
      words: u.words,
      pii,
    });
  }
  return out;
}

export async function transcribeConversation(ctx: AppContext, conversationId: string, job: TranscribeJob): Promise<TranscribeResult> {
  const conv = await mediaRepo.conversationOf(ctx.db, conversationId);
  if (!conv) return { status: 'gone' };
  try {
    const tenant = await repo.tenantOf(ctx.db, conv.tenant_id);
    const settings = readSettings(ctx.adapter.fromJson(tenant?.settings));
    const language = settings.searchLanguage;
    const resolved = await engineFor(ctx, settings, language);
    if (!resolved.engine) {
      // Not a failure: nothing to retry until an administrator installs or chooses an engine.
      await setSpeechStatus(ctx.db, conversationId, 'no_engine', resolved.reason);
      return { status: 'no_engine', reason: resolved.reason };
    }
    const engine = resolved.engine;
    const convStart = Date.parse(String(conv.started_at));
    const parties = await partiesOf(ctx, conversationId, convStart);
    const vocabulary = await buildVocabulary(ctx, { id: conv.tenant_id, name: tenant?.name ?? '' }, settings, conversationId);
    const totalSpeech = parties.reduce((t, p) => t + speechMsOf(ctx, p), 0);
    let doneSpeech = 0;
    let audioMs = 0;
    const started = Date.now();
    const perParty: PartyUtterance[][] = [];
    for (const [i, party] of parties.entries()) {
      job.progress(totalSpeech ? doneSpeech / totalSpeech : i / parties.length, `transcribing party ${i + 1} of ${parties.length}`);
      const r = await transcribeParty(
        ctx,
        conv.tenant_id,
        engine,
        party,
        { language, vocabulary, signal: job.signal, chunkSpeechMs: job.chunkSpeechMs ?? CHUNK_SPEECH_MS, engineTimeoutMs: job.engineTimeoutMs },
        (ms) => {
          doneSpeech += ms;
          job.progress(Math.min(0.99, totalSpeech ? doneSpeech / totalSpeech : 0), `transcribing party ${i + 1} of ${parties.length}`);
        },
      );
      perParty.push(r.utterances);
      audioMs += r.audioMs;
    }
    const piiTypes = settings.piiTypes.filter((t): t is PiiType => (PII_TYPES as readonly string[]).includes(t));
    const utterances = finishUtterances(mergeParties(perParty), piiTypes);
    const words = utterances.reduce((t, u) => t + u.words.length, 0);
    const status = words > 0 ? 'ready' : 'no_speech';
    const reason = words > 0 ? null : parties.length === 0 ? 'The call has no analysed audio to transcribe' : 'No speech was recognised in the recording';
    const now = nowIso();
    await inTransaction(ctx.db, async (uow) => {
      const { tx } = uow;
      await replaceTranscript(
        tx,
        ctx.adapter,
        {
          id: newId(),
          tenant_id: conv.tenant_id,
          conversation_id: conversationId,
          engine: engine.id,
          language,
          word_count: words,
          audio_ms: audioMs,
          // Engine time as the job saw it (wall clock): a child-process engine's CPU is not visible from here.
          cpu_ms: Date.now() - started,
          created_at: now,
        },
        utterances,
      );
      await setSpeechStatus(tx, conversationId, status, reason, now);
      // What follows a stored transcript, queued with it (so each sees the new words): speech-tag spotting, and the
      // redacted audio (written, or removed when no PII is left).
      await queueSpotting(ctx, uow, conv.tenant_id, conversationId);
      await queueRedaction(ctx, uow, conv.tenant_id, conversationId);
      await publishEvent(ctx, uow, conv.tenant_id, 'transcript.ready', { conversationId, status, language, words });
    });
    job.progress(1, `${utterances.length} utterances`);
    return { status, engine: engine.id, utterances: utterances.length, words };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // The job system has no hook for a job going dead: the last attempt records the failure itself, then rethrows.
    const last = job.attempt >= job.maxAttempts;
    await setSpeechStatus(
      ctx.db,
      conversationId,
      last ? 'failed' : 'pending',
      last ? `Transcription failed: ${message}` : `Transcription attempt ${job.attempt} of ${job.maxAttempts} failed (${message}); it will be retried`,
    ).catch(() => {});
    throw err;
  }
}

function speechMsOf(ctx: AppContext, p: Party) {
  const stored = ctx.adapter.fromJson<Array<[number, number]>>(p.rendition.speech) ?? [];
  return stored.reduce((t, [a, b]) => t + Math.max(0, b - a), 0);
}

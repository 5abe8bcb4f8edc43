// The recorder's spool: one folder per call under <data>/recorder/spool, holding a manifest (who the call is, its
// streams, pauses; encrypted, since it names the parties) and one file per stream in the encrypted chunk format of
// the media store (ESBLOB, src/platform/crypto/envelope.ts) that the RTP worker appends sealed chunks to (1 s of
// G.711, or 100 ms of packet records).
// Each stream file has its own data key, wrapped by the tenant key like a blob's, so the spool is never plaintext on
// disk. After a crash a stream file ends with non-final chunks (and maybe a torn one): readSpool returns every chunk
// that authenticates, which is everything sealed before the crash.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decryptChunk, HEADER_SIZE, parseHeader, TAG_SIZE } from '../../platform/crypto/envelope.ts';
import type { SiprecMetadata, StreamAnswer } from '../model.ts';
import type { StreamResult } from '../rtp/protocol.ts';

export const SPOOL_CHUNK_BYTES = 800;
/** G.711 streams: one 1-s chunk (one cipher per stream-second; the worker seals each as soon as it is whole). */
export const SPOOL_PCM_CHUNK_BYTES = 8000;

export interface SpoolStream {
  index: number;
  label: string;
  file: string;
  spoolId: string;
  wrappedKey: string;
  kekId: string;
  answer: StreamAnswer;
  /** Codec name as offered (pcmu, pcma, g729 …); raw streams keep their payload records. */
  codec: string;
  storedRaw: boolean;
  reason: string | null;
  /** G.722/Opus: packets kept with their RTP timing and decoded at finalisation (media/coded.ts). */
  coded?: 'g722' | 'opus';
  closed?: boolean;
  result?: StreamResult;
}

export interface SpoolManifest {
  version: 1;
  callId: string;
  tenantId: string;
  openedAt: string;
  /** ms epoch of openedAt, the zero of every offset. */
  openedAtMs: number;
  meta: SiprecMetadata;
  streams: SpoolStream[];
  pauses: { startMs: number; endMs: number | null; by: 'api' | 'sip' }[];
  closedAtMs: number | null;
  closeReason: string | null;
  /** The RTP worker holding the call died: finalised with what was sealed, flagged clipped. */
  workerLost?: boolean;
  /** Finalisation progress: the ingest result once the conversation exists. */
  conversationId: string | null;
  segmentId: string | null;
}

export function spoolFolder(root: string, callId: string): string {
  return path.join(root, createHash('sha256').update(callId).digest('hex').slice(0, 32));
}

const MANIFEST = 'call.json';

/** The manifest file: { kekId, wrappedKey, id, iv, data, tag } — the JSON sealed with a key of its own. */
export function writeManifest(dir: string, m: SpoolManifest, keys: { dek: Buffer; wrappedKey: string; kekId: string; id: string }) {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keys.dek, iv);
  c.setAAD(Buffer.from(`earshot-spool-manifest:${keys.id}`));
  const data = Buffer.concat([c.update(JSON.stringify(m)), c.final()]);
  const body = JSON.stringify({
    v: 1,
    id: keys.id,
    kekId: keys.kekId,
    wrappedKey: keys.wrappedKey,
    tenantId: m.tenantId,
    iv: iv.toString('base64'),
    data: data.toString('base64'),
    tag: c.getAuthTag().toString('base64'),
  });
  const tmp = path.join(dir, `${MANIFEST}.tmp`);
  fs.writeFileSync(tmp, body, { mode: 0o600 });
  fs.renameSync(tmp, path.join(dir, MANIFEST));
}

export interface SealedManifest {
  id: string;
  kekId: string;
  wrappedKey: string;
  tenantId: string;
}

export function readManifestEnvelope(dir: string): (SealedManifest & { open(dek: Buffer): SpoolManifest }) | null {
  let raw: string;
  try {
    raw = fs.readFileSync(path.join(dir, MANIFEST), 'utf8');
  } catch {
    return null;
  }
  const j = JSON.parse(raw) as { id: string; kekId: string; wrappedKey: string; tenantId: string; iv: string; data: string; tag: string };
  return {
    id: j.id,
    kekId: j.kekId,
    wrappedKey: j.wrappedKey,
    tenantId: j.tenantId,
    open(dek: Buffer) {
      const d = createDecipheriv('aes-256-gcm', dek, Buffer.from(j.iv, 'base64'));
      d.setAAD(Buffer.from(`earshot-spool-manifest:${j.id}`));
      d.setAuthTag(Buffer.from(j.tag, 'base64'));
      return JSON.parse(Buffer.concat([d.update(Buffer.from(j.data, 'base64')), d.final()]).toString('utf8')) as SpoolManifest;
    },
  };
}

/**
 * The plaintext of a stream spool, chunk by chunk: every sealed chunk, the final one if the stream was closed, and
 * nothing of a chunk torn by a crash. `complete` tells whether the final chunk was there.
 */
export async function* readSpool(file: string, spoolId: string, dek: Buffer, state: { complete: boolean; bytes: number }): AsyncGenerator<Buffer> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch {
    return;
  }
  try {
    const head = Buffer.alloc(HEADER_SIZE);
    const { bytesRead } = await fh.read(head, 0, HEADER_SIZE, 0);
    if (bytesRead < HEADER_SIZE) return;
    const { chunkSize } = parseHeader(head);
    const frameLen = chunkSize + TAG_SIZE;
    const batch = Buffer.alloc(frameLen * 64);
    let pos = HEADER_SIZE;
    let index = 0;
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead: n } = await fh.read(batch, 0, batch.length, pos);
      pos += n;
      let data = carry.length ? Buffer.concat([carry, batch.subarray(0, n)]) : batch.subarray(0, n);
      const eof = n === 0;
      while (data.length >= frameLen) {
        const frame = data.subarray(0, frameLen);
        let plain: Buffer | null = null;
        try {
          // A full-size frame is a sealed middle chunk unless it is the very last one (a call of exact chunk length).
          plain = decryptChunk({ dek, blobId: spoolId, chunkSize, size: (index + 2) * chunkSize }, index, frame);
        } catch {
          try {
            plain = decryptChunk({ dek, blobId: spoolId, chunkSize, size: (index + 1) * chunkSize }, index, frame);
            state.complete = true;
          } catch {
            return;
          }
        }
        state.bytes += plain.length;
        yield plain;
        index++;
        data = data.subarray(frameLen);
        if (state.complete) return;
      }
      if (eof) {
        // A shorter last frame: the final chunk of a closed stream (or a torn write, which fails authentication).
        if (data.length >= TAG_SIZE) {
          try {
            const plain = decryptChunk({ dek, blobId: spoolId, chunkSize, size: index * chunkSize + data.length - TAG_SIZE }, index, data);
            state.complete = true;
            state.bytes += plain.length;
            yield plain;
          } catch {
            // torn: what came before is all there is
          }
        }
        return;
      }
      carry = Buffer.from(data);
    }
  } finally {
    await fh.close();
  }
}

// The "files" import format: audio files with a sidecar JSON of the same base name (call1.wav + call1.json, the
// call's metadata), or sidecars whose "audio" list names several files of one call (relative to the sidecar);
// .eml files (emails) and .chat.json files (chats). Planned folder by folder: one folder listing at a time, one
// sidecar read at a time, so memory does not grow with the tree.
import path from 'node:path';
import { Type } from 'typebox';
import type { AppContext } from '../../context.ts';
import { DomainError, invalid } from '../../platform/errors.ts';
import { parseJson, validate } from '../../platform/http/validate.ts';
import { MAX_EMAIL_BYTES } from '../email/parse.ts';
import * as repo from '../repository.ts';
import { CallMetadata, ChatInput } from '../schemas.ts';
import type { Static } from 'typebox';
import { isAudioName, readAudio, sniffChannels } from './audio.ts';
import { ALREADY_IMPORTED, refusedItem, relPath, unreadableDirItem, walkDirs, type ImportItem, type Prepared } from './items.ts';
import { readRegularFile } from './safe-read.ts';

/** A sidecar's own "channelMap" (for its one audio file when it has no "audio" list). */
const SidecarChannelMap = Type.Record(Type.String({ pattern: '^[0-7]$' }), Type.String({ minLength: 1, maxLength: 64 }), { minProperties: 1 });
type AudioEntry = NonNullable<Static<typeof CallMetadata>['audio']>[number];

const lower = (n: string) => n.toLowerCase();
export const isChatFile = (n: string) => lower(n).endsWith('.chat.json');
export const isEmailFile = (n: string) => lower(n).endsWith('.eml');
export const isSidecarFile = (n: string) => lower(n).endsWith('.json') && !isChatFile(n);
const baseOf = (n: string) => n.slice(0, n.length - path.extname(n).length);

export async function alreadyImported(ctx: AppContext, tenantId: string, kind: 'call' | 'chat' | 'email', externalId: string) {
  return !!(await repo.findSegmentByExternalId(ctx.db, tenantId, kind, externalId));
}

/** A "/"-separated path inside the sidecar's folder, or null when it points outside it. */
function insidePath(file: string): string | null {
  const norm = path.posix.normalize(file.replace(/\\/g, '/')).replace(/^(\.\/)+/, '');
  if (!norm || norm === '.' || norm.startsWith('/') || norm === '..' || norm.startsWith('../') || /^[A-Za-z]:/.test(norm)) return null;
  return norm;
}

interface Sidecar {
  value?: unknown;
  error?: DomainError;
}

async function readSidecar(file: string, label: string, maxBytes: number): Promise<Sidecar> {
  try {
    return { value: parseJson((await readRegularFile(file, 'The sidecar', label, maxBytes)).toString('utf8'), `The sidecar "${label}"`) };
  } catch (err) {
    if (err instanceof DomainError) return { error: err };
    // Unreadable (permissions, a folder named *.json): the item fails with the reason, the import goes on.
    if (typeof (err as NodeJS.ErrnoException).code === 'string')
      return { error: invalid(`The sidecar "${label}" could not be read: ${(err as Error).message}`, { reason: 'UNREADABLE' }) };
    throw err;
  }
}

/** The file names a sidecar's "audio" list gives, as written; [] when it has none (or is not readable). */
function listedAudio(value: unknown): string[] | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const audio = (value as { audio?: unknown }).audio;
  if (!Array.isArray(audio) || audio.length === 0) return null;
  return audio.flatMap((a) => (a && typeof a === 'object' && typeof (a as { file?: unknown }).file === 'string' ? [(a as { file: string }).file] : []));
}

/** The files that matter to this format (others, such as a README, are left alone). */
const isImportName = (n: string) => isChatFile(n) || isEmailFile(n) || isSidecarFile(n) || isAudioName(n);

/** `maxFileBytes`: no file of the tree is read past this (the upload limit). */
export async function* planFiles(root: string, maxFileBytes: number): AsyncGenerator<ImportItem> {
  // Files in subfolders that a sidecar of an enclosing folder lists (so they are not reported as lacking a sidecar).
  const subfolderClaims = new Set<string>();
  for await (const { dir, rel, files, refused, error } of walkDirs(root)) {
    if (error) {
      yield unreadableDirItem(rel, error);
      continue;
    }
    for (const r of refused) if (isImportName(r.name)) yield refusedItem(relPath(rel, r.name), r.why);
    const audioByBase = new Map<string, string[]>();
    for (const f of files) {
      if (!isAudioName(f)) continue;
      const list = audioByBase.get(baseOf(f)) ?? [];
      list.push(f);
      audioByBase.set(baseOf(f), list);
    }
    const claimed = new Set<string>();
    for (const name of files) {
      const file = path.join(dir, name);
      const label = relPath(rel, name);
      if (isChatFile(name)) yield chatItem(file, label, maxFileBytes);
      else if (isEmailFile(name)) yield emailItem(file, label);
      else if (isSidecarFile(name)) {
        const sidecar = await readSidecar(file, label, maxFileBytes);
        const listed = sidecar.error ? null : listedAudio(sidecar.value);
        const same = audioByBase.get(baseOf(name)) ?? [];
        if (listed) {
          for (const f of listed) {
            const inside = insidePath(f);
            if (!inside) continue;
            if (inside.includes('/')) subfolderClaims.add(relPath(rel, inside));
            else claimed.add(inside);
          }
        } else same.forEach((f) => claimed.add(f));
        yield sidecarItem(dir, label, sidecar, listed ? [] : same, maxFileBytes);
      }
    }
    for (const name of files) {
      if (!isAudioName(name) || claimed.has(name) || subfolderClaims.delete(relPath(rel, name))) continue;
      yield orphanAudioItem(relPath(rel, name));
    }
  }
}

function sidecarItem(dir: string, label: string, sidecar: Sidecar, sameName: string[], maxFileBytes: number): ImportItem {
  return {
    label,
    async prepare(ctx, tenantId): Promise<Prepared> {
      if (sidecar.error) throw sidecar.error;
      const value = sidecar.value;
      if (!value || typeof value !== 'object' || Array.isArray(value))
        throw invalid(`The sidecar "${label}" is not a JSON object`, { reason: 'INVALID_METADATA' });
      const { channelMap, ...rest } = value as Record<string, unknown>;
      const meta = validate(CallMetadata, rest, 'call metadata');
      if (await alreadyImported(ctx, tenantId, 'call', meta.callId)) return { kind: 'skip', reason: ALREADY_IMPORTED };
      const map = channelMap === undefined ? undefined : validate(SidecarChannelMap, channelMap, 'sidecar "channelMap"');

      if (meta.audio?.length) {
        if (map)
          throw invalid('"channelMap" at the top of a sidecar is for its one audio file; with an "audio" list, give each entry its own "channelMap"', {
            reason: 'INVALID_METADATA',
          });
        const files = [];
        for (const entry of meta.audio) {
          const inside = insidePath(entry.file);
          if (!inside) throw invalid(`The audio file "${entry.file}" must be inside the sidecar's folder`, { reason: 'INVALID_METADATA' });
          files.push(await readAudio(path.join(dir, ...inside.split('/')), entry.file, 'The sidecar lists the audio file', maxFileBytes));
        }
        return { kind: 'call', meta, files };
      }
      // No "audio" list: the one audio file of the same base name, if any (none: a call without a recording).
      if (sameName.length === 0) return { kind: 'call', meta, files: [] };
      if (sameName.length > 1) {
        throw invalid(`Several audio files share the sidecar's name (${sameName.join(', ')}); name them in its "audio" list`, {
          reason: 'AUDIO_NOT_DESCRIBED',
        });
      }
      const name = sameName[0]!;
      const file = await readAudio(path.join(dir, name), name, 'The audio file', maxFileBytes);
      const entry: AudioEntry = { file: name };
      if (map) entry.channelMap = map;
      else if (sniffChannels(file.data, name) === 2) entry.channelMap = defaultStereoMap(meta, name);
      return { kind: 'call', meta: { ...meta, audio: [entry] }, files: [file] };
    },
  };
}

/** Left = the first agent party, right = the first customer party (the usual call recorder layout). */
function defaultStereoMap(meta: CallMetadata, file: string): Record<string, string> {
  const agent = meta.parties.find((p) => p.role === 'agent');
  const customer = meta.parties.find((p) => p.role === 'customer');
  if (!agent || !customer) {
    throw invalid(`"${file}" is stereo, but the sidecar has no "channelMap" and no agent and customer party to default to (left = agent, right = customer)`, {
      reason: 'CHANNEL_MAP_MISMATCH',
    });
  }
  return { 0: agent.key, 1: customer.key };
}

function emailItem(file: string, label: string): ImportItem {
  return {
    label,
    async prepare(): Promise<Prepared> {
      return { kind: 'email', raw: await readRegularFile(file, 'The email', label, MAX_EMAIL_BYTES) };
    },
  };
}

function chatItem(file: string, label: string, maxBytes: number): ImportItem {
  return {
    label,
    async prepare(ctx, tenantId): Promise<Prepared> {
      const text = (await readRegularFile(file, 'The chat', label, maxBytes)).toString('utf8');
      const input = validate(ChatInput, parseJson(text, `The chat "${label}"`), 'chat');
      if (await alreadyImported(ctx, tenantId, 'chat', input.chatId)) return { kind: 'skip', reason: ALREADY_IMPORTED };
      return { kind: 'chat', input };
    },
  };
}

function orphanAudioItem(label: string): ImportItem {
  const name = path.posix.basename(label);
  return {
    label,
    async prepare(): Promise<Prepared> {
      throw invalid(`No sidecar: "${name}" needs "${baseOf(name)}.json" beside it with the call's metadata, or to be listed in a sidecar's "audio"`, {
        reason: 'NO_SIDECAR',
      });
    },
  };
}

// The Amazon Connect import format: contact trace records (CTR JSON, one object per file or newline-delimited as
// Kinesis Firehose writes them, optionally gzipped) and call recordings laid out as Connect stores them:
// …/connect/<instance>/CallRecordings/YYYY/MM/DD/<contactId>_<YYYYMMDDThh:mm>_UTC.wav (stereo: customer left,
// agent right). One item per CTR record, then one per recording that no CTR names.
import fs from 'node:fs';
import path from 'node:path';
import { invalid } from '../../platform/errors.ts';
import { validate } from '../../platform/http/validate.ts';
import { resolveAgent } from '../agents.ts';
import * as repo from '../repository.ts';
import { CallMetadata } from '../schemas.ts';
import type { BufferedFile as UploadedFile } from '../ingest/calls.ts';
import { isAudioName, readAudio, sniffChannels } from './audio.ts';
import { alreadyImported, isChatFile, isEmailFile } from './files.ts';
import { ALREADY_IMPORTED, refusedItem, relPath, unreadableDirItem, walkDirs, type ImportItem, type Prepared } from './items.ts';
import { readJsonRecords } from './json-records.ts';

export const RECORDINGS_DIR = 'CallRecordings';
/** Folders Connect writes beside CallRecordings that hold no contact trace records. */
const OTHER_CONNECT_DIRS = new Set(['ChatTranscripts', 'ScreenRecordings', 'Reports', 'Attachments', 'ContactEvaluations', 'Analysis', 'AgentEvents']);
/** Connect writes the customer on the left channel and the agent on the right. */
export const CONNECT_CHANNEL_MAP = { 0: 'customer', 1: 'agent' } as const;

type Json = Record<string, unknown>;
type Direction = CallMetadata['direction'];
type Party = CallMetadata['parties'][number];

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const scalar = (v: unknown): string | undefined => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : str(v));
const toPosix = (p: string) => p.split(path.sep).join('/');

// ---- which files are what --------------------------------------------------------------------------------

const CTR_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.gz', '']);

async function startsLikeJson(file: string): Promise<boolean> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const b = Buffer.alloc(512);
    const { bytesRead } = await fh.read(b, 0, 512, 0);
    if (bytesRead >= 2 && b[0] === 0x1f && b[1] === 0x8b) return true; // gzip
    const text = b
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\ufeff/, '')
      .trimStart();
    return text.startsWith('{') || text.startsWith('[');
  } finally {
    await fh.close();
  }
}

/** CTR files: JSON, JSON lines and gzip by extension; Firehose objects (no extension) when they start like JSON. */
export async function isCtrFile(file: string): Promise<boolean> {
  const name = path.basename(file);
  if (isChatFile(name) || isEmailFile(name)) return false;
  const ext = path.extname(name).toLowerCase();
  if (!CTR_EXTENSIONS.has(ext)) return false;
  // An unreadable file counts as one, so the read error shows in the summary.
  return ext === '.json' || ext === '.jsonl' || ext === '.ndjson' ? true : startsLikeJson(file).catch(() => true);
}

/** A link or device that would have been read as a CTR file (by its extension): reported, never read. */
const isCtrName = (name: string) => ['.json', '.jsonl', '.ndjson', '.gz'].includes(path.extname(name).toLowerCase()) && !isChatFile(name) && !isEmailFile(name);

/** Outside CallRecordings, skip the folders of other Connect data; CallRecordings folders are walked on their own. */
const skipInCtrWalk = (name: string) => name === RECORDINGS_DIR || OTHER_CONNECT_DIRS.has(name);

/** A record that looks like a CTR: a ContactId and one of the fields every CTR has. */
export const looksLikeCtr = (v: unknown) => isObject(v) && !!str(v.ContactId) && ('Channel' in v || 'InitiationMethod' in v || 'InitiationTimestamp' in v);

// ---- the scan (count) pass ---------------------------------------------------------------------------------

export interface ConnectScan {
  /** CTR records in the tree (each one item). */
  records: number;
  /** Contact ids that have a CTR (their recordings are imported with it, not on their own). */
  ctrContactIds: Set<string>;
  /** Absolute paths of the CallRecordings folders. */
  recordingRoots: string[];
  /** Recordings no CTR names (each one item). */
  recordingsWithoutCtr: number;
  /** Folders that could not be listed (each one failed item). */
  unreadableFolders: number;
  /** Links, devices, pipes and sockets named like CTR files or recordings (each one failed item). */
  refusedFiles: number;
}

/**
 * Counts the items and learns which contacts have a CTR. Holds the set of contact ids with a CTR (a few dozen
 * bytes each) — never a record, a recording or a file listing beyond the folder being read.
 */
export async function scanConnect(root: string): Promise<ConnectScan> {
  const scan: ConnectScan = { records: 0, ctrContactIds: new Set(), recordingRoots: [], recordingsWithoutCtr: 0, unreadableFolders: 0, refusedFiles: 0 };
  for await (const d of walkDirs(root, {
    skipDir: (name, rel) => {
      if (name === RECORDINGS_DIR) scan.recordingRoots.push(path.join(root, ...rel.split('/')));
      return skipInCtrWalk(name);
    },
  })) {
    if (d.error) scan.unreadableFolders++;
    scan.refusedFiles += d.refused.filter((r) => isCtrName(r.name)).length;
    for (const name of d.files) {
      const file = path.join(d.dir, name);
      if (!(await isCtrFile(file))) continue;
      for await (const rec of readJsonRecords(file)) {
        scan.records++;
        const id = isObject(rec.value) ? str(rec.value.ContactId) : undefined;
        if (id) scan.ctrContactIds.add(id);
      }
    }
  }
  for (const recRoot of scan.recordingRoots) {
    for await (const d of walkDirs(recRoot)) {
      if (d.error) scan.unreadableFolders++;
      scan.refusedFiles += d.refused.filter((r) => isAudioName(r.name)).length;
      for (const name of d.files) {
        if (!isAudioName(name)) continue;
        const parsed = parseRecordingName(name, d.rel);
        if (!parsed || !scan.ctrContactIds.has(parsed.contactId)) scan.recordingsWithoutCtr++;
      }
    }
  }
  return scan;
}

// ---- the import pass -------------------------------------------------------------------------------------

export async function* planConnect(root: string, scan: ConnectScan): AsyncGenerator<ImportItem> {
  const finder = new RecordingFinder(scan.recordingRoots);
  for await (const d of walkDirs(root, { skipDir: skipInCtrWalk })) {
    if (d.error) yield unreadableDirItem(d.rel, d.error);
    for (const r of d.refused) if (isCtrName(r.name)) yield refusedItem(relPath(d.rel, r.name), r.why);
    for (const name of d.files) {
      const file = path.join(d.dir, name);
      if (!(await isCtrFile(file))) continue;
      const label = relPath(d.rel, name);
      const single = path.extname(name).toLowerCase() === '.json';
      for await (const rec of readJsonRecords(file)) {
        yield ctrItem(root, finder, rec.index === 1 && single ? label : `${label} (record ${rec.index})`, rec);
      }
    }
  }
  for (const recRoot of scan.recordingRoots) {
    for await (const d of walkDirs(recRoot)) {
      if (d.error) yield unreadableDirItem(toPosix(path.relative(root, d.dir)), d.error);
      for (const r of d.refused) if (isAudioName(r.name)) yield refusedItem(toPosix(path.relative(root, path.join(d.dir, r.name))), r.why);
      for (const name of d.files) {
        if (!isAudioName(name)) continue;
        const parsed = parseRecordingName(name, d.rel);
        if (parsed && scan.ctrContactIds.has(parsed.contactId)) continue;
        yield recordingItem(path.join(d.dir, name), toPosix(path.relative(root, path.join(d.dir, name))), parsed);
      }
    }
  }
}

function ctrItem(root: string, finder: RecordingFinder, label: string, rec: { value?: unknown; error?: string }): ImportItem {
  return {
    label,
    async prepare(ctx, tenantId): Promise<Prepared> {
      if (rec.error) throw invalid(`The contact trace record file is not valid: ${rec.error}`, { reason: 'MALFORMED_JSON' });
      const ctr = rec.value;
      if (!isObject(ctr) || !looksLikeCtr(ctr))
        throw invalid('Not a contact trace record (a ContactId and the Channel, InitiationMethod or InitiationTimestamp fields are expected)', {
          reason: 'NOT_A_CTR',
        });
      const contactId = str(ctr.ContactId)!;
      const channel = (str(ctr.Channel) ?? 'VOICE').toUpperCase();
      if (channel !== 'VOICE' && (await finder.find(ctr)).length === 0) {
        const reason =
          channel === 'CHAT'
            ? 'chat transcripts are not in CTRs'
            : channel === 'TASK'
              ? 'tasks have no recording or transcript'
              : channel === 'EMAIL'
                ? 'email contents are not in CTRs'
                : `${channel.toLowerCase()} contacts are not imported`;
        return { kind: 'skip', reason };
      }
      if (await alreadyImported(ctx, tenantId, 'call', contactId)) return { kind: 'skip', reason: ALREADY_IMPORTED };
      const recordings = await finder.find(ctr);
      let note: string | undefined;
      if (recordings.length === 0) {
        const expected = expectedRecording(ctr);
        if (expected) {
          throw invalid(
            `recording ${expected.location ? `"${expected.location}"` : `of contact ${contactId}`} not found (looked for ${contactId}_*.wav in ${finder.where(ctr)})`,
            { reason: 'MISSING_FILE' },
          );
        }
        note = noRecordingNote(ctr);
      }
      const files: UploadedFile[] = [];
      for (const f of recordings) files.push(await readAudio(f, path.basename(f), 'The recording', ctx.config.uploadLimitBytes));
      const previous = str(ctr.PreviousContactId);
      const previousDirection = previous
        ? ((await repo.findSegmentByExternalId(ctx.db, tenantId, 'call', previous))?.direction as Direction | null | undefined)
        : undefined;
      const agentUsername = isObject(ctr.Agent) ? str(ctr.Agent.Username) : undefined;
      const agentIsUser = agentUsername ? !!(await resolveAgent(ctx.db, tenantId, identityOfUsername(agentUsername))) : false;
      const mapped = ctrToCall(ctr, { files, previousDirection: previousDirection ?? undefined, agentIsUser });
      const meta = validate(CallMetadata, mapped.meta, 'call metadata from the contact trace record');
      const notes = [note, mapped.note].filter(Boolean);
      return { kind: 'call', meta, files, note: notes.length ? notes.join('; ') : undefined };
    },
  };
}

function recordingItem(file: string, label: string, parsed: ParsedRecordingName | null): ImportItem {
  return {
    label,
    async prepare(ctx, tenantId): Promise<Prepared> {
      if (!parsed) {
        throw invalid(
          'No contact trace record names this recording and its path does not give the contact id and time (<contactId>_<YYYYMMDDThh:mm>_UTC.wav under YYYY/MM/DD)',
          { reason: 'NO_CTR' },
        );
      }
      if (await alreadyImported(ctx, tenantId, 'call', parsed.contactId)) return { kind: 'skip', reason: ALREADY_IMPORTED };
      const audio = await readAudio(file, path.basename(file), 'The recording', ctx.config.uploadLimitBytes);
      const stereo = sniffChannels(audio.data, audio.fileName) === 2;
      const meta = validate(
        CallMetadata,
        {
          callId: parsed.contactId,
          startTime: parsed.startTime,
          direction: 'inbound',
          parties: [
            { key: 'customer', role: 'customer' },
            { key: 'agent', role: 'agent' },
          ],
          audio: [{ file: audio.fieldName, ...(stereo ? { channelMap: { ...CONNECT_CHANNEL_MAP } } : {}) }],
          metadata: { source: 'amazon-connect', ctr: 'missing' },
        },
        'call metadata from the recording path',
      );
      return { kind: 'call', meta, files: [audio], note: 'no contact trace record: imported with the contact id and time from its path' };
    },
  };
}

// ---- CTR → call metadata ---------------------------------------------------------------------------------

/**
 * Connect's InitiationMethod → our direction. Contacts the customer started are inbound: INBOUND, CALLBACK (the
 * customer asked to be called back from an inbound queue) and the transfers (TRANSFER, QUEUE_TRANSFER), which
 * continue the contact they came from (its direction when it is already stored). OUTBOUND, EXTERNAL_OUTBOUND and
 * API (StartOutboundVoiceContact: the contact center dials) are outbound. MONITOR (a supervisor listening in) is
 * internal. Anything else is inbound, the common case.
 */
export function directionOf(initiationMethod: string | undefined, previousDirection?: Direction): Direction {
  switch ((initiationMethod ?? '').toUpperCase()) {
    case 'OUTBOUND':
    case 'EXTERNAL_OUTBOUND':
    case 'API':
      return 'outbound';
    case 'TRANSFER':
    case 'QUEUE_TRANSFER':
      return previousDirection ?? 'inbound';
    case 'MONITOR':
      return 'internal';
    default:
      return 'inbound';
  }
}

const identityOfUsername = (username: string) => ({ externalId: username, email: username.includes('@') ? username : null });

const MAX_KEY = 100;
const MAX_VALUE = 2000;
const MAX_ENTRIES = 200;

/** Contact attributes as custom data, within the limits of custom data (longer values are cut, extra keys dropped). */
export function attributesToCustomData(attributes: unknown): { data: Record<string, string>; trimmed: boolean } {
  const data: Record<string, string> = {};
  let trimmed = false;
  if (!isObject(attributes)) return { data, trimmed };
  for (const [k, v] of Object.entries(attributes)) {
    const value = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v == null ? undefined : JSON.stringify(v);
    if (value === undefined) continue;
    if (k.length > MAX_KEY || Object.keys(data).length >= MAX_ENTRIES) {
      trimmed = true;
      continue;
    }
    if (value.length > MAX_VALUE) trimmed = true;
    data[k] = value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE - 1)}…` : value;
  }
  return { data, trimmed };
}

function isoOf(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

/** Maps one CTR to the call metadata of the ingest (pure; `files` are the recordings found for it). */
export function ctrToCall(
  ctr: Json,
  opts: { files: UploadedFile[]; previousDirection?: Direction; agentIsUser?: boolean },
): { meta: CallMetadata; note?: string } {
  const contactId = str(ctr.ContactId)!;
  const startTime = isoOf(ctr.InitiationTimestamp);
  if (!startTime) throw invalid('The contact trace record has no valid InitiationTimestamp', { reason: 'INVALID_METADATA' });
  const agent = isObject(ctr.Agent) ? ctr.Agent : undefined;
  const queue = isObject(ctr.Queue) ? ctr.Queue : undefined;
  const customerEndpoint = isObject(ctr.CustomerEndpoint) ? ctr.CustomerEndpoint : undefined;
  const systemEndpoint = isObject(ctr.SystemEndpoint) ? ctr.SystemEndpoint : undefined;

  const customer: Party = { key: 'customer', role: 'customer' };
  const address = str(customerEndpoint?.Address);
  const addressType = (str(customerEndpoint?.Type) ?? 'TELEPHONE_NUMBER').toUpperCase();
  if (address && addressType === 'TELEPHONE_NUMBER') customer.phone = address.slice(0, 40);
  else if (address && addressType === 'EMAIL_ADDRESS') customer.email = address.slice(0, 320);
  const parties: Party[] = [customer];
  const username = str(agent?.Username);
  if (username) {
    // A matched user's own name shows; an unknown agent shows the Connect user name.
    const who = identityOfUsername(username);
    parties.push({
      key: 'agent',
      role: 'agent',
      externalId: username.slice(0, 200),
      ...(who.email ? { email: who.email } : {}),
      ...(opts.agentIsUser ? {} : { name: username.slice(0, 200) }),
    });
  } else if (opts.files.length) {
    parties.push({ key: 'agent', role: 'agent' }); // the right channel of the recording
  }

  const metadata: Record<string, string> = { source: 'amazon-connect' };
  const put = (key: string, v: unknown) => {
    const s = scalar(v);
    if (s !== undefined) metadata[key] = s.slice(0, MAX_VALUE);
  };
  put('channel', ctr.Channel);
  put('initiationMethod', ctr.InitiationMethod);
  put('agentArn', agent?.ARN);
  put('queueArn', queue?.ARN);
  put('instanceArn', ctr.InstanceARN);
  put('systemEndpoint', systemEndpoint?.Address);
  put('customerEndpoint', address && !customer.phone && !customer.email ? address : undefined);
  put('disconnectTimestamp', isoOf(ctr.DisconnectTimestamp));
  put('disconnectReason', ctr.DisconnectReason);
  put('connectedToAgentTimestamp', isoOf(agent?.ConnectedToAgentTimestamp));
  put('agentInteractionDuration', agent?.AgentInteractionDuration);
  put('afterContactWorkDuration', agent?.AfterContactWorkDuration);
  put('customerHoldDuration', agent?.CustomerHoldDuration);
  put('numberOfHolds', agent?.NumberOfHolds);
  put('longestHoldDuration', agent?.LongestHoldDuration);
  put('queueDuration', queue?.Duration);
  put('lastUpdateTimestamp', isoOf(ctr.LastUpdateTimestamp));

  const { data: customData, trimmed } = attributesToCustomData(ctr.Attributes);
  const previousCallId = str(ctr.PreviousContactId);
  const hasAgentParty = parties.some((p) => p.key === 'agent');
  const meta: CallMetadata = {
    callId: contactId,
    engagementId: str(ctr.InitialContactId) ?? contactId,
    ...(previousCallId ? { previousCallId } : {}),
    startTime,
    direction: directionOf(str(ctr.InitiationMethod), opts.previousDirection),
    ...(str(queue?.Name) ? { queue: str(queue?.Name)!.slice(0, 200) } : {}),
    ...(hasAgentParty ? { agent: 'agent' } : {}),
    parties,
    audio: opts.files.map((f) => ({ file: f.fieldName, ...(sniffChannels(f.data, f.fileName) === 2 ? { channelMap: { ...CONNECT_CHANNEL_MAP } } : {}) })),
    ...(Object.keys(customData).length ? { customData } : {}),
    metadata,
  };
  return { meta, note: trimmed ? 'contact attributes cut to fit custom data (200 keys of 100 characters, values of 2000)' : undefined };
}

// ---- recordings ------------------------------------------------------------------------------------------

interface RecordingInfo {
  location?: string;
  status?: string;
  deletionReason?: string;
  times: string[];
}

/** The audio recordings a CTR describes: the legacy `Recording` object and the newer `Recordings` list. */
function recordingInfos(ctr: Json): RecordingInfo[] {
  const list = [ctr.Recording, ...(Array.isArray(ctr.Recordings) ? ctr.Recordings : [])].filter(isObject);
  return list
    .filter((r) => {
      const type = (str(r.Type) ?? str(r.MediaStreamType) ?? 'AUDIO').toUpperCase();
      return type === 'AUDIO';
    })
    .map((r) => ({
      location: str(r.Location),
      status: str(r.Status)?.toUpperCase(),
      deletionReason: str(r.DeletionReason),
      times: [r.StartTimestamp, r.StopTimestamp].flatMap((t) => (isoOf(t) ? [isoOf(t)!] : [])),
    }));
}

/** A recording the CTR says exists (not deleted); null when the CTR says there is none. */
function expectedRecording(ctr: Json): RecordingInfo | null {
  return recordingInfos(ctr).find((r) => r.status !== 'DELETED') ?? null;
}

function noRecordingNote(ctr: Json): string {
  const deleted = recordingInfos(ctr).find((r) => r.status === 'DELETED');
  if (deleted) return `no audio: the recording was deleted in Amazon Connect${deleted.deletionReason ? ` (${deleted.deletionReason})` : ''}`;
  return 'no audio: the contact was not recorded';
}

export interface ParsedRecordingName {
  contactId: string;
  startTime: string;
}

/**
 * The contact id and time a Connect recording's path gives: `<contactId>_<YYYYMMDDThh:mm[:ss]>_UTC.wav`, or
 * `<contactId>[_…].wav` in a YYYY/MM/DD folder (midnight UTC of that day). Null when neither fits.
 */
export function parseRecordingName(name: string, relDir: string): ParsedRecordingName | null {
  const m = /^(.+?)_(\d{4})(\d{2})(\d{2})T(\d{2}):?(\d{2})(?::?(\d{2}))?(?:Z|_UTC)?\.[A-Za-z0-9]+$/.exec(name);
  if (m) {
    const [, id, y, mo, d, h, mi, s] = m;
    const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}Z`);
    if (Number.isFinite(t)) return { contactId: id!, startTime: new Date(t).toISOString() };
  }
  const id = /^([^_.]+)/.exec(name)?.[1];
  const day = /(?:^|\/)(\d{4})\/(\d{2})\/(\d{2})$/.exec(relDir);
  if (!id || !day) return null;
  const t = Date.parse(`${day[1]}-${day[2]}-${day[3]}T00:00:00Z`);
  return Number.isFinite(t) ? { contactId: id, startTime: new Date(t).toISOString() } : null;
}

const dayPath = (t: number) => {
  const d = new Date(t);
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
};

/**
 * Finds a CTR's recordings: first where its Recording Location points (the part after "CallRecordings/", under
 * each CallRecordings folder of the tree), else by contact id in the date folders of the contact's times and the
 * day after (a call past midnight). Keeps the listings of the last few date folders, not the tree.
 */
class RecordingFinder {
  private cache = new Map<string, string[]>();
  constructor(private roots: string[]) {}

  private async list(dir: string): Promise<string[]> {
    const hit = this.cache.get(dir);
    if (hit) {
      this.cache.delete(dir);
      this.cache.set(dir, hit);
      return hit;
    }
    const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
    this.cache.set(dir, names);
    if (this.cache.size > 8) this.cache.delete(this.cache.keys().next().value!);
    return names;
  }

  private days(ctr: Json): string[] {
    const times = [isoOf(ctr.InitiationTimestamp), isoOf(ctr.DisconnectTimestamp), ...recordingInfos(ctr).flatMap((r) => r.times)].filter(Boolean) as string[];
    const days = new Set<string>();
    for (const t of times) {
      const ms = Date.parse(t);
      days.add(dayPath(ms));
      days.add(dayPath(ms + 86_400_000));
    }
    return [...days].sort();
  }

  where(ctr: Json): string {
    if (!this.roots.length) return 'the tree (it has no CallRecordings folder)';
    const days = this.days(ctr);
    return `${RECORDINGS_DIR}/${days.length ? days.join(', ') : '(no date: the CTR has no timestamps)'}`;
  }

  async find(ctr: Json): Promise<string[]> {
    const id = str(ctr.ContactId)!;
    const found = new Set<string>();
    for (const info of recordingInfos(ctr)) {
      const at = info.location?.lastIndexOf(`${RECORDINGS_DIR}/`) ?? -1;
      if (at < 0) continue;
      const rel = info
        .location!.slice(at + RECORDINGS_DIR.length + 1)
        .split('/')
        .filter((p) => p && p !== '..' && p !== '.');
      for (const root of this.roots) {
        const candidate = path.join(root, ...rel);
        if (
          await fs.promises.stat(candidate).then(
            (s) => s.isFile(),
            () => false,
          )
        )
          found.add(candidate);
      }
    }
    if (found.size === 0) {
      for (const root of this.roots) {
        for (const day of this.days(ctr)) {
          const dir = path.join(root, ...day.split('/'));
          for (const name of await this.list(dir)) {
            if (isAudioName(name) && (name.startsWith(`${id}_`) || name.slice(0, name.length - path.extname(name).length) === id))
              found.add(path.join(dir, name));
          }
        }
      }
    }
    return [...found].sort();
  }
}

// ---- detection -------------------------------------------------------------------------------------------

/**
 * "connect" when the tree has a CallRecordings folder or its first JSON record is a CTR; else "files". Reads
 * folder names and the first record of JSON files only until one decides.
 */
export async function detectFormat(root: string): Promise<'files' | 'connect'> {
  let jsonDecided = false;
  for await (const d of walkDirs(root)) {
    if (path.basename(d.dir) === RECORDINGS_DIR && d.rel) return 'connect';
    if (jsonDecided) continue;
    for (const name of d.files) {
      if (isChatFile(name) || isEmailFile(name)) continue;
      const file = path.join(d.dir, name);
      if (!(await isCtrFile(file))) continue;
      for await (const rec of readJsonRecords(file)) {
        if (looksLikeCtr(rec.value)) return 'connect';
        if (isObject(rec.value)) jsonDecided = true; // a sidecar or something else: the CTR check is done
        break;
      }
      if (jsonDecided) break;
    }
  }
  return 'files';
}

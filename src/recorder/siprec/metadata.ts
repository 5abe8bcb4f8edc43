// RFC 7865 recording metadata (application/rs-metadata+xml), in the RFC's final form and in the draft form several SRCs
// still send (draft-ietf-siprec-metadata: `id`/`session` attributes, <send>/<recv> inside <participant>, <dataMode>).
// The result is vendor-neutral; vendor extension data is kept as flat key → value pairs (namespace prefixes dropped)
// for the party mapping and the segment metadata.
import { XMLParser } from 'fast-xml-parser';
import { SiprecBodyError } from './body.ts';

export interface RawParticipant {
  id: string;
  name: string | null;
  aor: string | null;
  /** Stream ids this participant sends / receives. */
  sends: string[];
  recvs: string[];
  /** Extension data inside the participant (e.g. Oracle's apkt:callerOrig), keys lower-cased without prefix. */
  ext: Record<string, string>;
}

export interface RawMetadata {
  datamode: 'complete' | 'partial';
  sessionId: string | null;
  groupId: string | null;
  /** The recorded call's SIP Session-ID (RFC 7989) when the SRC gives it. */
  sipSessionId: string | null;
  participants: RawParticipant[];
  streams: Array<{ id: string; label: string }>;
  /** Session/recording-level extension data. */
  ext: Record<string, string>;
  /** XML namespace URIs declared (vendor detection). */
  namespaces: string[];
}

const ARRAYS = new Set(['participant', 'stream', 'send', 'recv', 'nameID', 'participantstreamassoc', 'session', 'group', 'aor', 'name']);
const STANDARD = new Set([
  'datamode',
  'group',
  'session',
  'participant',
  'participantsessionassoc',
  'stream',
  'sessionrecordingassoc',
  'participantstreamassoc',
  'nameid',
  'name',
  'aor',
  'send',
  'recv',
  'label',
  'associate-time',
  'disassociate-time',
  'start-time',
  'end-time',
  'group-ref',
  'sipsessionid',
  'content-type',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ARRAYS.has(name),
});

type Node = Record<string, unknown>;

const text = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object') return text((v as Node)['#text']);
  const s = String(v).trim();
  return s === '' ? null : s;
};

const attr = (n: unknown, ...names: string[]): string | null => {
  if (!n || typeof n !== 'object') return null;
  for (const a of names) {
    const v = (n as Node)['@_' + a];
    if (v !== undefined && v !== null && String(v).trim() !== '') return String(v).trim();
  }
  return null;
};

const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Leaves of non-standard elements, flattened: { ucid: '…', callerorig: 'true', 'calldata.guid': '…' } (both forms). */
function extensions(n: unknown, out: Record<string, string>, path: string[] = [], depth = 0): Record<string, string> {
  if (!n || typeof n !== 'object' || depth > 8) return out;
  for (const [k, v] of Object.entries(n as Node)) {
    if (k.startsWith('@_') || k === '#text') continue;
    const key = k.toLowerCase();
    if (path.length === 0 && STANDARD.has(key)) continue;
    const wrapper = key === 'extensiondata';
    for (const item of list(v)) {
      const leaf =
        typeof item !== 'object' || item === null
          ? text(item)
          : Object.keys(item as Node).every((x) => x.startsWith('@_') || x === '#text')
            ? text(item)
            : null;
      if (leaf !== null) {
        if (Object.keys(out).length >= 200) return out;
        out[key] ??= leaf.slice(0, 500);
        if (path.length) out[[...path, key].join('.')] ??= leaf.slice(0, 500);
      } else if (typeof item === 'object' && item !== null) {
        // Attributes of extension elements are data too (e.g. <callData callid="…"/>).
        for (const [ak, av] of Object.entries(item as Node))
          if (ak.startsWith('@_') && !ak.startsWith('@_xmlns')) out[ak.slice(2).toLowerCase()] ??= String(av).slice(0, 500);
        extensions(item, out, wrapper ? path : [...path, key], depth + 1);
      }
    }
  }
  return out;
}

export function parseMetadataXml(xml: string): RawMetadata {
  if (xml.length > 60_000) throw new SiprecBodyError(400, 'Recording metadata too large');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new SiprecBodyError(400, 'Recording metadata with a DOCTYPE or entity declaration is refused');
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (e) {
    throw new SiprecBodyError(
      400,
      `Unreadable recording metadata (${String((e as Error).message ?? e)
        .split('\n')[0]!
        .slice(0, 120)})`,
    );
  }
  const rec = doc.recording as Node | undefined;
  if (!rec || typeof rec !== 'object') throw new SiprecBodyError(400, 'Recording metadata without a <recording> root element');
  const namespaces = [...xml.matchAll(/xmlns(?::[\w.-]+)?\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!);
  if (!namespaces.some((n) => n.startsWith('urn:ietf:params:xml:ns:recording'))) {
    throw new SiprecBodyError(400, 'Recording metadata not in the urn:ietf:params:xml:ns:recording:1 namespace');
  }
  const datamodeText = (text(rec.datamode) ?? text(rec.dataMode) ?? 'complete').toLowerCase();
  const session = list(rec.session)[0] as Node | undefined;
  const group = list(rec.group)[0] as Node | undefined;

  const streams = list(rec.stream).flatMap((s) => {
    const id = attr(s, 'stream_id', 'id');
    const label = text((s as Node)?.label);
    return id && label ? [{ id, label }] : [];
  });

  const participants: RawParticipant[] = list(rec.participant).flatMap((p) => {
    const id = attr(p, 'participant_id', 'id');
    if (!id) return [];
    const node = p as Node;
    const nameId = list(node.nameID)[0] as Node | undefined;
    const aor = attr(nameId, 'aor') ?? text(nameId?.aor) ?? text(node.aor);
    const name = text(nameId?.name) ?? text(node.name);
    return [
      {
        id,
        name,
        aor,
        sends: list(node.send)
          .map(text)
          .filter((x): x is string => !!x),
        recvs: list(node.recv)
          .map(text)
          .filter((x): x is string => !!x),
        ext: extensions(node, {}),
      },
    ];
  });
  for (const a of list(rec.participantstreamassoc)) {
    const pid = attr(a, 'participant_id', 'id');
    const p = participants.find((x) => x.id === pid);
    if (!p) continue;
    for (const s of list((a as Node).send).map(text)) if (s && !p.sends.includes(s)) p.sends.push(s);
    for (const s of list((a as Node).recv).map(text)) if (s && !p.recvs.includes(s)) p.recvs.push(s);
  }

  const ext = extensions(rec, {});
  if (session) Object.assign(ext, Object.fromEntries(Object.entries(extensions(session, {})).filter(([k]) => !(k in ext))));
  return {
    datamode: datamodeText === 'partial' ? 'partial' : 'complete',
    sessionId: attr(session, 'session_id', 'id'),
    groupId: attr(group, 'group_id', 'id') ?? text(session?.['group-ref']),
    sipSessionId: text(session?.sipSessionID),
    participants,
    streams,
    ext,
    namespaces,
  };
}

/** A partial update (RFC 7865 §6.1) applied to the snapshot: participants and streams by id, the rest replaced when given. */
export function mergeMetadata(prev: RawMetadata | null, next: RawMetadata): RawMetadata {
  if (!prev || next.datamode === 'complete') return next;
  const participants = new Map(prev.participants.map((p) => [p.id, p]));
  for (const p of next.participants) {
    const old = participants.get(p.id);
    participants.set(
      p.id,
      old
        ? {
            ...old,
            ...p,
            name: p.name ?? old.name,
            aor: p.aor ?? old.aor,
            sends: p.sends.length ? p.sends : old.sends,
            recvs: p.recvs.length ? p.recvs : old.recvs,
            ext: { ...old.ext, ...p.ext },
          }
        : p,
    );
  }
  const streams = new Map(prev.streams.map((s) => [s.id, s]));
  for (const s of next.streams) streams.set(s.id, s);
  return {
    datamode: 'complete',
    sessionId: next.sessionId ?? prev.sessionId,
    groupId: next.groupId ?? prev.groupId,
    sipSessionId: next.sipSessionId ?? prev.sipSessionId,
    participants: [...participants.values()],
    streams: [...streams.values()],
    ext: { ...prev.ext, ...next.ext },
    namespaces: [...new Set([...prev.namespaces, ...next.namespaces])],
  };
}

// SIPREC bodies: multipart splitting, the SDP offer → StreamOffer[] and the answer's shape (order, recvonly/inactive,
// port 0 for rejected streams), and RFC 7865 metadata from each vendor's flavour mapped to Earshot parties — with
// caller and callee taken only from what the SRC states.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StreamAnswer } from '../model.ts';
import { SiprecBodyError, buildAnswer, parseMultipart, parseOffer, splitSiprecBody } from './body.ts';
import { mergeMetadata, parseMetadataXml } from './metadata.ts';
import { detectVendor, mapMetadata, type PartyContext } from './parties.ts';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const ctx = (over: Partial<PartyContext> = {}): PartyContext => ({ rules: [], extensions: new Map(), vendor: 'generic', callId: 'dialog-1', ...over });

const OFFER = [
  'v=0',
  'o=SRC 1 1 IN IP4 10.0.0.1',
  's=SIPREC',
  'c=IN IP4 10.0.0.1',
  't=0 0',
  'm=audio 16000 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendonly',
  'a=label:1',
  'm=audio 16002 RTP/SAVP 18',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4',
  'a=inactive',
  'a=label:2',
  'm=video 16004 RTP/AVP 96',
  'a=rtpmap:96 H264/90000',
  'a=label:3',
  '',
].join('\r\n');

describe('SIPREC bodies', () => {
  it('splits multipart/mixed into SDP and metadata, and refuses broken ones with a reason', () => {
    const body = Buffer.from(
      `--b1\r\nContent-Type: application/sdp\r\nContent-Disposition: session;handling=required\r\n\r\n${OFFER}\r\n--b1\r\nContent-Type: application/rs-metadata+xml\r\nContent-Disposition: recording-session\r\n\r\n<recording/>\r\n--b1--\r\n`,
    );
    const parts = splitSiprecBody('multipart/mixed;boundary=b1', body);
    expect(parts.sdp).toContain('m=audio 16000');
    expect(parts.metadata).toBe('<recording/>');
    expect(parseMultipart(body, 'b1').map((p) => p.disposition)).toEqual(['session', 'recording-session']);
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(SiprecBodyError);
        return `${(e as SiprecBodyError).status} ${(e as SiprecBodyError).reason}`;
      }
      throw new Error('accepted');
    };
    expect(err(() => splitSiprecBody('multipart/mixed;boundary=b2', body))).toMatch(/^400 Multipart boundary "b2" not found/);
    expect(err(() => splitSiprecBody('multipart/mixed;boundary=b1', Buffer.from(body.toString().replace('--b1--', ''))))).toMatch(
      /^400 Multipart body is not closed/,
    );
    expect(err(() => splitSiprecBody('multipart/mixed', body))).toBe('400 Multipart Content-Type without boundary');
    expect(err(() => splitSiprecBody('text/html', body))).toBe('415 Unsupported body type text/html');
    expect(err(() => parseOffer('hello'))).toBe('400 SDP does not start with v=0');
    expect(err(() => parseMetadataXml('<recording xmlns="urn:ietf:params:xml:ns:recording:1"><participant'))).toMatch(/^400 Unreadable recording metadata/);
    expect(err(() => parseMetadataXml('<!DOCTYPE x [<!ENTITY a "b">]><recording xmlns="urn:ietf:params:xml:ns:recording:1"/>'))).toMatch(/DOCTYPE/);
  });

  it('reads the offer per m-line and answers in offer order: recvonly, inactive, port 0 for what is rejected', () => {
    const offer = parseOffer(OFFER);
    expect(offer.media.map((m) => [m.type, m.offer?.label ?? null, m.rejectReason])).toEqual([
      ['audio', '1', null],
      ['audio', '2', null],
      ['video', null, 'video streams are not recorded'],
    ]);
    expect(offer.media[0]!.offer).toMatchObject({
      direction: 'sendonly',
      remote: { address: '10.0.0.1', port: 16000 },
      codecs: [
        { pt: 0, name: 'pcmu', rate: 8000 },
        { pt: 101, name: 'telephone-event', fmtp: '0-15' },
      ],
    });
    expect(offer.media[1]!.offer).toMatchObject({
      direction: 'inactive',
      codecs: [{ pt: 18, name: 'g729' }],
      crypto: [{ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz' }],
    });
    const answers: StreamAnswer[] = [
      {
        label: '1',
        index: 0,
        port: 30000,
        address: '192.0.2.5',
        codec: { pt: 0, name: 'pcmu', rate: 8000 },
        extraCodecs: [{ pt: 101, name: 'telephone-event', rate: 8000, fmtp: '0-15' }],
        crypto: null,
        reason: null,
        storedRaw: false,
      },
      { label: '2', index: 1, port: 0, address: '192.0.2.5', codec: null, extraCodecs: [], crypto: null, reason: 'unsupported codec', storedRaw: false },
    ];
    const sdp = buildAnswer(offer, answers, { sessionId: '42', version: 1, address: '192.0.2.5' });
    expect(sdp.split('\r\n').filter((l) => /^(m|c|a)=/.test(l))).toEqual([
      'c=IN IP4 192.0.2.5',
      'm=audio 30000 RTP/AVP 0 101',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15',
      'a=label:1',
      'a=recvonly',
      'm=audio 0 RTP/SAVP 18',
      'm=video 0 RTP/AVP 96',
    ]);
    const paused = parseOffer(OFFER.replace('a=sendonly', 'a=inactive'));
    expect(buildAnswer(paused, answers, { sessionId: '42', version: 2, address: '192.0.2.5' })).toContain('a=inactive');
  });
});

describe('RFC 7865 metadata and party mapping', () => {
  it('the SIPp basic call: streams by label, the agent by the extension range rule, caller left unknown (not guessed)', () => {
    const raw = parseMetadataXml(`<?xml version="1.0"?><recording xmlns="urn:ietf:params:xml:ns:recording:1"><datamode>complete</datamode>
      <session session_id="U2Vzc2lvbg"><sipSessionID>abcdef;remote=0000</sipSessionID></session>
      <participant participant_id="P1"><nameID aor="sip:+155501001@pstn.example.com"><name xml:lang="en">Customer 1</name></nameID></participant>
      <participant participant_id="P2"><nameID aor="sip:agent1001@cc.example.com"><name>Agent 1001</name></nameID></participant>
      <stream stream_id="S1" session_id="U2Vzc2lvbg"><label>1</label></stream><stream stream_id="S2" session_id="U2Vzc2lvbg"><label>2</label></stream>
      <participantstreamassoc participant_id="P1"><send>S1</send><recv>S2</recv></participantstreamassoc>
      <participantstreamassoc participant_id="P2"><send>S2</send><recv>S1</recv></participantstreamassoc></recording>`);
    const { meta, warnings } = mapMetadata(
      raw,
      ['1', '2'],
      ctx({ rules: [{ kind: 'domain', value: 'cc.example.com', valueTo: null, role: 'agent', userId: 'u-1001' }] }),
    );
    expect(meta.streams).toEqual([
      { label: '1', participantId: 'P1' },
      { label: '2', participantId: 'P2' },
    ]);
    expect(meta.participants.map((p) => [p.name, p.number, p.role, p.userId, p.side])).toEqual([
      ['Customer 1', '+155501001', 'customer', null, 'unknown'],
      ['Agent 1001', 'agent1001', 'agent', 'u-1001', 'unknown'],
    ]);
    expect(meta.callRef).toBe('abcdef');
    expect(meta.direction).toBe('unknown');
    expect(warnings).toContain('the SRC does not say who called whom; caller and callee left unknown rather than guessed');
  });

  it('Cisco CUBE: two one-way streams, caller from callingNumber, the agent from a user extension, inbound', () => {
    const raw = parseMetadataXml(fixture('cisco-cube.xml'));
    const { meta } = mapMetadata(
      raw,
      ['1', '2'],
      ctx({ vendor: detectVendor('Cisco-SIPGateway/IOS-17.6.1', raw.namespaces, null), extensions: new Map([['4101', 'user-4101']]) }),
    );
    expect(meta.vendor).toBe('cisco');
    expect(meta.callRef).toBe('D1F2B3A4-DA9211EE-8C4FE2A1-00AB12CD');
    expect(meta.participants.map((p) => [p.number, p.role, p.userId, p.side, p.sends])).toEqual([
      ['+33142000000', 'customer', null, 'caller', ['1']],
      ['4101', 'agent', 'user-4101', 'callee', ['2']],
    ]);
    expect(meta.direction).toBe('inbound');
  });

  it('Oracle/Acme: callerOrig decides, not document order (the callee is listed first); UCID is the call reference', () => {
    const raw = parseMetadataXml(fixture('oracle-acme.xml'));
    const { meta } = mapMetadata(
      raw,
      ['3521', '3522'],
      ctx({
        vendor: detectVendor(undefined, raw.namespaces, null),
        rules: [{ kind: 'extension_range', value: '2200', valueTo: '2299', role: 'agent', userId: null }],
        extensions: new Map([['2205', 'jane']]),
      }),
    );
    expect(meta.vendor).toBe('oracle');
    expect(meta.callRef).toBe('00FA080018EE2B65E1A4F3');
    expect(meta.participants.map((p) => [p.name, p.role, p.userId, p.side])).toEqual([
      ['Jane Agent', 'agent', 'jane', 'callee'],
      ['+14155550142', 'customer', null, 'caller'],
    ]);
    expect(meta.streams).toEqual([
      { label: '3521', participantId: 'VFy5SkyaEeyLsgAQGQ+wGA==' },
      { label: '3522', participantId: 'VFy5SkyaEeyLsQAQGQ+wGA==' },
    ]);
    expect(meta.direction).toBe('inbound');
  });

  it('AudioCodes (draft form): send/recv inside participant, the originator flag, the vendor direction', () => {
    const raw = parseMetadataXml(fixture('audiocodes.xml'));
    expect(raw.groupId).toBe('00000000-0000-0063-7fbb-a08e00000003');
    const { meta } = mapMetadata(
      raw,
      ['1', '2'],
      ctx({
        vendor: detectVendor('Mediant SW/v.7.40A', raw.namespaces, null),
        rules: [{ kind: 'number', value: '9001', valueTo: null, role: 'agent', userId: 'nine' }],
      }),
    );
    expect(meta.vendor).toBe('audiocodes');
    expect(meta.direction).toBe('outbound');
    expect(meta.participants.map((p) => [p.number, p.role, p.userId, p.side, p.sends])).toEqual([
      ['9001', 'agent', 'nine', 'caller', ['1']],
      ['0612345678', 'customer', null, 'callee', ['2']],
    ]);
  });

  it('BroadWorks: one mixed stream (no single participant), the tracking id, a terminating call is inbound', () => {
    const raw = parseMetadataXml(fixture('broadworks.xml'));
    const { meta, warnings } = mapMetadata(
      raw,
      ['mixed'],
      ctx({
        vendor: detectVendor('BroadWorks', raw.namespaces, null),
        rules: [{ kind: 'domain', value: 'bw.example.net', valueTo: null, role: 'agent', userId: null }],
      }),
    );
    expect(meta.vendor).toBe('broadworks');
    expect(meta.callRef).toBe('148702:1');
    expect(meta.direction).toBe('inbound');
    expect(meta.streams).toEqual([{ label: 'mixed', participantId: null }]);
    expect(meta.participants.map((p) => [p.number, p.role, p.side])).toEqual([
      ['+12025550123', 'customer', 'caller'],
      ['alice.agent', 'agent', 'callee'],
    ]);
    expect(warnings).toEqual([]);
  });

  it('label mismatch: streams without a metadata label are kept (no participant) and the mismatch is reported', () => {
    const raw = parseMetadataXml(fixture('cisco-cube.xml'));
    const { meta, warnings } = mapMetadata(raw, ['1', '7'], ctx());
    expect(meta.streams).toEqual([
      { label: '1', participantId: 'gn4wVtb9EeiDnhcwvSMSwA==' },
      { label: '7', participantId: null },
    ]);
    expect(warnings).toEqual(['SDP label(s) 7 not in the metadata; recorded without a participant', 'metadata stream label(s) 2 have no m-line in the SDP']);
  });

  it('a partial update adds a participant and keeps the rest', () => {
    const full = parseMetadataXml(fixture('cisco-cube.xml'));
    const partial = parseMetadataXml(`<recording xmlns="urn:ietf:params:xml:ns:recording:1"><datamode>partial</datamode>
      <participant participant_id="P3"><nameID aor="sip:4102@10.10.20.5"><name>Supervisor</name></nameID></participant>
      <stream stream_id="S3"><label>3</label></stream><participantstreamassoc participant_id="P3"><send>S3</send></participantstreamassoc></recording>`);
    const merged = mergeMetadata(full, partial);
    expect(merged.participants.map((p) => p.id)).toEqual(['gn4wVtb9EeiDnhcwvSMSwA==', 'gn4wVtb9EeiDnxcwvSMSwA==', 'P3']);
    expect(mapMetadata(merged, ['1', '2', '3'], ctx()).meta.streams.map((s) => s.participantId)).toEqual([
      'gn4wVtb9EeiDnhcwvSMSwA==',
      'gn4wVtb9EeiDnxcwvSMSwA==',
      'P3',
    ]);
  });
});

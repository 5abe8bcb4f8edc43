// The SIP parser: real SIPREC INVITE shapes, compact forms and folding, what it refuses (with the reason the 400
// carries), the stream framer, and a fuzz run — random and mutated messages may be refused but never throw anything
// other than SipParseError, and never hang.
import { describe, expect, it } from 'vitest';
import { StreamFramer } from './framer.ts';
import { SipParseError, buildResponse, parseMessage, parseNameAddr, parseUri, parseVia, serialize, splitList, type SipRequest } from './message.ts';

const INVITE = [
  'INVITE sip:srs@10.0.0.9:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport',
  'v: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKxyz',
  'Max-Forwards: 70',
  'f: "SRC, Inc." <sip:src@10.0.0.1>;tag=1928301774',
  'To: <sip:srs@10.0.0.9>',
  'i: a84b4c76e66710@10.0.0.1',
  'CSeq: 314159 INVITE',
  'Contact: <sip:src@10.0.0.1:5060>;+sip.src',
  'Require: siprec',
  'Supported: timer,',
  ' 100rel',
  'Content-Type: application/sdp',
  'l: 4',
  '',
  'v=0\r\n',
].join('\r\n');

describe('SIP message parser', () => {
  it('reads a request with compact headers, folding and lists', () => {
    const m = parseMessage(Buffer.from(INVITE), { datagram: true }) as SipRequest;
    expect(m.kind).toBe('request');
    expect(m.method).toBe('INVITE');
    expect(m.headers.getAll('via')).toHaveLength(2);
    expect(m.headers.get('call-id')).toBe('a84b4c76e66710@10.0.0.1');
    expect(m.headers.tokens('supported')).toEqual(['timer', '100rel']);
    expect(parseNameAddr(m.headers.get('from')!)).toEqual({ display: 'SRC, Inc.', uri: 'sip:src@10.0.0.1', params: { tag: '1928301774' } });
    expect(m.body.toString()).toBe('v=0\r');
    expect(parseVia(m.headers.get('via')!)).toMatchObject({
      transport: 'UDP',
      host: '10.0.0.1',
      port: 5060,
      params: { branch: 'z9hG4bK776asdhds', rport: null },
    });
  });

  it('round-trips through serialize and builds responses with our To tag', () => {
    const m = parseMessage(Buffer.from(INVITE), { datagram: true }) as SipRequest;
    const again = parseMessage(serialize(m)) as SipRequest;
    expect(again.headers.get('cseq')).toBe('314159 INVITE');
    const res = buildResponse(m, 200, 'OK', { toTag: 'abc', body: Buffer.from('v=0\r\n') });
    const parsed = parseMessage(serialize(res));
    expect(parsed.kind).toBe('response');
    expect(parsed.headers.get('to')).toBe('<sip:srs@10.0.0.9>;tag=abc');
    expect(parsed.headers.getAll('via')).toHaveLength(2);
    expect(parsed.headers.get('content-length')).toBe('5');
  });

  it('refuses what it cannot trust, with a reason', () => {
    const bad = (text: string, datagram = true) => {
      try {
        parseMessage(Buffer.from(text), { datagram });
      } catch (e) {
        expect(e).toBeInstanceOf(SipParseError);
        return (e as SipParseError).reason;
      }
      throw new Error('accepted: ' + text.slice(0, 40));
    };
    expect(bad(INVITE.replace('CSeq: 314159 INVITE', 'CSeq: 314159 BYE'))).toBe('CSeq method BYE does not match INVITE');
    expect(bad(INVITE.replace('l: 4', 'l: 400'))).toMatch(/Content-Length 400 larger/);
    expect(bad(INVITE.replace('i: a84b4c76e66710@10.0.0.1\r\n', ''))).toBe('Missing Call-ID header');
    expect(bad(INVITE.replace('l: 4\r\n', ''), false)).toMatch(/Content-Length is required/);
    expect(bad('INVITE sip:x SIP/3.0\r\n\r\n')).toMatch(/Unsupported version/);
    expect(bad('HELLO\r\n\r\n')).toBe('Bad request line');
    expect(bad(INVITE.replace('Max-Forwards: 70', 'Max Forwards 70'))).toMatch(/Malformed header/);
  });

  it('parses URIs and lists', () => {
    expect(parseUri('sip:+15550100@pstn.example.com;user=phone')).toMatchObject({ user: '+15550100', host: 'pstn.example.com' });
    expect(parseUri('tel:+1-202-555-0123')).toMatchObject({ scheme: 'tel', user: '+1-202-555-0123' });
    expect(parseUri('sips:[2001:db8::1]:5061')).toMatchObject({ host: '[2001:db8::1]', port: 5061, user: null });
    expect(splitList('"a, b" <sip:x>;q=1, <sip:y,z>')).toEqual(['"a, b" <sip:x>;q=1', '<sip:y,z>']);
  });

  it('frames a TCP stream by Content-Length, across chunk boundaries, with keep-alives', () => {
    const one = Buffer.from(INVITE.replace('v: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKxyz\r\n', ''));
    const f = new StreamFramer();
    const stream = Buffer.concat([Buffer.from('\r\n\r\n'), one, one]);
    const events = [];
    for (let i = 0; i < stream.length; i += 7) events.push(...f.push(stream.subarray(i, i + 7)));
    expect(events.map((e) => e.kind)).toEqual(['ping', 'message', 'message']);
    const msgs = events.filter((e) => e.kind === 'message');
    for (const m of msgs) expect((parseMessage((m as { data: Buffer }).data) as SipRequest).method).toBe('INVITE');
    expect(new StreamFramer().push(Buffer.from('OPTIONS sip:x SIP/2.0\r\nVia: x\r\n\r\nabc'))).toEqual([
      { kind: 'error', reason: 'Content-Length is required over a stream transport' },
    ]);
  });

  it('fuzz: random and mutated messages never throw anything but SipParseError', () => {
    // mulberry32: a seeded generator, so a failure is reproducible.
    let seed = 1234567;
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const base = Buffer.from(INVITE);
    const alphabet = Buffer.from(':;,<>"\r\n \t=@/\\\u0000\u00ffSIPINVITEz9hG4bK0123456789');
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      let buf: Buffer;
      const mode = rnd(4);
      if (mode === 0) {
        buf = Buffer.alloc(rnd(300));
        for (let j = 0; j < buf.length; j++) buf[j] = alphabet[rnd(alphabet.length)]!;
      } else {
        buf = Buffer.from(base);
        const edits = 1 + rnd(8);
        for (let e = 0; e < edits; e++) {
          const at = rnd(buf.length);
          if (mode === 1) buf[at] = alphabet[rnd(alphabet.length)]!;
          else if (mode === 2) buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + rnd(20))]);
          else buf = Buffer.concat([buf.subarray(0, at), buf.subarray(rnd(buf.length), rnd(buf.length)), buf.subarray(at)]);
        }
      }
      for (const datagram of [true, false]) {
        try {
          const m = parseMessage(buf, { datagram });
          serialize(m);
          accepted++;
        } catch (e) {
          if (!(e instanceof SipParseError)) throw new Error(`non-parse error on input ${JSON.stringify(buf.toString('latin1'))}`, { cause: e });
        }
      }
      const f = new StreamFramer();
      f.push(buf);
    }
    expect(accepted).toBeGreaterThan(0);
  });
});

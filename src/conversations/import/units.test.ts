// The pure parts of the import: JSON record streaming, the CTR mapping, recording names, progress lines, and the
// folder planning of the files format.
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonRecords } from './json-records.ts';
import { attributesToCustomData, ctrToCall, detectFormat, directionOf, parseRecordingName } from './connect.ts';
import { ImportProgressBar, formatDuration } from './progress.ts';
import { planFiles } from './files.ts';
import { sniffChannels } from './audio.ts';
import { hasFfmpeg, monoWav, mp3Of, put, stereoWav, tempDir } from './test-trees.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function records(content: string | Buffer) {
  const file = put(tmp(), 'records', content);
  const out = [];
  for await (const r of readJsonRecords(file)) out.push(r);
  return out;
}

describe('readJsonRecords', () => {
  it('reads newline-delimited, back-to-back, pretty-printed and array files', async () => {
    expect((await records('{"a":1}\n{"a":2}\n\n{"a":3}\n')).map((r) => r.value)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect((await records('{"a":"}{"}{"b":[1,{"c":2}]}')).map((r) => r.value)).toEqual([{ a: '}{' }, { b: [1, { c: 2 }] }]);
    expect(await records('{\n  "a": "x\\"y"\n}\n')).toEqual([{ index: 1, line: 1, value: { a: 'x"y' } }]);
    expect((await records('[\n {"a":1},\n {"a":2}\n]')).map((r) => [r.line, r.value])).toEqual([
      [2, { a: 1 }],
      [3, { a: 2 }],
    ]);
    expect((await records(gzipSync('{"a":1}\n{"a":2}\n'))).map((r) => r.value)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reports a broken record and goes on with the next; reports a cut-off end', async () => {
    const r = await records('{"a":1}\nnot json\n{"a":tru}\n{"a":2}\n{"a":');
    expect(r.map((x) => x.value ?? null)).toEqual([{ a: 1 }, null, null, { a: 2 }, null]);
    // Where, never what: the file's text is not quoted back.
    expect(r[1]!.error).toBe('line 2 is not a JSON object');
    expect(r[2]!.error).toMatch(/^record 3 \(line 3\) is not valid JSON: Unexpected character$/);
    expect(r.map((x) => x.error ?? '').join(' ')).not.toMatch(/not json|tru/);
    expect(r[4]!.error).toMatch(/cut off/);
  });

  it('reads records across chunk boundaries', async () => {
    const big = Array.from({ length: 300 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(500 + (i % 7)) })).join('\n');
    const r = await records(big);
    expect(r).toHaveLength(300);
    expect(r.every((x, i) => (x.value as { i: number }).i === i)).toBe(true);
  });
});

describe('Amazon Connect mapping', () => {
  it('maps the initiation method to a direction', () => {
    expect(directionOf('INBOUND')).toBe('inbound');
    expect(directionOf('CALLBACK')).toBe('inbound');
    expect(directionOf('OUTBOUND')).toBe('outbound');
    expect(directionOf('API')).toBe('outbound');
    expect(directionOf('TRANSFER')).toBe('inbound');
    expect(directionOf('TRANSFER', 'outbound')).toBe('outbound');
    expect(directionOf('QUEUE_TRANSFER', 'outbound')).toBe('outbound');
    expect(directionOf('MONITOR')).toBe('internal');
    expect(directionOf(undefined)).toBe('inbound');
  });

  it('maps a CTR to call metadata', () => {
    const wav = { fieldName: 'x.wav', fileName: 'x.wav', contentType: 'audio/wav', data: stereoWav(200, 1, 2).wav };
    const { meta } = ctrToCall(
      {
        ContactId: 'c2',
        InitialContactId: 'c1',
        PreviousContactId: 'c1',
        Channel: 'VOICE',
        InitiationMethod: 'TRANSFER',
        InitiationTimestamp: '2026-03-02T09:15:05Z',
        Agent: { Username: 'jdoe', ARN: 'arn:agent', AfterContactWorkDuration: 12 },
        Queue: { Name: 'Billing', ARN: 'arn:queue' },
        CustomerEndpoint: { Address: '+15550100', Type: 'TELEPHONE_NUMBER' },
        Attributes: { a: '1', n: 2 },
      },
      { files: [wav], previousDirection: 'outbound' },
    );
    expect(meta).toEqual({
      callId: 'c2',
      engagementId: 'c1',
      previousCallId: 'c1',
      startTime: '2026-03-02T09:15:05.000Z',
      direction: 'outbound',
      queue: 'Billing',
      agent: 'agent',
      parties: [
        { key: 'customer', role: 'customer', phone: '+15550100' },
        { key: 'agent', role: 'agent', externalId: 'jdoe', name: 'jdoe' },
      ],
      audio: [{ file: 'x.wav', channelMap: { 0: 'customer', 1: 'agent' } }],
      customData: { a: '1', n: '2' },
      metadata: {
        source: 'amazon-connect',
        channel: 'VOICE',
        initiationMethod: 'TRANSFER',
        agentArn: 'arn:agent',
        queueArn: 'arn:queue',
        afterContactWorkDuration: '12',
      },
    });
    // A matched user keeps their own name; an email user name is also tried as the email.
    const matched = ctrToCall(
      { ContactId: 'c3', InitiationTimestamp: '2026-03-02T09:00:00Z', Agent: { Username: 'jo@acme.example' } },
      { files: [], agentIsUser: true },
    );
    expect(matched.meta.parties[1]).toEqual({ key: 'agent', role: 'agent', externalId: 'jo@acme.example', email: 'jo@acme.example' });
    expect(matched.meta.engagementId).toBe('c3');
    expect(() => ctrToCall({ ContactId: 'c4' }, { files: [] })).toThrow(/no valid InitiationTimestamp/);
  });

  it('fits contact attributes into custom data', () => {
    const many = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`k${i}`, 'v']));
    expect(Object.keys(attributesToCustomData(many).data)).toHaveLength(200);
    expect(attributesToCustomData(many).trimmed).toBe(true);
    const long = attributesToCustomData({ a: 'x'.repeat(3000), nested: { b: 1 }, none: null });
    expect(long.data.a).toHaveLength(2000);
    expect(long.data.nested).toBe('{"b":1}');
    expect('none' in long.data).toBe(false);
  });

  it('reads the contact id and time from a recording path', () => {
    expect(parseRecordingName('abc-123_20260302T09:15_UTC.wav', '2026/03/02')).toEqual({ contactId: 'abc-123', startTime: '2026-03-02T09:15:00.000Z' });
    expect(parseRecordingName('abc-123_20260302T091530_UTC.wav', '')).toEqual({ contactId: 'abc-123', startTime: '2026-03-02T09:15:30.000Z' });
    expect(parseRecordingName('abc-123.wav', 'x/2026/03/02')).toEqual({ contactId: 'abc-123', startTime: '2026-03-02T00:00:00.000Z' });
    expect(parseRecordingName('abc-123.wav', 'misc')).toBeNull();
  });

  it('detects the format of a tree', async () => {
    const connect = tmp();
    put(connect, 'exports/ctr-1', '{"ContactId":"x","Channel":"VOICE"}\n');
    expect(await detectFormat(connect)).toBe('connect');
    const recordings = tmp();
    put(recordings, 'acme/CallRecordings/2026/01/01/x_20260101T00:00_UTC.wav', monoWav(100, 1));
    expect(await detectFormat(recordings)).toBe('connect');
    const files = tmp();
    put(files, 'a.json', { callId: 'a' });
    put(files, 'b.eml', 'From: a@b.c\r\n\r\nhi');
    expect(await detectFormat(files)).toBe('files');
  });
});

describe('files planning', () => {
  it('pairs sidecars with audio, follows "audio" lists into subfolders, and reports audio with no sidecar', async () => {
    const root = tmp();
    for (const f of [
      'a.wav',
      'a.json',
      'b.json',
      'legs/b-agent.wav',
      'legs/b-cust.wav',
      'legs/stray.wav',
      'c.mp3',
      'x.chat.json',
      'm.eml',
      'notes.txt',
      '.hidden.json',
    ])
      put(root, f, '{}');
    put(root, 'b.json', { audio: [{ file: 'legs/b-agent.wav' }, { file: './legs/b-cust.wav' }, { file: '../outside.wav' }] });
    const labels = [];
    for await (const item of planFiles(root, 2 ** 20)) labels.push(item.label);
    expect(labels).toEqual(['a.json', 'b.json', 'm.eml', 'x.chat.json', 'c.mp3', 'legs/stray.wav']);
  });

  it('tells mono from stereo from the header', () => {
    expect(sniffChannels(monoWav(100, 1), 'm.wav')).toBe(1);
    expect(sniffChannels(stereoWav(100, 1, 2).wav, 's.wav')).toBe(2);
    expect(sniffChannels(Buffer.from('hello'), 'x.wav')).toBeNull();
    if (hasFfmpeg) expect(sniffChannels(mp3Of(monoWav(500, 1)), 'm.mp3')).toBe(1);
  });
});

describe('progress', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(83_000)).toBe('1:23');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(NaN)).toBe('--:--');
  });

  it('draws a bar on a terminal and plain periodic lines elsewhere', () => {
    let now = 0;
    const tty: string[] = [];
    const bar = new ImportProgressBar({ write: (s: string) => tty.push(s), isTTY: true, columns: 120 }, { now: () => now });
    bar.start(10);
    now = 2000;
    bar.update(4, 'calls/c1.json');
    expect(tty.at(-1)).toBe(`\r\x1b[K[${'█'.repeat(10)}${'░'.repeat(14)}] 4/10 40% 2.0/s ETA 0:03  calls/c1.json`);
    bar.finish();
    expect(tty.at(-1)).toBe('\r\x1b[K');

    now = 0;
    const plain: string[] = [];
    const log = new ImportProgressBar({ write: (s: string) => plain.push(s) }, { now: () => now, lineEveryMs: 5000 });
    log.start(100);
    for (let i = 1; i <= 100; i++) {
      now = i * 100;
      log.update(i, `f${i}`);
    }
    expect(plain).toEqual(['Imported 50/100 50% 10.0/s ETA 0:05\n', 'Imported 100/100 100% 10.0/s ETA 0:00\n']);
  });
});

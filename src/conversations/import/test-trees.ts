// Folder trees for the import tests, generated in a temp dir: sidecar calls (a stereo corpus recording, a
// per-party pair, an MP3 when ffmpeg is there), emails and chats; broken inputs; an Amazon Connect export.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav, synthSpeechLike } from '../../media/wav-write.ts';
import { interleave } from '../../media/channels.ts';
import { buildEml } from '../email/fixtures.ts';

export const CORPUS = path.resolve('..', 'shared/corpus/public');

export const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export function tempDir(prefix = 'earshot-import-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function put(root: string, rel: string, data: string | Buffer | object): string {
  const file = path.join(root, ...rel.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data, null, 2));
  return file;
}

export const monoWav = (ms: number, seed: number) => encodeWav({ sampleRate: 8000, channels: 1, samples: synthSpeechLike(ms, 8000, seed) });

/** A stereo WAV of two different speech-like signals; returns the signals too, to check channels after storage. */
export function stereoWav(ms: number, leftSeed: number, rightSeed: number) {
  const left = synthSpeechLike(ms, 8000, leftSeed);
  const right = synthSpeechLike(ms, 8000, rightSeed);
  return { wav: encodeWav({ sampleRate: 8000, channels: 2, samples: interleave([left, right]) }), left, right };
}

export function mp3Of(wav: Buffer): Buffer {
  const dir = tempDir('earshot-mp3-');
  try {
    fs.writeFileSync(path.join(dir, 'in.wav'), wav);
    execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      path.join(dir, 'in.wav'),
      '-codec:a',
      'libmp3lame',
      '-b:a',
      '32k',
      path.join(dir, 'out.mp3'),
    ]);
    return fs.readFileSync(path.join(dir, 'out.mp3'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const parties = (agentExtension: string) => [
  { key: 'agent', role: 'agent', extension: agentExtension },
  { key: 'customer', role: 'customer', name: 'Jamie Doe', phone: '+1 555 0100' },
];

/**
 * Sidecar calls (c1: stereo corpus file with the default channel map; c2: one mono file per party, listed in
 * "audio" from a subfolder; c3: a mono MP3 when ffmpeg is there), two emails of one thread and a chat.
 * Returns how many items it holds.
 */
export function buildFilesTree(root: string, opts: { agentExtension: string }): { items: number; calls: string[] } {
  const calls = ['c1', 'c2'];
  put(root, 'calls/c1.wav', fs.readFileSync(path.join(CORPUS, 'p02_cancellation_retention.wav')));
  put(root, 'calls/c1.json', {
    callId: 'imp-c1',
    startTime: '2026-03-01T09:00:00.000Z',
    direction: 'inbound',
    parties: parties(opts.agentExtension),
    customData: { batch: 'march' },
  });
  put(root, 'calls/pair/legs/agent.wav', monoWav(2500, 1));
  put(root, 'calls/pair/legs/customer.wav', monoWav(2500, 2));
  put(root, 'calls/pair/c2.json', {
    callId: 'imp-c2',
    startTime: '2026-03-01T10:00:00.000Z',
    direction: 'outbound',
    parties: parties(opts.agentExtension),
    audio: [
      { file: 'legs/agent.wav', party: 'agent' },
      { file: 'legs/customer.wav', party: 'customer' },
    ],
  });
  if (hasFfmpeg) {
    calls.push('c3');
    put(root, 'calls/c3.mp3', mp3Of(monoWav(3000, 3)));
    put(root, 'calls/c3.json', { callId: 'imp-c3', startTime: '2026-03-01T11:00:00.000Z', direction: 'inbound', parties: parties(opts.agentExtension) });
  }
  put(
    root,
    'mail/1-question.eml',
    buildEml({
      messageId: 'q1@customer.example',
      from: { name: 'Jamie Doe', address: 'jamie@customer.example' },
      to: 'support@acme.example',
      subject: 'Invoice question',
      date: new Date('2026-03-01T08:00:00Z'),
      text: 'Why was I charged twice?',
    }),
  );
  put(
    root,
    'mail/2-answer.eml',
    buildEml({
      messageId: 'a1@acme.example',
      inReplyTo: 'q1@customer.example',
      references: ['q1@customer.example'],
      from: 'support@acme.example',
      to: { name: 'Jamie Doe', address: 'jamie@customer.example' },
      subject: 'Re: Invoice question',
      date: new Date('2026-03-01T08:30:00Z'),
      text: 'We refunded the second charge.',
    }),
  );
  put(root, 'chats/web.chat.json', {
    chatId: 'imp-chat-1',
    roomName: 'Web chat with Jamie',
    participants: [
      { key: 'cust', role: 'customer', name: 'Jamie Doe' },
      { key: 'agent', role: 'agent', extension: opts.agentExtension },
    ],
    messages: [
      { sender: 'cust', at: '2026-03-01T12:00:00Z', text: 'Hello' },
      { sender: 'agent', at: '2026-03-01T12:00:30Z', text: 'Hi, how can I help?' },
    ],
  });
  return { items: calls.length + 3, calls };
}

/** One good call, a broken WAV, a bad sidecar and an audio file with no sidecar. */
export function buildBrokenTree(root: string) {
  const meta = (callId: string) => ({ callId, startTime: '2026-03-02T09:00:00.000Z', direction: 'inbound', parties: parties('1001') });
  put(root, 'good/good.wav', monoWav(2000, 5));
  put(root, 'good/good.json', meta('imp-good'));
  const broken = Buffer.from(monoWav(2000, 6));
  broken.write('junk', 12, 'latin1'); // the "fmt " chunk id: the header no longer parses
  put(root, 'broken/broken.wav', broken.subarray(0, 60));
  put(root, 'broken/broken.json', meta('imp-broken'));
  put(root, 'bad/bad.wav', monoWav(2000, 7));
  put(root, 'bad/bad.json', { ...meta('imp-bad'), direction: 'sideways' });
  put(root, 'lonely/lonely.wav', monoWav(1000, 8));
}

// ---- Amazon Connect --------------------------------------------------------------------------------------

export const CONNECT_IDS = {
  first: '11111111-aaaa-4000-8000-000000000001',
  transfer: '22222222-aaaa-4000-8000-000000000002',
  chat: '33333333-aaaa-4000-8000-000000000003',
  notRecorded: '44444444-aaaa-4000-8000-000000000004',
  missing: '55555555-aaaa-4000-8000-000000000005',
  orphan: '66666666-aaaa-4000-8000-000000000006',
};

/**
 * An export as Connect writes it: recordings under connect/acme/CallRecordings/YYYY/MM/DD, CTRs from Firehose
 * (newline-delimited, no extension) and single-object CTR files. The first call is transferred (second contact:
 * PreviousContactId and InitialContactId name the first); a chat; a call that was not recorded; a call whose
 * recording is missing; a recording with no CTR. Returns the signals of the first call's channels.
 */
export function buildConnectTree(root: string, opts: { firstAgent: string; transferAgent: string }) {
  const ids = CONNECT_IDS;
  const rec = 'connect/acme/CallRecordings/2026/03/02';
  const first = stereoWav(3000, 11, 22); // left = customer, right = agent
  put(root, `${rec}/${ids.first}_20260302T09:15_UTC.wav`, first.wav);
  put(root, `${rec}/${ids.transfer}_20260302T09:21_UTC.wav`, stereoWav(2000, 33, 44).wav);
  put(root, `connect/acme/CallRecordings/2026/03/03/${ids.orphan}_20260303T08:00_UTC.wav`, stereoWav(1500, 55, 66).wav);
  put(root, 'connect/acme/ChatTranscripts/2026/03/02/transcript.json', { ContactId: ids.chat, Transcript: [] });

  const instance = 'arn:aws:connect:eu-west-1:123456789012:instance/acme';
  const base = {
    AWSAccountId: '123456789012',
    InstanceARN: instance,
    Channel: 'VOICE',
    SystemEndpoint: { Address: '+18005550100', Type: 'TELEPHONE_NUMBER' },
    CustomerEndpoint: { Address: '+15550100200', Type: 'TELEPHONE_NUMBER' },
    Queue: { Name: 'Billing', ARN: `${instance}/queue/billing`, Duration: 12 },
  };
  const firstCtr = {
    ...base,
    ContactId: ids.first,
    InitialContactId: null,
    PreviousContactId: null,
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: '2026-03-02T09:12:00Z',
    DisconnectTimestamp: '2026-03-02T09:15:00Z',
    Agent: { Username: opts.firstAgent, ARN: `${instance}/agent/first`, AfterContactWorkDuration: 30, AgentInteractionDuration: 170, NumberOfHolds: 0 },
    Attributes: { accountNumber: '12345', intent: 'billing' },
    Recording: { Location: `acme-recordings/${rec}/${ids.first}_20260302T09:15_UTC.wav`, Status: 'AVAILABLE', Type: 'AUDIO' },
  };
  const transferCtr = {
    ...base,
    ContactId: ids.transfer,
    InitialContactId: ids.first,
    PreviousContactId: ids.first,
    InitiationMethod: 'TRANSFER',
    InitiationTimestamp: '2026-03-02T09:15:05Z',
    DisconnectTimestamp: '2026-03-02T09:21:00Z',
    Agent: { Username: opts.transferAgent, ARN: `${instance}/agent/second` },
    Queue: { Name: 'Retention', ARN: `${instance}/queue/retention` },
    Attributes: { intent: 'cancel', transferredFrom: 'Billing' },
    // A location that no longer matches the tree: found by contact id in the date folder instead.
    Recordings: [{ Location: 's3://old-bucket/archive/recording.wav', Status: 'AVAILABLE', MediaStreamType: 'AUDIO', ParticipantType: 'ALL' }],
  };
  const chatCtr = {
    ...base,
    ContactId: ids.chat,
    Channel: 'CHAT',
    InitiationMethod: 'API',
    InitiationTimestamp: '2026-03-02T09:30:00Z',
    Agent: { Username: opts.firstAgent },
    Recording: null,
  };
  // Firehose: one record per line, no extension; the transfer before the contact it continues.
  put(
    root,
    'ctr/2026/03/02/09/acme-ctr-stream-1-2026-03-02-09-30-00-0f1e2d3c',
    [transferCtr, firstCtr, chatCtr].map((c) => JSON.stringify(c)).join('\n') + '\n',
  );
  put(root, 'ctr/2026/03/02/10/not-recorded.json', {
    ...base,
    ContactId: ids.notRecorded,
    InitiationMethod: 'OUTBOUND',
    InitiationTimestamp: '2026-03-02T10:00:00Z',
    DisconnectTimestamp: '2026-03-02T10:02:00Z',
    Agent: { Username: opts.firstAgent },
    Recording: null,
  });
  put(root, 'ctr/2026/03/02/10/missing.json', {
    ...base,
    ContactId: ids.missing,
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: '2026-03-02T10:05:00Z',
    DisconnectTimestamp: '2026-03-02T10:09:00Z',
    Agent: { Username: opts.firstAgent },
    Recording: { Location: `acme-recordings/${rec}/${ids.missing}_20260302T10:09_UTC.wav`, Status: 'AVAILABLE', Type: 'AUDIO' },
  });
  return { firstCustomer: first.left, firstAgent: first.right };
}

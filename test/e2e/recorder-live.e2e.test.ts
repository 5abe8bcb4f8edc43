// e2e (Chromium + SIPp): the recorder runs in the test server's process with its real RTP worker pool; a SIPp SIPREC
// call (two m-lines, both legs' RTP sent by the test tools' sender) shows on Live, is listened to in the browser (µ-law
// frames reach the AudioWorklet page), is paused and resumed from its row, and once SIPp hangs up becomes a
// conversation that plays with both parties and shows its quality lane with the paused gap.
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import { newId } from '../../src/platform/ids.ts';
import { assessEndedCalls } from '../../src/recorder/assurance/service.ts';
import { getCallById } from '../../src/recorder/calls/repository.ts';
import { startRecorder, type RunningRecorder } from '../../src/recorder/role.ts';
import { RtpSender, testAudio } from '../recorder/tools/rtp-sender.ts';
import * as S from '../recorder/sipp-scenarios.ts';
import * as e2e from './setup.ts';
import { allowSource, agentsAtDomain } from '../recorder/sources.ts';

const hasChromium = e2e.chromiumFor('recorder live');
const HAS_SIPP = spawnSync('sipp', ['-v']).status !== null;
const { WAIT, visible } = e2e.waits(60_000);
const CALL_MS = 30_000;

async function freePort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

describe.skipIf(!hasChromium || !HAS_SIPP)('live monitoring of a SIPREC call', () => {
  let server: e2e.TestServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let cookie = '';
  let rec: RunningRecorder;
  let tenantId = '';
  const node = `e2e-${newId()}`;
  const api = (method: string, url: string, body?: unknown) => e2e.apiClient(server, () => cookie)(method, url, body);

  beforeAll(async () => {
    server = await e2e.startE2eServer();
    cookie = await e2e.sessionCookie(server);
    tenantId = (await server.ctx.db.selectFrom('tenants').select('id').where('name', '=', 'Demo').executeTakeFirstOrThrow()).id;
    await allowSource(server.ctx.db, tenantId);
    await agentsAtDomain(server.ctx.db, tenantId);
    // PCI: calls may be paused and resumed.
    const mode = await api('POST', '/api/recorder/recording-modes', { kind: 'default', value: '', mode: 'always_pause' });
    expect(mode.status, await mode.clone().text()).toBe(200);
    rec = await startRecorder(server.ctx, {
      sip: {
        host: '127.0.0.1',
        udpPort: 0,
        tcpPort: 0,
        tlsPort: null,
        tls: null,
        advertisedAddress: '127.0.0.1',
        node,
        maxSessionMs: 0,
        rtp: { portMin: 30000, portMax: 30999, workers: 1 },
      },
    });
    browser = await e2e.launchChromium(['--autoplay-policy=no-user-gesture-required']);
    ({ page, errors: pageErrors } = await e2e.openPage(browser, 60_000));
    await e2e.signIn(page, server, server.login.admin, 90_000);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await rec?.stop();
    await server?.close();
  });

  it('shows the call on Live, streams it to the browser, pauses and resumes it, and plays it afterwards with its quality lane', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-e2e-sipp-'));
    const scenario = path.join(dir, 'call.xml');
    fs.writeFileSync(scenario, S.basicNoRtp({}, CALL_MS));
    const sipp = spawn(
      'sipp',
      [
        `127.0.0.1:${rec.transports.ports.udp}`,
        '-sf',
        scenario,
        '-i',
        '127.0.0.1',
        '-mi',
        '127.0.0.1',
        '-p',
        String(await freePort()),
        '-t',
        'u1',
        '-m',
        '1',
        '-nostdin',
        '-timeout',
        '90s',
        '-timeout_error',
        '-trace_err',
        '-error_file',
        path.join(dir, 'errors.log'),
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    const sippDone = new Promise<number | null>((r) => sipp.on('exit', (c) => r(c)));

    // The answered call: its two ports, fed by the sender (SIPp sends no RTP in this scenario).
    let callId = '';
    await expect
      .poll(async () => {
        const row = await server.ctx.db.selectFrom('recorder_calls').select('id').where('node', '=', node).executeTakeFirst();
        if (!row) return 0;
        callId = row.id;
        return (await getCallById(server.ctx.db, server.ctx.adapter, row.id))?.streams.filter((s) => s.port > 0).length ?? 0;
      }, WAIT)
      .toBe(2);
    const call = (await getCallById(server.ctx.db, server.ctx.adapter, callId))!;
    const sender = new RtpSender();
    call.streams.forEach((s, i) => sender.add({ address: '127.0.0.1', port: s.port, audio: testAudio(CALL_MS - 3000, i + 1), ssrc: 1000 + i }));
    sender.start();

    try {
      await page.goto(`${server.url}/live`);
      const row = page.locator(`[data-testid="live-call"][data-call-ref="${call.callRef}"]`);
      await visible(row);
      await expect.poll(() => row.getByTestId('live-state').textContent(), WAIT).toBe(en.live.state.recording);

      // Listen in: frames arrive through the WebSocket into the worklet's page.
      await row.getByTestId('live-listen').click();
      const frames = page.getByTestId('listen-frames');
      await visible(frames);
      await expect.poll(async () => Number(await frames.getAttribute('data-frames')), WAIT).toBeGreaterThan(20);

      // Pause and resume from the row (mode "always with pause/resume").
      await row.getByRole('button', { name: en.live.actions.pause }).click();
      await expect.poll(() => row.getByTestId('live-state').textContent(), WAIT).toBe(en.live.state.paused);
      await page.waitForTimeout(2500);
      await row.getByRole('button', { name: en.live.actions.resume }).click();
      await expect.poll(() => row.getByTestId('live-state').textContent(), WAIT).toBe(en.live.state.recording);
      await page.getByRole('button', { name: en.live.stopListening }).click();

      expect(await sippDone, fs.existsSync(path.join(dir, 'errors.log')) ? fs.readFileSync(path.join(dir, 'errors.log'), 'utf8') : '').toBe(0);
    } finally {
      sender.close();
    }

    // The conversation: both parties' lanes, and the quality lane with the paused gap once assurance ran.
    let conversationId: string | null = null;
    await expect
      .poll(async () => (conversationId = (await getCallById(server.ctx.db, server.ctx.adapter, callId))?.conversationId ?? null), {
        timeout: 120_000,
        interval: 1000,
      })
      .not.toBeNull();
    expect(await assessEndedCalls(server.ctx, Date.now() + 10 * 60_000)).toBeGreaterThanOrEqual(1);
    const audit = (await (await api('GET', `/api/audit?resourceId=${callId}`)).json()) as { items: { action: string }[] };
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['LIVE_MONITOR', 'RECORDING_PAUSE', 'RECORDING_RESUME']));

    await page.goto(`${server.url}/conversations/${conversationId}`);
    await expect.poll(() => page.getByTestId('player-lane').count(), { timeout: 120_000 }).toBe(2);
    await visible(page.getByTestId('quality-lane'));
    expect(await page.getByTestId('quality-leg').count()).toBe(2);
    expect(await page.getByTestId('paused-gap').count()).toBeGreaterThanOrEqual(1);
    expect(pageErrors).toEqual([]);
  }, 300_000);
});

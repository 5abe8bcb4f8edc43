// SIP over TLS against the running server: a client certificate from the configured CA is matched to a source by its
// name (and admitted: 200 to OPTIONS), a connection without one falls back to the address allow-list (refused: 403).
// Certificates are made by the openssl CLI for the test; SQLite only (the SQL is covered on both engines elsewhere).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers/context.ts';
import { makeTenant } from '../../../test/helpers/factories.ts';
import { CapturePool } from '../../../test/recorder/capture-pool.ts';
import { newId } from '../../platform/ids.ts';
import { startRecorder, type RunningRecorder } from '../role.ts';
import { allowSource } from '../../../test/recorder/sources.ts';

const HAS_OPENSSL = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!HAS_OPENSSL)('SIP over TLS', () => {
  let t: TestContext;
  let rec: RunningRecorder;
  let dir: string;
  const file = (n: string) => path.join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-sip-tls-'));
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Test SBC CA');
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srs.key', '-out', 'srs.pem', '-days', '2', '-subj', '/CN=srs.example.test');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'sbc.key', '-out', 'sbc.csr', '-subj', '/CN=sbc1.example.test');
    ssl('x509', '-req', '-in', 'sbc.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'sbc.pem', '-days', '2');
    t = await createTestContext('sqlite');
    const { tenantId } = await makeTenant(t);
    await allowSource(t.db, tenantId, { name: 'SBC over TLS', address: null, tlsIdentity: 'sbc1.example.test' });
    rec = await startRecorder(t, {
      pool: new CapturePool(),
      sip: {
        host: '127.0.0.1',
        udpPort: null,
        tcpPort: null,
        tlsPort: 0,
        tls: { certFile: file('srs.pem'), keyFile: file('srs.key'), caFile: file('ca.pem') },
        advertisedAddress: '127.0.0.1',
        node: `tls-${newId()}`,
        maxSessionMs: 0,
        rtp: { portMin: 20000, portMax: 29999, workers: 1 },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await rec?.stop();
    await t?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function options(withCert: boolean): Promise<string> {
    const socket = tls.connect({
      host: '127.0.0.1',
      port: rec.transports.ports.tls!,
      rejectUnauthorized: false,
      ...(withCert ? { cert: fs.readFileSync(file('sbc.pem')), key: fs.readFileSync(file('sbc.key')) } : {}),
    });
    await new Promise<void>((r, j) => {
      socket.once('secureConnect', () => r());
      socket.once('error', j);
    });
    const id = newId();
    socket.write(
      [
        `OPTIONS sip:srs@127.0.0.1 SIP/2.0`,
        `Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK${id}`,
        'From: <sip:sbc@127.0.0.1>;tag=1',
        'To: <sip:srs@127.0.0.1>',
        `Call-ID: ${id}`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const text = await new Promise<string>((r) => socket.once('data', (d) => r(d.toString())));
    socket.destroy();
    return text;
  }

  it('admits the SBC by its certificate name and refuses a client without one', async () => {
    expect(await options(true)).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(await options(false)).toMatch(/^SIP\/2\.0 403 Forbidden\r\n/);
  }, 30_000);
});

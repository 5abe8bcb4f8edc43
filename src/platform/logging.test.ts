import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { loginHint } from '../main.ts';
import { logDestination } from './logging.ts';

describe('logs', () => {
  it('are JSON when stdout is not a terminal', () => {
    expect(logDestination({ isTTY: false })).toBeUndefined();
    expect(logDestination({})).toBeUndefined();
  });

  it('are readable lines, not JSON, on a terminal', () => {
    let text = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) });
    const stream = logDestination({ isTTY: true }, sink);
    expect(stream).toBeDefined();
    pino({ base: { app: 'earshot' } }, stream).info({ roles: ['api'] }, 'Earshot is listening');
    expect(text).toMatch(/INFO.*Earshot is listening/);
    expect(text).not.toContain('{"level"');
  });

  it('say where to log in, and as whom when the demo is on', () => {
    expect(loginHint(loadConfig({}))).toBe(
      'Log in at http://127.0.0.1:8080 as admin@demo.earshot.local / Admin-Demo-2026! (demo tenant; the other demo logins are in README.md)',
    );
    expect(loginHint(loadConfig({ EARSHOT_DEMO: 'false', HOST: '0.0.0.0', PORT: '9000' }))).toBe('Log in at http://localhost:9000');
    expect(loginHint(loadConfig({ EARSHOT_DEMO: 'false', EARSHOT_PUBLIC_URL: 'https://earshot.example.com/' }))).toBe('Log in at https://earshot.example.com');
  });
});

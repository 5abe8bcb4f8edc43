// The optional chat endpoint against a local stub that answers as the OpenAI chat completions API does: the endpoint
// path for each form of base URL, what is sent (model, bearer key, numbered lines, a long conversation cut in the
// middle), fenced JSON accepted, and every way it can fail (HTTP error, no content, not JSON, timeout) reported as an
// error the job records instead of failing the insights.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askLlm, chatEndpoint, LLM_MAX_LINES } from './llm.ts';
import type { InsightLine } from './model.ts';

const lines = (n: number): InsightLine[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `u${i + 1}`,
    kind: 'utterance',
    segmentId: null,
    role: i % 2 ? 'customer' : 'agent',
    startMs: i * 1000,
    endMs: i * 1000 + 900,
    text: i === 1 ? 'I will send the form back tomorrow.' : `line ${i + 1}`,
  }));

let reply: (body: { model: string; messages: Array<{ role: string; content: string }> }) => { status: number; body: unknown; delayMs?: number };
const seen: Array<{ url: string | undefined; auth: string | undefined; body: { model: string; messages: Array<{ content: string }> } }> = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw);
      seen.push({ url: req.url, auth: req.headers.authorization, body });
      const r = reply(body);
      setTimeout(() => {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(r.body));
      }, r.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const answer = (content: unknown) => ({
  status: 200,
  body: { object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] },
});
const config = (timeoutMs = 5000) => ({ url: base, apiKey: 'secret', model: 'small', timeoutMs });

describe('the optional chat endpoint', () => {
  it('takes a bare host, /v1 or the full path', () => {
    expect(chatEndpoint('http://h:1')).toBe('http://h:1/v1/chat/completions');
    expect(chatEndpoint('http://h:1/v1/')).toBe('http://h:1/v1/chat/completions');
    expect(chatEndpoint('http://h:1/openai/v1/chat/completions')).toBe('http://h:1/openai/v1/chat/completions');
  });

  it('sends numbered lines and keeps only next steps that point at a line', async () => {
    reply = () =>
      answer('```json\n{"summary": "A form is coming back.", "next_steps": [{"line": 2, "text": "send the form back tomorrow"}, {"line": "x"}]}\n```');
    const r = await askLlm(config(), lines(3));
    expect(seen.at(-1)).toMatchObject({ url: '/v1/chat/completions', auth: 'Bearer secret', body: { model: 'small' } });
    expect(seen.at(-1)!.body.messages[1]!.content).toBe('1. agent: line 1\n2. customer: I will send the form back tomorrow.\n3. agent: line 3');
    expect(r.summary).toBe('A form is coming back.');
    expect(r.nextSteps).toEqual([{ lineId: 'u2', startMs: 1000, range: [7, 34], text: 'send the form back tomorrow', role: 'customer', source: 'llm' }]);
  });

  it("on e-mails keeps the agent's next steps only, as the rules do", async () => {
    reply = () => answer('{"summary": "", "next_steps": [{"line": 1, "text": "send the form"}, {"line": 2, "text": "send the refund"}]}');
    const mails: InsightLine[] = [
      { id: 'e1', kind: 'email', segmentId: 'e1', role: 'customer', startMs: 0, endMs: 0, text: 'I will send the form.' },
      { id: 'e2', kind: 'email', segmentId: 'e2', role: 'agent', startMs: 1000, endMs: 1000, text: 'We will send the refund.' },
    ];
    expect((await askLlm(config(), mails)).nextSteps.map((n) => n.lineId)).toEqual(['e2']);
  });

  it('sends the start and the end of a long conversation', async () => {
    reply = () => answer('{"summary": "", "next_steps": []}');
    const r = await askLlm(config(), lines(LLM_MAX_LINES + 50));
    const sent = seen.at(-1)!.body.messages[1]!.content.split('\n');
    expect(sent).toHaveLength(LLM_MAX_LINES);
    expect(sent[0]).toMatch(/^1\. /);
    expect(sent.at(-1)).toMatch(new RegExp(`^${LLM_MAX_LINES + 50}\\. `));
    expect(r.summary).toBeNull();
  });

  it('reports every failure as an error', async () => {
    reply = () => ({ status: 503, body: { error: { message: 'overloaded' } } });
    await expect(askLlm(config(), lines(2))).rejects.toThrow(/HTTP 503/);
    reply = () => ({ status: 200, body: { choices: [] } });
    await expect(askLlm(config(), lines(2))).rejects.toThrow(/no message content/);
    reply = () => answer('Sure! Here is a summary of the call.');
    await expect(askLlm(config(), lines(2))).rejects.toThrow(/not answer with JSON/);
    reply = () => ({ ...answer('{}'), delayMs: 1500 });
    await expect(askLlm(config(1000), lines(2))).rejects.toThrow();
  });
});

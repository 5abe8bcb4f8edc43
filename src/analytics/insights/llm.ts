// The optional OpenAI-compatible chat endpoint (EARSHOT_INSIGHTS_LLM_URL): a short summary and next steps the rules
// missed. Never required: when it is off, unreachable, slow or answers nonsense, the insights are stored without it
// and say why (details.llm). Its next steps are kept only when they point at a real line of the conversation, so
// nothing is shown that was not said.
import type { InsightLine } from './model.ts';
import type { NextStep } from './next-steps.ts';

export interface LlmConfig {
  url: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
}

export interface LlmResult {
  summary: string | null;
  nextSteps: NextStep[];
}

/** Lines sent at most (a long call is cut at the start and the end, where summaries and commitments sit). */
export const LLM_MAX_LINES = 400;
export const SUMMARY_MAX_CHARS = 1000;

/** ".../v1" and ".../v1/chat/completions" are taken as they are; a bare host gets /v1/chat/completions. */
export function chatEndpoint(base: string) {
  const b = base.replace(/\/+$/, '');
  if (/\/chat\/completions$/.test(b)) return b;
  if (/\/v1$/.test(b)) return `${b}/chat/completions`;
  return `${b}/v1/chat/completions`;
}

const SYSTEM =
  'You read a contact-center conversation, one numbered line per utterance or message, each prefixed with its speaker. ' +
  'Answer with one JSON object only: {"summary": string, "next_steps": [{"line": number, "text": string}]}. ' +
  'summary: at most three sentences on why the customer got in touch and how it ended. ' +
  'next_steps: the commitments and action items agreed (what someone will do after the conversation), each with the number ' +
  'of the line that says it and its text quoted from that line. No next step that is not said in a line. Write in the language of the conversation.';

function pick(lines: readonly InsightLine[]): Array<[number, InsightLine]> {
  const numbered = lines.map((l, i) => [i + 1, l] as [number, InsightLine]);
  if (numbered.length <= LLM_MAX_LINES) return numbered;
  const half = LLM_MAX_LINES / 2;
  return [...numbered.slice(0, half), ...numbered.slice(-half)];
}

export async function askLlm(config: LlmConfig, lines: readonly InsightLine[], signal?: AbortSignal): Promise<LlmResult> {
  const shown = pick(lines);
  const transcript = shown.map(([n, l]) => `${n}. ${l.role}: ${l.text.replace(/\s+/g, ' ').trim()}`).join('\n');
  const timeout = AbortSignal.timeout(config.timeoutMs);
  const res = await fetch(chatEndpoint(config.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
    body: JSON.stringify({
      model: config.model,
      temperature: 0,
      response_format: { type: 'json_object' },
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: transcript },
      ],
    }),
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  if (!res.ok) throw new Error(`The chat endpoint answered HTTP ${res.status}`);
  const body = (await res.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
  const content = body.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new Error('The chat endpoint sent no message content');
  let parsed: { summary?: unknown; next_steps?: unknown };
  try {
    // Some servers wrap JSON in a Markdown fence even when asked for a JSON object.
    parsed = JSON.parse(content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ''));
  } catch {
    throw new Error('The chat endpoint did not answer with JSON');
  }
  const summary = typeof parsed.summary === 'string' && parsed.summary.trim() ? parsed.summary.trim().slice(0, SUMMARY_MAX_CHARS) : null;
  const byNumber = new Map(shown);
  const nextSteps: NextStep[] = [];
  for (const item of Array.isArray(parsed.next_steps) ? parsed.next_steps : []) {
    const n = Number((item as { line?: unknown })?.line);
    const line = byNumber.get(n);
    // As the rules (next-steps.ts): on e-mails, the agent's commitments only.
    if (!line || (line.kind === 'email' && line.role !== 'agent')) continue;
    const quoted = String((item as { text?: unknown })?.text ?? '').trim();
    const at = quoted ? line.text.toLowerCase().indexOf(quoted.toLowerCase()) : -1;
    const range: [number, number] = at >= 0 ? [at, at + quoted.length] : [0, line.text.length];
    nextSteps.push({ lineId: line.id, startMs: line.startMs, range, text: line.text.slice(range[0], range[1]), role: line.role, source: 'llm' });
  }
  return { summary, nextSteps };
}

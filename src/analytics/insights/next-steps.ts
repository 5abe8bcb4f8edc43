// Next steps and questions by rules per language (languages.ts; docs/analytics.md). A next step is a sentence that
// commits someone to do something after the contact ("I'll send you…", "you'll receive…", "call us back if…"); a
// question is a sentence ending in "?" (or, in unpunctuated transcripts, opening like one); a good question is an open
// question the agent asked (what/how/why…, "can you tell me…"), not a formula like "how can I help you?". On e-mails only
// the agent's sentences are next steps: a customer's letter is full of "I will…" that is no action item of the contact.
import type { InsightLine, TextPlace } from './model.ts';
import type { LanguageRules } from './languages.ts';
import { sentences } from './text.ts';

export interface NextStep extends TextPlace {
  text: string;
  role: InsightLine['role'];
  source: 'rules' | 'llm';
}

export interface Question extends TextPlace {
  text: string;
  role: InsightLine['role'];
  open: boolean;
}

export function findNextStepsAndQuestions(lines: readonly InsightLine[], rules: LanguageRules): { nextSteps: NextStep[]; questions: Question[] } {
  const nextSteps: NextStep[] = [];
  const questions: Question[] = [];
  for (const line of lines) {
    for (const s of sentences(line.text, rules)) {
      const place = { lineId: line.id, startMs: line.startMs, range: s.range, text: s.text, role: line.role };
      if (s.question) {
        const open = rules.openQuestion.test(s.text) && !rules.formulaicQuestion.test(s.text);
        questions.push({ ...place, open });
      } else if (line.kind === 'email' && line.role !== 'agent') continue;
      else if (rules.nextSteps.some((re) => re.test(s.text))) nextSteps.push({ ...place, source: 'rules' });
    }
  }
  return { nextSteps, questions };
}

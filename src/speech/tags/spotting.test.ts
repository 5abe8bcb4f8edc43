// The transcript spotter on hand-written utterances: exact, stem and sound-alike matches, split words, party and
// language restrictions, how word confidence moves a hit between levels, and what is never a hit.
import { describe, expect, it } from 'vitest';
import { confidenceLevel, type SpeakerRole } from '../model.ts';
import { combineConfidence, numberWords, phraseTokens, spotTranscript, type SpotDefinition, type SpotUtterance } from './spotting.ts';

let seq = 0;
/** An utterance whose words last 250 ms each, 300 ms apart, from `at` ms. */
function utt(role: SpeakerRole, text: string, opts: { c?: number | null; at?: number } = {}): SpotUtterance {
  const at = opts.at ?? 0;
  const c = opts.c === undefined ? 0.9 : opts.c;
  return { id: `u${++seq}`, role, segmentId: 's1', words: text.split(' ').map((w, i) => ({ w, s: at + i * 300, e: at + i * 300 + 250, c })) };
}
const tag = (phrase: string, extra: Partial<SpotDefinition> = {}): SpotDefinition => ({ id: phrase, phrase, language: null, party: null, ...extra });
const spot = (u: SpotUtterance[], d: SpotDefinition[], lang: string | null = 'en') => spotTranscript(u, d, lang);
const level = (c: number) => confidenceLevel(c);

describe('spotTranscript', () => {
  it('finds an exact phrase with its time span and utterance, certainly', () => {
    const u = utt('agent', 'thank you for calling brightline this call may be recorded', { at: 1000 });
    const [hit, ...rest] = spot([u], [tag('This call may be recorded.')]);
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ tagId: 'This call may be recorded.', utteranceId: u.id, segmentId: 's1', startMs: 2500, endMs: 3950, match: 'exact' });
    expect(hit!.text).toBe('this call may be recorded');
    expect(level(hit!.confidence)).toBe('certainly');
  });

  it('matches a plural or another form of the word, one level lower', () => {
    const hits = spot(
      [utt('customer', 'i keep getting late fees on my bill'), utt('customer', 'i am cancelling my contract')],
      [tag('late fee'), tag('cancel')],
    );
    expect(hits.map((h) => [h.tagId, h.text, h.match])).toEqual([
      ['late fee', 'late fees', 'stem'],
      ['cancel', 'cancelling', 'stem'],
    ]);
    expect(level(hits[0]!.confidence)).toBe('certainly'); // one of two words a stem variant
    expect(level(hits[1]!.confidence)).toBe('probably'); // the only word a stem variant
  });

  it('finds a word the engine split into sound-alikes or misspelt, at a lower level', () => {
    const [split] = spot([utt('customer', 'i want to can sell my account')], [tag('cancel')]);
    expect(split).toMatchObject({ text: 'can sell', match: 'fuzzy' });
    expect(level(split!.confidence)).toBe('maybe');
    // One misrecognised word in a longer phrase still leaves it probable or better.
    const [long] = spot([utt('agent', 'thank you for colling metro power')], [tag('thank you for calling')]);
    expect(long).toMatchObject({ text: 'thank you for colling', match: 'fuzzy' });
    expect(['certainly', 'probably']).toContain(level(long!.confidence));
  });

  it('keeps unrelated words and unrelated short sound-alikes out', () => {
    expect(spot([utt('customer', 'the weather is lovely today and the sun is out')], [tag('cancel'), tag('manager'), tag('refund')])).toEqual([]);
    expect(spot([utt('customer', 'i am free to go')], [tag('fee')])).toEqual([]);
    // Half of a two-word phrase is not the phrase.
    expect(spot([utt('customer', 'i was late again')], [tag('late fee')])).toEqual([]);
  });

  it('never matches across two utterances', () => {
    expect(spot([utt('customer', 'that is late'), utt('customer', 'fee is wrong')], [tag('late fee')])).toEqual([]);
  });

  it('respects the party: agent-only and customer-only tags, unknown speakers only for anyone', () => {
    const agent = utt('agent', 'let me get my supervisor');
    const customer = utt('customer', 'i want a supervisor now');
    const unknown = utt('unknown', 'a supervisor please');
    const hits = spot(
      [agent, customer, unknown],
      [tag('supervisor', { id: 'any' }), tag('supervisor', { id: 'agent', party: 'agent' }), tag('supervisor', { id: 'cust', party: 'customer' })],
    );
    const by = (id: string) => hits.filter((h) => h.tagId === id).map((h) => h.utteranceId);
    expect(by('any')).toEqual([agent.id, customer.id, unknown.id]);
    expect(by('agent')).toEqual([agent.id]);
    expect(by('cust')).toEqual([customer.id]);
  });

  it('respects the language: a French tag is not looked for in an English transcript', () => {
    const u = [utt('customer', 'i want a refund')];
    expect(spot(u, [tag('refund', { language: 'fr' })], 'en')).toEqual([]);
    expect(spot(u, [tag('refund', { language: 'en' })], 'en-US')).toHaveLength(1);
    expect(spot(u, [tag('refund', { language: 'en' })], null)).toHaveLength(1);
  });

  it('moves a hit down a level when the engine doubts the words, and treats no confidence as neutral', () => {
    const sure = spot([utt('customer', 'i want a refund', { c: 0.95 })], [tag('refund')])[0]!;
    const doubtful = spot([utt('customer', 'i want a refund', { c: 0.05 })], [tag('refund')])[0]!;
    const none = spot([utt('customer', 'i want a refund', { c: null })], [tag('refund')])[0]!;
    expect(level(sure.confidence)).toBe('certainly');
    expect(level(doubtful.confidence)).toBe('probably');
    expect(level(none.confidence)).toBe('certainly');
    expect(sure.confidence).toBeGreaterThan(none.confidence);
    expect(none.confidence).toBeGreaterThan(doubtful.confidence);
  });

  it('reports each mention once, and every mention', () => {
    const hits = spot([utt('customer', 'refund refund i said refund')], [tag('refund')]);
    expect(hits.map((h) => h.startMs)).toEqual([0, 300, 1200]);
  });

  it('looks for digits in a tag as the spoken words', () => {
    expect(phraseTokens('24 hours', 'en')).toEqual(['twenty', 'four', 'hours']);
    expect(numberWords(1205)).toEqual(['one', 'thousand', 'two', 'hundred', 'five']);
    expect(spot([utt('agent', 'within twenty four hours')], [tag('24 hours')])).toHaveLength(1);
  });

  it('ignores case, punctuation and accents in the phrase', () => {
    expect(phraseTokens("  I'm  Sorry!! ", null)).toEqual(['im', 'sorry']);
    expect(spot([utt('agent', "i'm sorry about that")], [tag("I'M SORRY")])).toHaveLength(1);
    expect(phraseTokens('Café', null)).toEqual(['cafe']);
  });
});

describe('combineConfidence', () => {
  it('maps an exact match to certainly, a weak one below the floor', () => {
    expect(combineConfidence(1, 1)).toBe(1);
    expect(combineConfidence(1, null)).toBeGreaterThanOrEqual(0.65);
    expect(combineConfidence(0.5, 1)).toBeLessThan(0.4);
    expect(combineConfidence(1, 2)).toBe(1); // clamped
  });
});

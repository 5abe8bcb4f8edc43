// Topic matching by similarity to guiding sentences: a line that says the same thing in other words is a hit (stems,
// synonyms), a line that only shares one word is not, and each line gets at most one hit per topic.
import { describe, expect, it } from 'vitest';
import type { InsightLine } from '../insights/model.ts';
import { DEFAULT_TOPICS } from './defaults.ts';
import { MIN_SCORE, TopicMatcher } from './matching.ts';

const line = (id: string, text: string): InsightLine => ({ id, kind: 'utterance', segmentId: null, role: 'customer', startMs: 0, endMs: 1, text });
const matcher = new TopicMatcher(
  DEFAULT_TOPICS.map((t) => ({ id: t.key, sentences: t.sentences })),
  'en',
);
const topicsOf = (text: string) => matcher.match([line('l', text)]).map((h) => h.topicId);

describe('topic matching', () => {
  it('finds the topic of a line worded differently from every guiding sentence', () => {
    expect(topicsOf('I will be calling my attorney and we will see you in court.')).toEqual(['legal']);
    expect(topicsOf('Why did the charges on my invoice go up this month?')).toContain('pricing');
    expect(topicsOf('Somebody hacked into my account and changed the password.')).toContain('security');
    expect(topicsOf('Our modem keeps losing the connection every evening.')).toEqual(['hardware']);
    expect(topicsOf('Remove my personal details from your records please.')).toEqual(['privacy']);
    expect(topicsOf('The licence for our team runs out next month, how do we renew it?')).toContain('licensing');
  });

  it('does not call one shared word, or small talk, a topic', () => {
    expect(topicsOf('What is the price?')).toEqual([]);
    expect(topicsOf('Good morning, how are you today?')).toEqual([]);
    expect(topicsOf('Thanks, have a great day.')).toEqual([]);
    expect(topicsOf('')).toEqual([]);
  });

  it('scores 0–1 with at most one hit per topic and line, best first', () => {
    const hits = matcher.match([line('a', 'The router is broken and the modem lights blink red, the router needs to be replaced.')]);
    expect(hits.map((h) => h.topicId)).toEqual(['hardware']);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(MIN_SCORE);
    expect(hits[0]!.score).toBeLessThanOrEqual(1);
    expect(matcher.match([line('b', DEFAULT_TOPICS[0]!.sentences[0]!)])[0]).toMatchObject({ topicId: 'pricing', score: 1, sentence: 0 });
  });

  it('matches nothing without topics or sentences with no content word', () => {
    expect(new TopicMatcher([], 'en').match([line('a', 'price cost')])).toEqual([]);
    expect(new TopicMatcher([{ id: 't', sentences: ['the and of', '?!'] }], 'en').match([line('a', 'the and of')])).toEqual([]);
  });
});

// Filter chips in French (issue 16): the server's English labels rebuilt from the canonical filter with the
// catalogue's words, keeping the names the server looked up; English keeps the server's own labels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterChip, SearchFilterInput } from '../api/types.ts';
import { chipLabel } from './chips.ts';
import i18n from './index.ts';

const filter: SearchFilterInput = {
  period: { kind: 'last_days', days: 30 },
  daysOfWeek: [1, 2, 5],
  timeOfDay: { from: '9', to: '17:30' },
  duration: 'long',
  phone: '+3361',
  channels: ['call', 'chat'],
  screen: 'with',
  direction: 'inbound',
  agentId: 'u1',
  groupId: 'g1',
  tags: ['t1', 't2'],
  speechTags: { include: [{ tagId: 's1', confidence: 'probably' }], exclude: [{ tagId: 's2', confidence: 'maybe' }] },
  indicators: {
    include: [
      { indicatorId: 'i1', by: 'customer' },
      { indicatorId: 'i2', by: 'anyone' },
    ],
    exclude: [{ indicatorId: 'i3', by: 'agent' }],
  },
  topics: ['p1', 'p2'],
  sentiment: { min: 0, max: 39 },
  engagement: { min: 70, max: 100 },
  reviewable: 'all',
  customData: [{ fieldKey: 'status', op: { op: 'equals', value: 'Open' } }],
  view: 'mine',
};

// As describeFilter (src/search/filter.ts) labels them.
const chips: FilterChip[] = [
  { field: 'period', label: 'Time period: Last 30 days' },
  { field: 'daysOfWeek', label: 'Days of week: Mon, Tue, Fri' },
  { field: 'timeOfDay', label: 'Time of day: 09:00 – 17:30' },
  { field: 'duration', label: 'Duration: Long (3 – 10 min)' },
  { field: 'phone', label: 'Phone number: starts with +3361' },
  { field: 'channels', label: 'Channel: Calls, Chats' },
  { field: 'screen', label: 'Screen: With recorded screen' },
  { field: 'direction', label: 'Direction: Inbound' },
  { field: 'agentId', label: 'Agent: Julien Laurent' },
  { field: 'groupId', label: 'Group: Support Lyon' },
  { field: 'tags', label: 'Tags: Escalated or Refund' },
  { field: 'speechTags', label: 'Speech tags: Greeting (probably), not Apology (maybe)' },
  { field: 'indicators', label: 'Indicators: Churn risk (by the customer), Praise, not Legal threat (by the agent)' },
  { field: 'topics', label: 'Topics: Pricing or Licensing' },
  { field: 'sentiment', label: 'Sentiment: 0 – 39' },
  { field: 'engagement', label: 'Engagement: 70 – 100' },
  { field: 'reviewable', label: 'Reviewable: All' },
  { field: 'customData', index: 0, label: 'Ticket status is “Open”' },
  { field: 'view', label: 'View: My conversations' },
];

describe('chip labels', () => {
  beforeAll(() => i18n.changeLanguage('fr'));
  afterAll(() => i18n.changeLanguage('en'));

  it('are French in the French UI, with the names the server looked up', () => {
    const t = i18n.getFixedT('fr');
    expect(chips.map((c) => chipLabel(c, filter, t, 'fr'))).toEqual([
      'Période : 30 derniers jours',
      'Jours de la semaine : lun., mar., ven.',
      'Heure de la journée : 09:00 – 17:30',
      'Durée : Longue (3 à 10 min)',
      'Numéro de téléphone : commence par +3361',
      'Canal : Appels, Chats',
      'Écran : Avec un enregistrement d’écran',
      'Sens : Entrant',
      'Agent : Julien Laurent',
      'Groupe : Support Lyon',
      'Tags : Escalated ou Refund',
      'Tags vocaux : Greeting (probablement), pas Apology (peut-être)',
      'Indicateurs : Churn risk (par le client), Praise, pas Legal threat (par l’agent)',
      'Sujets : Pricing ou Licensing',
      'Sentiment : 0 – 39',
      'Engagement : 70 – 100',
      'Évaluable : Toutes les conversations',
      'Ticket status est “Open”',
      'Vue : Mes conversations',
    ]);
  });

  it("keep the server's labels in English, and for a chip they do not know", () => {
    const t = i18n.getFixedT('en');
    expect(chips.map((c) => chipLabel(c, filter, t, 'en'))).toEqual(chips.map((c) => c.label));
    expect(chipLabel({ field: 'category', label: 'Category: Billing' }, filter, i18n.getFixedT('fr'), 'fr')).toBe('Category: Billing');
  });

  it('name periods and custom ranges in French with the month as a word', () => {
    const t = i18n.getFixedT('fr');
    const one = (period: SearchFilterInput['period']) => chipLabel({ field: 'period', label: 'Time period: x' }, { ...filter, period }, t, 'fr');
    expect(one({ kind: 'this_quarter' })).toBe('Période : Ce trimestre');
    expect(one({ kind: 'older_than_days', days: 0 })).toBe('Période : Avant aujourd’hui');
    expect(one({ kind: 'custom', from: '2026-03-04', to: '2026-03-31' })).toBe('Période : 4 mars 2026 – 31 mars 2026');
  });
});

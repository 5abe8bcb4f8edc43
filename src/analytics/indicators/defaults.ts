// The indicators a new tenant starts with (issue 10), in our own wording (not from any transcript or test lexicon).
// Editable like any other; `key` only records where a row came from, so seeding again never duplicates one.
import type { IndicatorSpeaker } from './matching.ts';

export interface IndicatorSeed {
  key: string;
  name: string;
  speaker: IndicatorSpeaker;
  keywords: readonly string[];
}

export interface CategorySeed {
  key: string;
  name: string;
  indicators: readonly IndicatorSeed[];
}

export const DEFAULT_INDICATORS: readonly CategorySeed[] = [
  {
    key: 'risk',
    name: 'Customer risk',
    indicators: [
      {
        key: 'escalation',
        name: 'Escalation / manager request',
        speaker: 'customer',
        keywords: ['manager', 'supervisor', 'someone in charge', 'escalate', 'speak to someone else', 'your boss'],
      },
      {
        key: 'churn_risk',
        name: 'Churn risk',
        speaker: 'customer',
        keywords: [
          'cancel my account',
          'cancel my subscription',
          'close my account',
          'switch provider',
          'switching to',
          'take my business elsewhere',
          'not renew',
        ],
      },
      {
        key: 'competitor',
        name: 'Competitor mention',
        speaker: 'both',
        keywords: ['competitor', 'another provider', 'other company', 'better offer elsewhere'],
      },
      {
        key: 'legal_threat',
        name: 'Legal threat',
        speaker: 'customer',
        keywords: ['lawyer', 'attorney', 'sue', 'legal action', 'court', 'ombudsman', 'consumer protection'],
      },
    ],
  },
  {
    key: 'experience',
    name: 'Customer experience',
    indicators: [
      {
        key: 'complaint',
        name: 'Complaint',
        speaker: 'customer',
        keywords: ['unacceptable', 'ridiculous', 'terrible service', 'not happy', 'fed up', 'complaint', 'disappointed'],
      },
      {
        key: 'praise',
        name: 'Praise',
        speaker: 'customer',
        keywords: ['excellent', 'great service', 'very helpful', 'really appreciate', 'you have been wonderful', 'thank you so much'],
      },
    ],
  },
];

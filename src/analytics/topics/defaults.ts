// The seven topics every tenant starts with (issue 10), each with guiding sentences written for this product (not taken
// from any transcript). Tenants edit or delete them and add up to MAX_CUSTOM_TOPICS of their own.
export interface TopicSeed {
  key: string;
  name: string;
  sentences: readonly string[];
}

export const DEFAULT_TOPICS: readonly TopicSeed[] = [
  {
    key: 'pricing',
    name: 'Pricing',
    sentences: [
      'How much does the monthly plan cost?',
      'The price on my bill went up without any notice.',
      'Can you offer me a discount or a lower rate?',
      'Is there a cheaper option than the package I have now?',
      'What are the fees if I upgrade or change my plan?',
    ],
  },
  {
    key: 'legal',
    name: 'Legal',
    sentences: [
      'I am going to speak to my lawyer about this.',
      'This is a breach of the contract we signed.',
      'We could take legal action and go to court.',
      'Our legal team has to review the terms of the agreement first.',
      'Is that even allowed under consumer protection law?',
    ],
  },
  {
    key: 'privacy',
    name: 'Privacy',
    sentences: [
      'How do you use and store my personal data?',
      'Please delete my personal information from your records.',
      'I did not give consent to share my details with third parties.',
      'Who can see my account history and contact details?',
      'I want to opt out of marketing emails and data collection.',
    ],
  },
  {
    key: 'security',
    name: 'Security',
    sentences: [
      'Someone logged into my account without my permission.',
      'I need to reset my password and turn on two factor authentication.',
      'I think this message is a phishing scam or fraud.',
      'Is my card information stored securely?',
      'My account was hacked and there are charges I did not make.',
    ],
  },
  {
    key: 'user_requirements',
    name: 'User Requirements',
    sentences: [
      'We need the system to support more users on our team.',
      'Our staff require a feature to export reports.',
      'It has to integrate with the software we already use.',
      'What are the requirements to set this up for our company?',
      'Can the product be configured to fit how our business works?',
    ],
  },
  {
    key: 'hardware',
    name: 'Hardware',
    sentences: [
      'The router keeps dropping the connection.',
      'My device will not power on anymore.',
      'The lights on the modem are blinking red.',
      'Do I need to replace the equipment or just the cable?',
      'The screen on the unit is cracked and the buttons do not respond.',
    ],
  },
  {
    key: 'licensing',
    name: 'Licensing',
    sentences: [
      'How many licenses are included in our subscription?',
      'Our license expires next month and needs to be renewed.',
      'Can we transfer a license to another user?',
      'The license key does not activate the software.',
      'We need extra seats for new employees joining the team.',
    ],
  },
];

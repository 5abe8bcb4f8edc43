// The data classes anonymization can overwrite (the seed's "Compliance setup"), and the placeholders it writes.

export const ANONYMIZATION_PARTS = [
  /** Customers' phone numbers: the conversation's number, participants' numbers, the same numbers anywhere in text. */
  'phone_numbers',
  /** Customers' e-mail and chat addresses (participants, e-mail senders and recipients). */
  'email_addresses',
  /** E-mail subjects, bodies and attachment names. */
  'email_content',
  /** Chat room names and messages. */
  'chat_content',
  /** The recordings (call audio, screen recordings): planned for deletion, or only their PII spans silenced. */
  'media',
  /** Every transcript's text and words, and the analytics quoted from them. */
  'transcripts',
  /** Customers' names, the conversation's title, segment metadata. */
  'other_metadata',
] as const;
export type AnonymizationPart = (typeof ANONYMIZATION_PARTS)[number];

export const isAnonymizationPart = (s: string): s is AnonymizationPart => (ANONYMIZATION_PARTS as readonly string[]).includes(s);

/** The seed's placeholders. */
export const PLACEHOLDER = {
  phone: '[anonphonenumber]',
  address: '[anondigitaladdress]',
  content: '[anonconversationcontent]',
  metadata: '[anonymized]',
} as const;

export interface AnonymizationSetup {
  parts: AnonymizationPart[];
  /** Custom fields (by id) whose values are overwritten with [anonymized]. */
  customFieldIds: string[];
}

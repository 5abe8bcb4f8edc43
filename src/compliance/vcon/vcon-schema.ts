// The shape of a vCon as draft-ietf-vcon-vcon-core-00 (syntax "0.3.0") defines it, as a JSON Schema (draft 2020-12),
// written from the draft's sections 2–4 for the tests to hold our exports to: required members, the types of each
// parameter, inline files (body + encoding) vs external references (url + content_hash, ContentHash tokens), dialog
// types and what each may carry. Unknown members are allowed, as the draft's compatible extensions are.
const date = { type: 'string', format: 'date-time' } as const;
const mediatype = { type: 'string', pattern: '^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(;.*)?$' } as const;
const index = { type: 'integer', minimum: 0 } as const;
/** "sha512-" then the base64url digest (2.2 ContentHash); other lowercase algorithm names allowed. */
const contentHashToken = { type: 'string', pattern: '^[a-z0-9]+-[A-Za-z0-9_-]+$' } as const;
const contentHash = { oneOf: [contentHashToken, { type: 'array', items: contentHashToken, minItems: 1 }] } as const;
const encoding = { enum: ['base64url', 'json', 'none'] } as const;

/** 2.3 / 2.4: inline needs body + encoding; external needs url + content_hash; never both. */
const fileContent = {
  allOf: [
    { if: { required: ['body'] }, then: { required: ['encoding'] } },
    { if: { required: ['url'] }, then: { required: ['content_hash'] } },
    { not: { required: ['body', 'url'] } },
  ],
} as const;

const party = {
  type: 'object',
  properties: {
    tel: { type: 'string', pattern: '^(tel:)?\\+?[0-9A-Fa-f*#().-]+$' },
    sip: { type: 'string' },
    stir: { type: 'string' },
    mailto: { type: 'string', pattern: '^(mailto:)?[^@\\s]+@[^@\\s]+$' },
    name: { type: 'string' },
    did: { type: 'string' },
    validation: { type: 'string' },
    gmlpos: { type: 'string' },
    civicaddress: { type: 'object' },
    timezone: { type: 'string' },
    uuid: { type: 'string' },
    role: { type: 'string' },
  },
} as const;

const dialogParties = {
  oneOf: [index, { type: 'array', items: { oneOf: [index, { type: 'array', items: index }] } }],
} as const;

const dialog = {
  type: 'object',
  required: ['type', 'start'],
  properties: {
    type: { enum: ['recording', 'text', 'transfer', 'incomplete'] },
    start: date,
    duration: { type: 'number', minimum: 0 },
    parties: dialogParties,
    originator: index,
    mediatype,
    filename: { type: 'string' },
    body: { type: 'string' },
    encoding,
    url: { type: 'string', minLength: 1 },
    content_hash: contentHash,
    disposition: { enum: ['no-answer', 'congestion', 'failed', 'busy', 'hung-up', 'voicemail-no-message'] },
    session_id: { type: 'string' },
    application: { type: 'string' },
    message_id: { type: 'string' },
    party_history: {
      type: 'array',
      items: {
        type: 'object',
        required: ['party', 'time', 'event'],
        properties: { party: index, time: date, event: { enum: ['join', 'drop', 'hold', 'unhold', 'mute', 'unmute'] } },
      },
    },
    transferee: index,
    transferor: index,
    transfer_target: index,
    original: index,
    consultation: index,
    target_dialog: index,
  },
  allOf: [
    fileContent,
    // 4.3.8 / 4.3.12: incomplete and transfer dialogs carry no content; an incomplete one says why.
    {
      if: { properties: { type: { enum: ['incomplete', 'transfer'] } } },
      then: { not: { anyOf: [{ required: ['body'] }, { required: ['url'] }] } },
    },
    { if: { properties: { type: { const: 'incomplete' } } }, then: { required: ['disposition'] } },
    { if: { properties: { type: { const: 'transfer' } } }, then: { not: { anyOf: [{ required: ['parties'] }, { required: ['mediatype'] }] } } },
    // 4.3.4: recordings and texts name who produced them; 4.3.6: inline content states its media type.
    { if: { properties: { type: { enum: ['recording', 'text'] } } }, then: { required: ['parties'] } },
    { if: { required: ['body'] }, then: { required: ['mediatype'] } },
  ],
} as const;

/** Inline `json` bodies may be the JSON itself (as implementations do) or its text. */
const analysisOrAttachmentBody = { oneOf: [{ type: 'string' }, { type: 'object' }, { type: 'array' }] } as const;

const analysis = {
  type: 'object',
  required: ['type', 'vendor'],
  properties: {
    type: { type: 'string', minLength: 1 },
    dialog: { oneOf: [index, { type: 'array', items: index }] },
    mediatype,
    filename: { type: 'string' },
    vendor: { type: 'string', minLength: 1 },
    product: { type: 'string' },
    schema: { type: 'string' },
    body: analysisOrAttachmentBody,
    encoding,
    url: { type: 'string' },
    content_hash: contentHash,
  },
  allOf: [
    fileContent,
    { if: { properties: { body: { type: ['object', 'array'] } }, required: ['body'] }, then: { properties: { encoding: { const: 'json' } } } },
  ],
} as const;

const attachment = {
  type: 'object',
  required: ['start'],
  properties: {
    type: { type: 'string' },
    purpose: { type: 'string' },
    start: date,
    party: index,
    dialog: index,
    mediatype,
    filename: { type: 'string' },
    body: analysisOrAttachmentBody,
    encoding,
    url: { type: 'string' },
    content_hash: contentHash,
  },
  allOf: [fileContent, { anyOf: [{ required: ['body'] }, { required: ['url'] }] }],
} as const;

export const VCON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://earshot.invalid/schemas/vcon-0.3.0.json',
  title: 'vCon (draft-ietf-vcon-vcon-core-00, syntax 0.3.0)',
  type: 'object',
  required: ['vcon', 'uuid', 'created_at', 'parties'],
  properties: {
    vcon: { const: '0.3.0' },
    uuid: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' },
    extensions: { type: 'array', items: { type: 'string' } },
    must_support: { type: 'array', items: { type: 'string' } },
    created_at: date,
    updated_at: date,
    subject: { type: 'string' },
    redacted: { type: 'object', properties: { uuid: { type: 'string' }, type: { type: 'string' }, url: { type: 'string' }, content_hash: contentHash } },
    appended: { type: 'object' },
    group: { type: 'array', items: { type: 'object' } },
    parties: { type: 'array', items: party },
    dialog: { type: 'array', items: dialog },
    analysis: { type: 'array', items: analysis },
    attachments: { type: 'array', items: attachment },
  },
  // 4.1.8–4.1.10: redacted, appended and group are mutually exclusive.
  not: { anyOf: [{ required: ['redacted', 'appended'] }, { required: ['redacted', 'group'] }, { required: ['appended', 'group'] }] },
} as const;

// Parses one RFC 5322 (.eml) message into the plain shape the conversation ingest stores.
//
// mailparser's `simpleParser` does the MIME work (multipart trees, transfer encodings, charsets,
// encoded words). A few headers are read from the raw header lines instead, because
// mailparser's own handling does not fit an idempotent import:
// - Date: mailparser substitutes "now" for a missing or unparseable Date, which would make the
//   synthetic Message-ID differ on every import; here it becomes `sentAt: null`.
// - Message-ID / In-Reply-To / References: In-Reply-To may hold several ids and comments
//   (RFC 822 allowed a phrase there); we extract every `<id>` ourselves and normalise them.
// - The allow-listed extra headers keep their (decoded) text rather than mailparser's structures.
//
// The HTML body is kept verbatim and is untrusted: it must be sanitised before it is ever rendered.
// mailparser renders text from HTML only for a single-part HTML message; an HTML body inside a multipart
// (Outlook's multipart/related, an alternative without its text part, HTML beside attachments) would come out
// empty. So the text of every HTML-only message is rendered here, the same way for every shape
// (`html-to-text`, the converter mailparser itself uses, with table cells and line breaks kept apart).
// Attachment bytes are dropped; only their metadata is returned.
import { createHash } from 'node:crypto';
import { htmlToText } from 'html-to-text';
import { simpleParser, type AddressObject, type EmailAddress as MpAddress, type HeaderLines } from 'mailparser';
import { DomainError } from '../../platform/errors.ts';

/** Messages larger than this are refused before they are parsed. */
export const MAX_EMAIL_BYTES = 25 * 1024 * 1024;

/** The domain of the synthetic Message-IDs given to messages that have none. */
export const SYNTHETIC_ID_DOMAIN = 'earshot.local';

/** Extra headers kept in `ParsedEmail.headers` (keys are the lower-cased header names). */
export const KEPT_HEADERS = [
  'x-mailer',
  'user-agent',
  'x-original-to',
  'delivered-to',
  'list-id',
  'x-source-url',
  'auto-submitted',
  'precedence',
  'thread-topic',
  'thread-index',
] as const;

export interface MailAddress {
  /** Display name, decoded; '' when the header gives none. */
  name: string;
  /** Lower-cased address. */
  address: string;
}

export interface EmailAttachmentMeta {
  filename: string | null;
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
  /** True for parts shown inside the body (Content-Disposition: inline, e.g. a signature logo). */
  inline: boolean;
}

export interface ParsedEmail {
  /** Normalised: no angle brackets, domain part lower-cased, local part as sent. */
  messageId: string;
  /** True when the message had no usable Message-ID and `messageId` was derived from its content. */
  syntheticId: boolean;
  inReplyTo: string | null;
  /** Oldest first, as in the header; normalised like `messageId`, without duplicates or the message's own id. */
  references: string[];
  subject: string;
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo?: MailAddress[];
  /** ISO 8601 (UTC) from the Date header; null when it is missing or cannot be read. */
  sentAt: string | null;
  /** Plain-text body; rendered from the HTML when the message has no text part. */
  text: string;
  /** Raw HTML body, never sanitised here: do not render it as is. */
  html: string | null;
  attachments: EmailAttachmentMeta[];
  /** Allow-listed extra headers (see KEPT_HEADERS), keyed by lower-cased name. */
  headers: Record<string, string>;
  sourceUrl: string | null;
}

export interface ParseEmlOptions {
  /** Where the message was fetched from; wins over an X-Source-Url header. */
  sourceUrl?: string;
}

type InvalidProblem = 'EMPTY' | 'NOT_AN_EMAIL' | 'MISSING_FROM' | 'FROM_WITHOUT_ADDRESS' | 'UNPARSEABLE';

function invalidEmail(problem: InvalidProblem, message: string, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError('VALIDATION_FAILED', message, { reason: 'INVALID_EMAIL', problem, ...extra });
}

const formatMb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export async function parseEml(raw: Buffer, opts: ParseEmlOptions = {}): Promise<ParsedEmail> {
  // The link is shown to users: a javascript: or data: URL would run in their browser.
  if (opts.sourceUrl !== undefined && !isHttpUrl(opts.sourceUrl)) {
    throw new DomainError('VALIDATION_FAILED', 'sourceUrl must be an http:// or https:// URL', { reason: 'INVALID_SOURCE_URL' });
  }
  if (raw.length > MAX_EMAIL_BYTES) {
    throw new DomainError('VALIDATION_FAILED', `The email is ${formatMb(raw.length)}; messages larger than ${formatMb(MAX_EMAIL_BYTES)} are refused`, {
      reason: 'EMAIL_TOO_LARGE',
      sizeBytes: raw.length,
      maxBytes: MAX_EMAIL_BYTES,
    });
  }
  if (!raw.some((b) => b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a)) {
    throw invalidEmail('EMPTY', 'The email file is empty');
  }
  if (!startsWithHeaderBlock(raw)) {
    throw invalidEmail('NOT_AN_EMAIL', 'This file is not an email message: it does not begin with header lines such as "From:" or "Subject:"');
  }

  let mail;
  try {
    mail = await simpleParser(raw, {
      keepCidLinks: true, // do not inline cid: images into the HTML as data URIs
      skipTextToHtml: true,
      skipTextLinks: true,
    });
  } catch (err) {
    throw invalidEmail('UNPARSEABLE', `The email could not be read: ${(err as Error).message}`);
  }

  const lines: HeaderLines = mail.headerLines ?? [];
  if (!lines.some((l) => l.key !== '')) {
    throw invalidEmail('NOT_AN_EMAIL', 'This file is not an email message: it has no header lines');
  }

  const subject = normaliseSpace(mail.subject ?? '');
  const html = typeof mail.html === 'string' && mail.html !== '' ? mail.html : null;
  const mailText = (mail.text ?? '').replace(/\r\n?/g, '\n');
  const rootType = (mail.headers.get('content-type') as { value?: string } | undefined)?.value?.toLowerCase();
  const text = html !== null && (rootType === 'text/html' || mailText.trim() === '') ? renderHtmlText(html) : mailText;
  const ownIdRaw = rawHeader(lines, 'message-id');
  const ownId = ownIdRaw === null ? null : (extractMessageIds(ownIdRaw)[0] ?? null);
  const fromHeader = rawHeader(lines, 'from');

  if (fromHeader === null && ownId === null && subject === '' && text.trim() === '' && html === null) {
    throw invalidEmail('NOT_AN_EMAIL', 'This file is not an email message: it has no From, Message-ID or Subject header and no body');
  }
  if (fromHeader === null || fromHeader.trim() === '') {
    throw invalidEmail(
      'MISSING_FROM',
      fromHeader === null ? 'The email has no From header, so its sender is unknown' : 'The email has an empty From header, so its sender is unknown',
    );
  }
  const from = flattenAddresses(mail.from)[0];
  if (!from) {
    throw invalidEmail('FROM_WITHOUT_ADDRESS', `The email's From header ("${truncate(decodeRawHeader(fromHeader), 120)}") contains no email address`, {
      from: truncate(decodeRawHeader(fromHeader), 200),
    });
  }

  const dateRaw = rawHeader(lines, 'date');
  const sentAt = dateRaw === null ? null : parseRfc5322Date(dateRaw);

  const messageId =
    ownId ??
    // mailparser's own text, so messages stored before the HTML rendering keep their id on re-import.
    syntheticMessageId({ from: from.address, date: dateRaw?.trim() ?? '', subject, text: mailText, html: html ?? '' });

  const inReplyToRaw = rawHeader(lines, 'in-reply-to');
  const inReplyTo = inReplyToRaw === null ? null : (extractMessageIds(inReplyToRaw)[0] ?? null);
  const referencesRaw = rawHeaders(lines, 'references').join(' ');
  const references = unique(extractMessageIds(referencesRaw)).filter((id) => id !== messageId);

  const headers: Record<string, string> = {};
  for (const key of KEPT_HEADERS) {
    const value = rawHeader(lines, key);
    if (value !== null) headers[key] = truncate(normaliseSpace(decodeRawHeader(value)), 2000);
  }

  const replyTo = flattenAddresses(mail.replyTo);
  const headerUrl = headers['x-source-url'];
  const sourceUrl = opts.sourceUrl ?? (headerUrl && isHttpUrl(headerUrl) ? headerUrl : null);

  return {
    messageId,
    syntheticId: ownId === null,
    inReplyTo: inReplyTo === messageId ? null : inReplyTo,
    references,
    subject,
    from,
    to: flattenAddresses(mail.to),
    cc: flattenAddresses(mail.cc),
    ...(replyTo.length > 0 ? { replyTo } : {}),
    sentAt,
    text,
    html,
    attachments: mail.attachments.map((a) => ({
      filename: a.filename ?? null,
      contentType: a.contentType,
      size: a.size,
      inline: a.contentDisposition === 'inline',
    })),
    headers,
    sourceUrl,
  };
}

/**
 * Normalises a Message-ID for comparison and storage: surrounding angle brackets and whitespace
 * removed, the domain part (after the last '@') lower-cased, the local part kept as sent
 * (RFC 5322 does not make it case-insensitive). Returns null when nothing is left.
 */
export function normaliseMessageId(raw: string): string | null {
  let id = raw.trim();
  const bracketed = /<([^<>]*)>/.exec(id);
  if (bracketed) id = bracketed[1]!;
  id = id.replace(/\s+/g, '');
  if (id === '') return null;
  const at = id.lastIndexOf('@');
  return at === -1 ? id : `${id.slice(0, at)}@${id.slice(at + 1).toLowerCase()}`;
}

/**
 * Every message id in a Message-ID / In-Reply-To / References value, in order, normalised.
 * Ids are taken from `<...>`; comments and phrases are ignored. A value without any `<...>`
 * (some old mailers) falls back to its whitespace-separated tokens that contain an '@'.
 */
export function extractMessageIds(value: string): string[] {
  const withoutComments = value.replace(/\([^()]*\)/g, ' ');
  const bracketed = [...withoutComments.matchAll(/<([^<>]*)>/g)].map((m) => m[1]!);
  const tokens = bracketed.length > 0 ? bracketed : withoutComments.split(/\s+/).filter((t) => t.includes('@'));
  const ids: string[] = [];
  for (const token of tokens) {
    const id = normaliseMessageId(token);
    if (id !== null) ids.push(id);
  }
  return ids;
}

/**
 * The id given to a message without a Message-ID: a hash of what identifies it (sender, Date
 * header as written, subject and body), so importing the same file twice yields the same id.
 */
export function syntheticMessageId(parts: { from: string; date: string; subject: string; text: string; html: string }): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([parts.from, parts.date, parts.subject, parts.text, parts.html]))
    .digest('hex');
  return `synthetic.${hash}@${SYNTHETIC_ID_DOMAIN}`;
}

/**
 * Parses an RFC 5322 date to an ISO string, or null. Comments such as "(CEST)" are dropped; a date
 * without a zone is read as UTC (not as the server's local time), so the result does not depend on
 * where the import runs.
 */
export function parseRfc5322Date(value: string): string | null {
  const cleaned = value
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned === '') return null;
  const hasZone = /(?:[+-]\d{4}|\b(?:UT|UTC|GMT|Z|[ECMP][SD]T))\s*$/i.test(cleaned) || /T\d{2}:\d{2}.*(?:Z|[+-]\d{2}:?\d{2})$/i.test(cleaned);
  const date = new Date(hasZone ? cleaned : `${cleaned} GMT`);
  const time = date.getTime();
  return Number.isNaN(time) ? null : date.toISOString();
}

/**
 * Readable text of an HTML body: block elements and <br> become line breaks, entities are decoded, lists
 * and tables keep their items and cells; scripts, styles, images and link targets are left out (the text
 * is for reading and searching).
 */
export function renderHtmlText(html: string): string {
  let text: string;
  try {
    text = htmlToText(html, {
      wordwrap: false,
      selectors: [
        { selector: 'img', format: 'skip' },
        { selector: 'a', options: { ignoreHref: true } },
        { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
      ],
    });
  } catch {
    return '';
  }
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---- header helpers ------------------------------------------------------------------------

// Field names as real mailers write them (RFC 7230 token characters; RFC 5322 allows more, such as
// '{' or '"', but a first line like `{"from": ...` is JSON, not a header).
const HEADER_FIELD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*:/;

/** True when the input opens with a header field (after an optional BOM and mbox "From " line). */
function startsWithHeaderBlock(raw: Buffer): boolean {
  let head = raw.subarray(0, 4096).toString('latin1');
  if (head.startsWith('\xef\xbb\xbf')) head = head.slice(3);
  let lines = head.split(/\r?\n/);
  if (lines[0]?.startsWith('From ')) lines = lines.slice(1);
  const first = lines[0] ?? '';
  return HEADER_FIELD.test(first) && !first.includes('\0');
}

/** The value of the last occurrence of a top-level header, unfolded, as raw (binary) text. */
function rawHeader(lines: HeaderLines, key: string): string | null {
  const all = rawHeaders(lines, key);
  return all.length > 0 ? all[all.length - 1]! : null;
}

function rawHeaders(lines: HeaderLines, key: string): string[] {
  return lines
    .filter((l) => l.key === key)
    .map((l) => {
      const unfolded = l.line.replace(/\r?\n(?=[ \t])/g, '');
      const colon = unfolded.indexOf(':');
      return unfolded.slice(colon + 1).trim();
    });
}

/**
 * Turns a raw header value into readable text: 8-bit bytes read as UTF-8 (RFC 6532) and RFC 2047
 * encoded words decoded. Unknown charsets are left encoded rather than guessed.
 */
export function decodeRawHeader(value: string): string {
  const utf8 = /[\x80-\xff]/.test(value) ? Buffer.from(value, 'latin1').toString('utf8') : value;
  return utf8
    .replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)/g, '$1')
    .replace(/=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g, (word, charset: string, enc: string, data: string) => {
      try {
        const bytes =
          enc.toUpperCase() === 'B'
            ? Buffer.from(data, 'base64')
            : Buffer.from(
                data.replace(/_/g, ' ').replace(/=([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
                'latin1',
              );
        return new TextDecoder(charset.replace(/\*.*$/, '').toLowerCase()).decode(bytes);
      } catch {
        return word;
      }
    });
}

function flattenAddresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  const visit = (a: MpAddress) => {
    if (a.group) {
      a.group.forEach(visit);
      return;
    }
    const address = (a.address ?? '').trim().toLowerCase();
    const at = address.lastIndexOf('@');
    if (at <= 0 || at === address.length - 1) return;
    out.push({ name: normaliseSpace(a.name ?? ''), address });
  };
  for (const obj of value === undefined ? [] : Array.isArray(value) ? value : [value]) obj.value.forEach(visit);
  return out;
}

/** True for an absolute http(s) URL: the only links Earshot stores or serves (never javascript:, data:, ...). */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const normaliseSpace = (s: string) => s.replace(/\s+/g, ' ').trim();
const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const unique = <T>(items: T[]) => [...new Set(items)];

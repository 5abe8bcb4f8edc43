// Builds well-formed RFC 5322 messages (.eml text) for tests and demo data.
// The output is deterministic: the same input always gives the same bytes (MIME boundaries are
// derived from the content), so generated demo data and fixtures are reproducible.
import { createHash } from 'node:crypto';
import { invalid } from '../../platform/errors.ts';

export type EmlAddress = string | { name?: string; address: string };

export interface EmlAttachment {
  filename: string;
  contentType: string;
  content: Buffer | string;
  /** Content-Disposition: inline instead of attachment. */
  inline?: boolean;
}

export interface BuildEmlInput {
  /** With or without angle brackets; null leaves the Message-ID header out. */
  messageId: string | null;
  inReplyTo?: string;
  /** Oldest first, as in the References header. */
  references?: string[];
  from: EmlAddress;
  to: EmlAddress | EmlAddress[];
  cc?: EmlAddress | EmlAddress[];
  replyTo?: EmlAddress;
  subject: string;
  /** A Date is written in RFC 5322 form (UTC); a string is written as is; null leaves the header out. */
  date: Date | string | null;
  text: string;
  html?: string;
  attachments?: EmlAttachment[];
  /** Further headers written as is, e.g. { 'X-Mailer': 'Outlook 16.0' }. */
  headers?: Record<string, string>;
}

const CRLF = '\r\n';

export function buildEml(input: BuildEmlInput): string {
  const headers: string[] = [];
  const add = (name: string, value: string) => headers.push(foldHeader(`${name}: ${value}`));

  add('From', formatAddress(input.from));
  add('To', listOf(input.to).map(formatAddress).join(', '));
  if (input.cc !== undefined) add('Cc', listOf(input.cc).map(formatAddress).join(', '));
  if (input.replyTo !== undefined) add('Reply-To', formatAddress(input.replyTo));
  add('Subject', encodeUnstructured(input.subject));
  if (input.date !== null) add('Date', input.date instanceof Date ? formatRfc5322Date(input.date) : headerSafe(input.date));
  if (input.messageId !== null) add('Message-ID', bracket(input.messageId));
  if (input.inReplyTo !== undefined) add('In-Reply-To', bracket(input.inReplyTo));
  if (input.references !== undefined && input.references.length > 0) {
    headers.push(`References: ${input.references.map(bracket).join(`${CRLF} `)}`);
  }
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) throw invalid(`"${name}" is not a valid header name`);
    add(name, encodeUnstructured(value));
  }
  headers.push('MIME-Version: 1.0');

  const seed = createHash('sha256')
    .update(JSON.stringify([input.messageId, input.subject, input.date, input.text]))
    .digest('hex');
  let boundaryCount = 0;
  const boundary = () => `=_earshot_${seed.slice(0, 20)}_${boundaryCount++}`;

  let body: Part = textPart('text/plain', input.text);
  if (input.html !== undefined) body = multipart('alternative', boundary(), [body, textPart('text/html', input.html)]);
  if (input.attachments && input.attachments.length > 0) {
    body = multipart('mixed', boundary(), [body, ...input.attachments.map(attachmentPart)]);
  }

  return [...headers, ...body.headers, '', body.body].join(CRLF);
}

interface Part {
  headers: string[];
  body: string;
}

function textPart(contentType: string, content: string): Part {
  const normalised = content.replace(/\r\n?/g, '\n');
  const plain = /^[\x20-\x7e\n\t]*$/.test(normalised) && normalised.split('\n').every((l) => l.length <= 76 && !/[ \t]$/.test(l));
  return plain
    ? {
        headers: [`Content-Type: ${contentType}; charset=us-ascii`, 'Content-Transfer-Encoding: 7bit'],
        body: normalised.split('\n').join(CRLF),
      }
    : {
        headers: [`Content-Type: ${contentType}; charset=utf-8`, 'Content-Transfer-Encoding: quoted-printable'],
        body: encodeQuotedPrintable(normalised),
      };
}

function attachmentPart(a: EmlAttachment): Part {
  const bytes = typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content;
  const filename = encodeUnstructured(a.filename).replace(/["\\]/g, '\\$&');
  return {
    headers: [
      `Content-Type: ${headerSafe(a.contentType)}; name="${filename}"`,
      `Content-Disposition: ${a.inline ? 'inline' : 'attachment'}; filename="${filename}"`,
      'Content-Transfer-Encoding: base64',
    ],
    body: (bytes.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF),
  };
}

function multipart(subtype: string, boundary: string, parts: Part[]): Part {
  const chunks: string[] = [];
  for (const part of parts) chunks.push(`--${boundary}`, ...part.headers, '', part.body);
  chunks.push(`--${boundary}--`, '');
  return { headers: [`Content-Type: multipart/${subtype}; boundary="${boundary}"`], body: chunks.join(CRLF) };
}

/** Quoted-printable (RFC 2045 §6.7) of UTF-8 text, with CRLF line breaks and soft breaks at 76. */
export function encodeQuotedPrintable(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const bytes = Buffer.from(line, 'utf8');
      const tokens: string[] = [];
      bytes.forEach((b, i) => {
        const last = i === bytes.length - 1;
        const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
        tokens.push(literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`);
      });
      const out: string[] = [];
      let current = '';
      for (const token of tokens) {
        if (current.length + token.length > 75) {
          out.push(`${current}=`);
          current = '';
        }
        current += token;
      }
      out.push(current);
      return out.join(CRLF);
    })
    .join(CRLF);
}

/** RFC 5322 date in UTC, e.g. "Tue, 01 Jul 2025 08:00:00 +0000". */
export function formatRfc5322Date(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${days[date.getUTCDay()]}, ${p(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`
  );
}

function formatAddress(a: EmlAddress): string {
  const { name, address } = typeof a === 'string' ? { name: undefined, address: a } : a;
  const addr = headerSafe(address);
  if (!name) return addr;
  const safeName = headerSafe(name);
  if (/[^\x20-\x7e]/.test(safeName)) return `${encodeWords(safeName)} <${addr}>`;
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(safeName)) return `${safeName} <${addr}>`;
  return `"${safeName.replace(/["\\]/g, '\\$&')}" <${addr}>`;
}

/** Unstructured header text: as is when printable ASCII, else RFC 2047 encoded words. */
function encodeUnstructured(value: string): string {
  const safe = headerSafe(value);
  return /[^\x20-\x7e]/.test(safe) || /=\?/.test(safe) ? encodeWords(safe) : safe;
}

/** RFC 2047 B-encoded UTF-8 words of at most 75 characters, never splitting a character. */
function encodeWords(value: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const ch of value) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk !== '') words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(' ');
}

/** Folds a header line at spaces so that lines stay under 78 characters where possible. */
function foldHeader(line: string): string {
  if (line.length <= 78) return line;
  const words = line.split(' ');
  const lines: string[] = [];
  let current = words.shift() ?? '';
  for (const word of words) {
    if (current.length + 1 + word.length > 78) {
      lines.push(current);
      current = word;
    } else {
      current += ` ${word}`;
    }
  }
  lines.push(current);
  return lines.join(`${CRLF} `);
}

function headerSafe(value: string): string {
  if (/[\r\n\0]/.test(value)) throw invalid('A header value must not contain line breaks', { reason: 'INVALID_EMAIL' });
  return value;
}

const bracket = (id: string) => `<${headerSafe(id).replace(/^<|>$/g, '')}>`;
const listOf = (a: EmlAddress | EmlAddress[]) => (Array.isArray(a) ? a : [a]);

// ---- HTML bodies as real mailers send them -------------------------------------------------------------

/** An .eml written with "\n" (turned into CRLF) and bytes as latin1, like a file read from disk. */
const rawEml = (text: string) => Buffer.from(text.replace(/^\n/, '').replace(/\r?\n/g, CRLF), 'latin1');

const envelope = (id: string, subject: string) => `
From: Zoe Dupont <zoe.dupont@exemple.fr>
To: support@acme-support.example
Subject: ${subject}
Date: Tue, 01 Jul 2025 10:12:00 +0200
Message-ID: <${id}@exemple.fr>
MIME-Version: 1.0`;

export interface HtmlBodyFixture {
  name: string;
  raw: Buffer;
  /** Phrases the text rendered from the HTML must contain. */
  phrases: string[];
}

/**
 * Messages whose body is HTML only, in the shapes real mailers produce. mailparser gives an empty text for
 * every multipart one; each must still yield readable, searchable text.
 */
export const HTML_BODY_FIXTURES: HtmlBodyFixture[] = [
  {
    name: 'Outlook: multipart/related (HTML + inline logo), no text part',
    raw: rawEml(`${envelope('outlook-related', 'Order 10042 damaged')}
Content-Type: multipart/related; boundary="_004_DB9PR07_"; type="text/html"

--_004_DB9PR07_
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html xmlns:o=3D"urn:schemas-microsoft-com:office:office"><head><meta http-=
equiv=3D"Content-Type" content=3D"text/html; charset=3Diso-8859-1"><style>=
<!-- p.MsoNormal {margin:0cm;} --></style></head><body lang=3D"FR"><div class=
=3D"WordSection1"><p class=3D"MsoNormal">Bonjour,<o:p></o:p></p><p class=3D=
"MsoNormal">Ma commande 10042 est arriv=E9e ab=EEm=E9e.<o:p></o:p></p><p cl=
ass=3D"MsoNormal"><img src=3D"cid:image001.png@01DB"></p></div></body></html>

--_004_DB9PR07_
Content-Type: image/png; name="image001.png"
Content-ID: <image001.png@01DB>
Content-Disposition: inline; filename="image001.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ
--_004_DB9PR07_--
`),
    phrases: ['Bonjour,', 'Ma commande 10042 est arrivée abîmée.'],
  },
  {
    name: 'Gmail: multipart/alternative with only its HTML part',
    raw: rawEml(`${envelope('gmail-alt', 'Refund')}
Content-Type: multipart/alternative; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Hello,<div><br></div><div>I am still waiting for the refun=
d of invoice 2025-0042.</div><div><br></div><div>Thanks,<br>Zoe</div></div>

--000000000000a1b2c3--
`),
    phrases: ['Hello,', 'I am still waiting for the refund of invoice 2025-0042.', 'Thanks,\nZoe'],
  },
  {
    name: 'Apple Mail: multipart/mixed with HTML and a PDF',
    raw: rawEml(`${envelope('apple-mixed', 'Invoice copy')}
Content-Type: multipart/mixed; boundary="Apple-Mail=_5C1A"

--Apple-Mail=_5C1A
Content-Transfer-Encoding: 7bit
Content-Type: text/html; charset=us-ascii

<html><head><meta http-equiv="Content-Type" content="text/html; charset=us-ascii"></head><body style="word-wrap: break-word;"><div>Here is the invoice you asked for.</div><div><br></div><div>Zoe</div></body></html>
--Apple-Mail=_5C1A
Content-Disposition: attachment; filename=invoice.pdf
Content-Type: application/pdf; name="invoice.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJSVFT0YK
--Apple-Mail=_5C1A--
`),
    phrases: ['Here is the invoice you asked for.', 'Zoe'],
  },
  {
    name: 'forwarded inline (Outlook "From/Sent" block), HTML only',
    raw: rawEml(`${envelope('forwarded', 'FW: Order 10042')}
Content-Type: multipart/alternative; boundary="fw-b"

--fw-b
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<p>FYI, see below.</p><hr><div><b>From:</b> Marc &lt;marc@acme-support.example&gt;<br><b>Sent:</b> Monday, June 30, 2025 9:00 AM<br><b>Subject:</b> Order 10042</div><blockquote><p>The replacement ships on Friday.</p></blockquote>
--fw-b--
`),
    phrases: ['FYI, see below.', 'From: Marc <marc@acme-support.example>', 'The replacement ships on Friday.'],
  },
  {
    name: 'multipart/related nested inside multipart/alternative, text part empty',
    raw: rawEml(`${envelope('nested-related', 'Photo of the damage')}
Content-Type: multipart/alternative; boundary="alt-1"

--alt-1
Content-Type: text/plain; charset=utf-8

 
--alt-1
Content-Type: multipart/related; boundary="rel-2"

--rel-2
Content-Type: text/html; charset=utf-8

<p>The screen is cracked, photo attached:</p><img src="cid:photo1">
--rel-2
Content-Type: image/jpeg
Content-ID: <photo1>
Content-Transfer-Encoding: base64

/9j/4AAQSkZJRgABAQ==
--rel-2--
--alt-1--
`),
    phrases: ['The screen is cracked, photo attached:'],
  },
  {
    name: 'single-part HTML of entities, line breaks, paragraphs, lists and a table',
    raw: rawEml(`${envelope('entities', 'Order summary')}
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<p>Caf&eacute; &amp; cr&egrave;me&nbsp;br&ucirc;l&eacute;e &#8364;12 &lt;ok&gt;</p>line one<br>line two<br/>
<ul><li>first item</li><li>second item</li></ul><ol><li>step one</li></ol>
<table><tr><th>Item</th><th>Qty</th></tr><tr><td>Headset</td><td>2</td></tr></table>
`),
    phrases: ['Café & crème brûlée €12 <ok>', 'line one\nline two', 'first item', 'second item', 'step one', 'Headset', 'Qty'],
  },
];

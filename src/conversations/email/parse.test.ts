import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.ts';
import { HTML_BODY_FIXTURES } from './fixtures.ts';
import { MAX_EMAIL_BYTES, extractMessageIds, normaliseMessageId, parseEml, parseRfc5322Date } from './parse.ts';

/** Inline fixtures are written with \n; real .eml files use CRLF. */
const eml = (text: string) => Buffer.from(text.replace(/^\n/, '').replace(/\r?\n/g, '\r\n'), 'latin1');

const OUTLOOK_ALTERNATIVE = eml(`
Received: from mx1.example.net (mx1.example.net [192.0.2.10])
	by mail.earshot-demo.example with ESMTPS id 4Zk3
	for <support@acme-support.example>; Tue, 01 Jul 2025 10:12:04 +0200
From: "Dupont, Zoe" <Zoe.Dupont@Exemple.FR>
To: Acme Support <Support@ACME-Support.example>
Cc: billing@acme-support.example, "Marc (Team lead)" <marc@acme-support.example>
Reply-To: Zoe Dupont <zoe.reply@exemple.fr>
Subject: Order 10042 arrived damaged
Date: Tue, 01 Jul 2025 10:12:00 +0200 (CEST)
Message-ID: <DB9PR07MB1234.5678ABCD@DB9PR07MB1234.EURPRD07.PROD.OUTLOOK.COM>
X-Mailer: Microsoft Outlook 16.0
X-Original-To: support@acme-support.example
List-Id: Customer care <care.acme-support.example>
X-Spam-Score: 0.1
MIME-Version: 1.0
Content-Type: multipart/alternative;
	boundary="_000_DB9PR07MB1234_"

--_000_DB9PR07MB1234_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: 7bit

Hello,

My order 10042 arrived with a broken screen. Can you send a replacement?

Zoe
--_000_DB9PR07MB1234_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: 7bit

<html><body><p>Hello,</p><p>My order <b>10042</b> arrived with a broken screen. Can you send a replacement?</p><p>Zoe</p></body></html>
--_000_DB9PR07MB1234_--
`);

const HTML_ONLY = eml(`
From: Newsletter <news@shop.example>
To: support@acme-support.example
Subject: Your ticket was updated
Date: Wed, 02 Jul 2025 08:00:00 +0000
Message-ID: <html-only-1@shop.example>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 7bit

<html><head><style>p{color:red}</style><script>alert('x')</script></head>
<body><h1>Ticket 77</h1><p>Status: <b>waiting for customer</b></p>
<img src="https://tracker.example/pixel.gif" onerror="alert(1)"></body></html>
`);

const QUOTED_PRINTABLE_UTF8 = eml(`
From: =?UTF-8?Q?Fran=C3=A7ois_L=C3=A9ger?= <francois.leger@exemple.fr>
To: support@acme-support.example
Subject: =?UTF-8?B?UsOpY2xhbWF0aW9uIGZhY3R1cmU=?=
Date: Thu, 03 Jul 2025 09:30:00 +0200
Message-ID: <qp-utf8-1@exemple.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Bonjour,

Je n'ai toujours pas re=C3=A7u le remboursement de ma facture n=C2=B0 2025-0=
042. Merci de v=C3=A9rifier.

Fran=C3=A7ois
`);

const BASE64_LATIN1 = eml(`
From: Francois <francois@exemple.fr>
To: support@acme-support.example
Subject: =?ISO-8859-1?Q?R=E9clamation_facture?=
Date: Thu, 03 Jul 2025 11:00:00 +0200
Message-ID: <b64-latin1-1@exemple.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: base64

Qm9uam91ciwNCg0KSmUgbidhaSB0b3Vqb3VycyBwYXMgcmXndSBsZSByZW1ib3Vyc2VtZW50IGRl
IG1hIGZhY3R1cmUgbrAgMjAyNS0wMDQyLg0KTWVyY2kgZGUgdulyaWZpZXIuDQoNCkZyYW7nb2lz
DQo=
`);

const WITH_ATTACHMENTS = eml(`
From: Ana Souza <ana.souza@cliente.example>
To: support@acme-support.example
Subject: Invoice copy and photo
Date: Fri, 04 Jul 2025 14:00:00 -0300
Message-ID: <attach-1@cliente.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-b1"

--mixed-b1
Content-Type: multipart/related; boundary="related-b2"

--related-b2
Content-Type: text/html; charset=utf-8

<p>See the invoice attached.</p><img src="cid:logo@cliente.example">
--related-b2
Content-Type: image/png
Content-ID: <logo@cliente.example>
Content-Disposition: inline; filename="logo.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ
--related-b2--
--mixed-b1
Content-Type: application/pdf; name="invoice-2025-0042.pdf"
Content-Disposition: attachment; filename="invoice-2025-0042.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKMSAwIG9iaiA8PCAvVHlwZSAvQ2F0YWxvZyA+PiBlbmRvYmoKdHJhaWxlciA8PCAvUm9vdCAxIDAgUiA+PgolJUVPRgo=
--mixed-b1--
`);

const NO_MESSAGE_ID = eml(`
From: Legacy System <noreply@legacy.example>
To: support@acme-support.example
Subject: Daily export failed
Date: Mon, 07 Jul 2025 06:00:00 +0000

The nightly export job failed with code 17.
`);

async function expectInvalid(input: Buffer, problem: string, message: RegExp) {
  const err = await parseEml(input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  const de = err as DomainError;
  expect(de.code).toBe('VALIDATION_FAILED');
  expect(de.details).toMatchObject({ reason: 'INVALID_EMAIL', problem });
  expect(de.message).toMatch(message);
}

describe('parseEml', () => {
  it('reads a multipart/alternative message: addresses, ids, dates, both bodies, kept headers', async () => {
    const m = await parseEml(OUTLOOK_ALTERNATIVE);
    expect(m.messageId).toBe('DB9PR07MB1234.5678ABCD@db9pr07mb1234.eurprd07.prod.outlook.com');
    expect(m.syntheticId).toBe(false);
    expect(m.inReplyTo).toBeNull();
    expect(m.references).toEqual([]);
    expect(m.subject).toBe('Order 10042 arrived damaged');
    expect(m.from).toEqual({ name: 'Dupont, Zoe', address: 'zoe.dupont@exemple.fr' });
    expect(m.to).toEqual([{ name: 'Acme Support', address: 'support@acme-support.example' }]);
    expect(m.cc).toEqual([
      { name: '', address: 'billing@acme-support.example' },
      { name: 'Marc (Team lead)', address: 'marc@acme-support.example' },
    ]);
    expect(m.replyTo).toEqual([{ name: 'Zoe Dupont', address: 'zoe.reply@exemple.fr' }]);
    expect(m.sentAt).toBe('2025-07-01T08:12:00.000Z');
    expect(m.text).toContain('My order 10042 arrived with a broken screen.');
    expect(m.text).not.toContain('<p>');
    expect(m.html).toContain('<b>10042</b>');
    expect(m.attachments).toEqual([]);
    expect(m.headers).toEqual({
      'x-mailer': 'Microsoft Outlook 16.0',
      'x-original-to': 'support@acme-support.example',
      'list-id': 'Customer care <care.acme-support.example>',
    });
    expect(m.sourceUrl).toBeNull();
  });

  it('renders readable text from an HTML-only message and keeps the raw HTML untouched', async () => {
    const m = await parseEml(HTML_ONLY);
    expect(m.text).toContain('TICKET 77');
    expect(m.text).toContain('Status: waiting for customer');
    expect(m.text).not.toMatch(/alert|<|color:red/);
    expect(m.html).toContain("<script>alert('x')</script>"); // kept verbatim: the caller must sanitise
    expect(m.replyTo).toBeUndefined();
  });

  // Every multipart shape used to come out with an empty text: not shown, not searchable, not exported.
  it.each(HTML_BODY_FIXTURES.map((f) => [f.name, f] as const))('renders the text of an HTML-only body: %s', async (_name, f) => {
    const m = await parseEml(f.raw);
    expect(m.html).not.toBeNull();
    for (const phrase of f.phrases) expect(m.text).toContain(phrase);
    expect(m.text).not.toMatch(
      /<\/?(?:html|head|body|div|p|br|b|hr|img|o:p|ul|ol|li|table|tr|td|th|blockquote|style)\b|&(?:nbsp|amp|lt|gt|eacute|#\d+);|cid:|MsoNormal/i,
    );
  });

  it('keeps the text part when there is one, and the synthetic id of an HTML-only message as before', async () => {
    expect((await parseEml(OUTLOOK_ALTERNATIVE)).text).toBe('Hello,\n\nMy order 10042 arrived with a broken screen. Can you send a replacement?\n\nZoe');
    const noId = Buffer.from(HTML_BODY_FIXTURES[1]!.raw.toString('latin1').replace(/^Message-ID:.*\r\n/m, ''), 'latin1');
    const m = await parseEml(noId);
    expect(m.syntheticId).toBe(true);
    expect(m.text).toContain('refund of invoice');
    // The id hashes mailparser's own (empty) text, so a message stored before the HTML rendering keeps its id.
    expect(m.messageId).toMatch(/^synthetic\.[0-9a-f]{64}@earshot\.local$/);
  });

  it('decodes a quoted-printable UTF-8 body and a UTF-8 encoded-word subject and sender name', async () => {
    const m = await parseEml(QUOTED_PRINTABLE_UTF8);
    expect(m.subject).toBe('Réclamation facture');
    expect(m.from).toEqual({ name: 'François Léger', address: 'francois.leger@exemple.fr' });
    expect(m.text).toContain("Je n'ai toujours pas reçu le remboursement de ma facture n° 2025-0042. Merci de vérifier.");
    expect(m.html).toBeNull();
  });

  it('decodes a base64 ISO-8859-1 body and an ISO-8859-1 encoded-word subject', async () => {
    const m = await parseEml(BASE64_LATIN1);
    expect(m.subject).toBe('Réclamation facture');
    expect(m.text).toBe("Bonjour,\n\nJe n'ai toujours pas reçu le remboursement de ma facture n° 2025-0042.\nMerci de vérifier.\n\nFrançois\n");
  });

  it('keeps attachment metadata only, never the bytes', async () => {
    const m = await parseEml(WITH_ATTACHMENTS);
    expect(m.sentAt).toBe('2025-07-04T17:00:00.000Z');
    expect(m.attachments).toEqual([
      { filename: 'logo.png', contentType: 'image/png', size: 33, inline: true },
      { filename: 'invoice-2025-0042.pdf', contentType: 'application/pdf', size: 77, inline: false },
    ]);
    for (const a of m.attachments) expect(Object.keys(a).sort()).toEqual(['contentType', 'filename', 'inline', 'size']);
    expect(m.html).toContain('cid:logo@cliente.example'); // not inlined as a data: URI
    expect(JSON.stringify(m)).not.toContain('JVBERi0');
  });

  it('gives a message without Message-ID the same synthetic id on every import', async () => {
    const first = await parseEml(NO_MESSAGE_ID);
    const second = await parseEml(Buffer.from(NO_MESSAGE_ID));
    expect(first.messageId).toMatch(/^synthetic\.[0-9a-f]{64}@earshot\.local$/);
    expect(first.syntheticId).toBe(true);
    expect(second.messageId).toBe(first.messageId);

    const otherBody = await parseEml(Buffer.from(NO_MESSAGE_ID.toString('latin1').replace('code 17', 'code 18'), 'latin1'));
    expect(otherBody.messageId).not.toBe(first.messageId);
    const otherDate = await parseEml(Buffer.from(NO_MESSAGE_ID.toString('latin1').replace('06:00:00', '06:00:01'), 'latin1'));
    expect(otherDate.messageId).not.toBe(first.messageId);
  });

  it('keeps sentAt null (and the synthetic id stable) when Date is missing or unreadable', async () => {
    const noDate = eml(`
From: a@example.com
Subject: no date

body
`);
    const badDate = eml(`
From: a@example.com
Subject: bad date
Date: sometime last week

body
`);
    expect((await parseEml(noDate)).sentAt).toBeNull();
    const bad1 = await parseEml(badDate);
    const bad2 = await parseEml(badDate);
    expect(bad1.sentAt).toBeNull();
    expect(bad1.messageId).toBe(bad2.messageId);
  });

  it('reads In-Reply-To with several ids and comments, and folded References', async () => {
    const m = await parseEml(
      eml(`
From: Bob <bob@example.com>
Subject: Re: Order 10042
Message-ID: <Reply-3@Example.COM>
In-Reply-To: <Reply-2@Example.COM> (Zoe's message of Tue) <other@example.com>
References: <root-1@Example.COM>
 <Reply-2@Example.COM>
	<reply-2@example.com> <Reply-3@example.com>

Thanks.
`),
    );
    expect(m.messageId).toBe('Reply-3@example.com');
    expect(m.inReplyTo).toBe('Reply-2@example.com');
    expect(m.references).toEqual(['root-1@example.com', 'Reply-2@example.com', 'reply-2@example.com']);
  });

  it('accepts LF line endings, a byte-order mark and a leading mbox "From " line', async () => {
    const m = await parseEml(
      Buffer.from('\ufeffFrom zoe@exemple.fr Tue Jul  1 10:12:00 2025\nFrom: zoe@exemple.fr\nSubject: hi\nMessage-ID: <lf@exemple.fr>\n\nHello\n'),
    );
    expect(m.from.address).toBe('zoe@exemple.fr');
    expect(m.messageId).toBe('lf@exemple.fr');
    expect(m.text.trim()).toBe('Hello');
  });

  it('takes sourceUrl from the option first, else from an http(s) X-Source-Url header', async () => {
    const withHeader = (url: string) =>
      eml(`
From: a@example.com
Subject: s
Message-ID: <src@example.com>
X-Source-Url: ${url}

b
`);
    expect((await parseEml(withHeader('https://mail.example.com/m/1'))).sourceUrl).toBe('https://mail.example.com/m/1');
    expect((await parseEml(withHeader('https://mail.example.com/m/1'), { sourceUrl: 'https://webmail.example.com/?uid=7' })).sourceUrl).toBe(
      'https://webmail.example.com/?uid=7',
    );
    // Shown as a link: only http(s) is taken from the caller too.
    for (const bad of ['javascript:alert(1)', 'imap://box/INBOX;UID=7', 'data:text/html,x']) {
      await expect(parseEml(withHeader('https://mail.example.com/m/1'), { sourceUrl: bad })).rejects.toMatchObject({
        details: { reason: 'INVALID_SOURCE_URL' },
      });
    }
    const js = await parseEml(withHeader('javascript:alert(1)'));
    expect(js.sourceUrl).toBeNull();
    expect(js.headers['x-source-url']).toBe('javascript:alert(1)');
  });

  it('rejects empty input', async () => {
    await expectInvalid(Buffer.alloc(0), 'EMPTY', /empty/);
    await expectInvalid(Buffer.from(' \r\n\r\n '), 'EMPTY', /empty/);
  });

  it('rejects input that is not an email', async () => {
    await expectInvalid(Buffer.from('this is not an email\nreally not\n'), 'NOT_AN_EMAIL', /not an email message/);
    await expectInvalid(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ', 'base64'), 'NOT_AN_EMAIL', /not an email message/);
    await expectInvalid(Buffer.from('{"from": "a@example.com", "subject": "hi"}'), 'NOT_AN_EMAIL', /header lines/);
    await expectInvalid(Buffer.from('\r\n\r\nbody without any header'), 'NOT_AN_EMAIL', /header lines/);
    await expectInvalid(Buffer.from('X-Foo: bar\r\n\r\n'), 'NOT_AN_EMAIL', /no From, Message-ID or Subject header and no body/);
  });

  it('rejects a message without a From header', async () => {
    await expectInvalid(
      eml(`
To: support@acme-support.example
Subject: who am I
Message-ID: <nofrom@example.com>

hello
`),
      'MISSING_FROM',
      /no From header/,
    );
  });

  it('rejects a From header that holds no address', async () => {
    await expectInvalid(
      eml(`
From: Customer Service
Subject: hi
Message-ID: <noaddr@example.com>

hello
`),
      'FROM_WITHOUT_ADDRESS',
      /From header \("Customer Service"\) contains no email address/,
    );
    await expectInvalid(eml('From: undisclosed-recipients:;\nSubject: x\n\nbody\n'), 'FROM_WITHOUT_ADDRESS', /no email address/);
  });

  it('refuses messages over 25 MB before parsing them', async () => {
    const big = Buffer.alloc(MAX_EMAIL_BYTES + 1, 'a');
    const err = await parseEml(big).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('VALIDATION_FAILED');
    expect((err as DomainError).details).toMatchObject({ reason: 'EMAIL_TOO_LARGE', maxBytes: MAX_EMAIL_BYTES });
    expect((err as DomainError).message).toMatch(/larger than 25\.0 MB are refused/);
  });
});

describe('message id and date helpers', () => {
  it('normalises message ids: no brackets, domain lower-cased, local part kept', () => {
    expect(normaliseMessageId(' <AbC.123@Mail.Example.COM> ')).toBe('AbC.123@mail.example.com');
    expect(normaliseMessageId('no-domain-id')).toBe('no-domain-id');
    expect(normaliseMessageId('<>')).toBeNull();
    expect(extractMessageIds('a@B.com c@D.com')).toEqual(['a@b.com', 'c@d.com']);
    expect(extractMessageIds('(comment <x@y>) <z@W>')).toEqual(['z@w']);
  });

  it('parses RFC 5322 dates, reading a date without zone as UTC', () => {
    expect(parseRfc5322Date('Tue, 1 Jul 2025 10:00:00 +0200 (CEST)')).toBe('2025-07-01T08:00:00.000Z');
    expect(parseRfc5322Date('1 Jul 25 10:00 EST')).toBe('2025-07-01T15:00:00.000Z');
    expect(parseRfc5322Date('Tue, 1 Jul 2025 10:00:00')).toBe('2025-07-01T10:00:00.000Z');
    expect(parseRfc5322Date('Mon, 32 Jul 2025 10:00:00 +0000')).toBeNull();
    expect(parseRfc5322Date('')).toBeNull();
  });
});

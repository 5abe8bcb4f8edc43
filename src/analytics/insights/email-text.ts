// What the sender of an e-mail wrote themselves: a reply carries the thread below it ("On …, X wrote:" and "> " lines,
// Outlook's "From: … Sent: …" block, "-----Original Message-----") and repeats the first message's subject after
// "Re:". Read as the sender's, the customer's sentences in an agent's reply became the agent's next steps and
// mentions. Those parts are blanked with spaces rather than cut, so every range into the line still points at the
// same characters of the subject and body the conversation shows.

/** A subject that only repeats the thread's: Re:, Fwd:, and their usual translations. */
const REPLY_SUBJECT = /^\s*(re|fw|fwd|tr|aw|wg|sv|vs|rv|res|ref)\s*(\[\d+\])?\s*:/i;

/** Lines that open the quoted thread: everything from there on is someone else's. */
const THREAD_STARTS: readonly RegExp[] = [
  /^\s*-{2,}\s*(original message|forwarded message|message d'origine|message d’origine|message transféré|ursprüngliche nachricht|mensaje original)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/, // Outlook's rule above its "From: … Sent: …" block
  /^\s*(on|le|am|el)\s.{4,300}\s(wrote|a écrit|schrieb|escribió)\s*:\s*$/i,
];
/** "On Mon, 1 Dec 2026 at 10:00, Jane Doe <jane@example.com>" with "wrote:" on the next line (clients wrap it). */
const ATTRIBUTION_OPENS = /^\s*(on|le|am|el)\s.{4,300}$/i;
const ATTRIBUTION_ENDS = /^.{0,300}\s?(wrote|a écrit|schrieb|escribió)\s*:\s*$/i;
/** Outlook: a "From:" line followed by "Sent:" or "Date:" (Envoyé, Gesendet). */
const HEADER_FROM = /^\s*(from|de|von)\s*:/i;
const HEADER_SENT = /^\s*(sent|date|envoyé|gesendet|enviado)\s*:/i;

const blank = (s: string) => s.replace(/[^\n]/g, ' ');

/** The body with quoted lines and the quoted thread blanked (same length, newlines kept). */
export function blankQuotedThread(body: string): string {
  const lines = body.split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length && cut === lines.length; i++) {
    const line = lines[i]!;
    if (THREAD_STARTS.some((re) => re.test(line))) cut = i;
    else if (ATTRIBUTION_OPENS.test(line) && !/[.!?]\s*$/.test(line) && ATTRIBUTION_ENDS.test(lines[i + 1] ?? '')) cut = i;
    else if (HEADER_FROM.test(line) && HEADER_SENT.test(lines[i + 1] ?? '')) cut = i;
  }
  return lines.map((line, i) => (i >= cut || /^\s*>/.test(line) ? blank(line) : line)).join('\n');
}

/** A subject repeated after a reply or forward prefix is blanked (it is the thread's, not the sender's). */
export const ownSubject = (subject: string) => (REPLY_SUBJECT.test(subject) ? blank(subject) : subject);

/**
 * An e-mail as one insights line: subject, a newline, body (either left out when empty), with what the sender did not
 * write blanked. The web page maps ranges back with the same rule (web/src/screens/conversations/analytics/marks.ts).
 */
export function emailLineText(subject: string | null, body: string | null): string {
  const parts: string[] = [];
  if (subject && subject.trim()) parts.push(ownSubject(subject));
  if (body && body.trim()) parts.push(blankQuotedThread(body));
  return parts.join('\n');
}

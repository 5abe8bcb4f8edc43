// Email threading: which conversation does a message belong to?
//
// A simplified form of Jamie Zawinski's algorithm (https://www.jwz.org/doc/threading.html):
// messages are linked only through the ids they name — their own Message-ID, In-Reply-To and
// References. Two messages are in one thread when a chain of such links joins them, even when the
// message in the middle of the chain was never imported.
//
// Why the subject is NOT used. JWZ's last step gathers messages that have no usable references
// but the same subject ("Re: Invoice" under "Invoice"). That suits a mailing list, where everyone
// reads the same threads. In a contact center, thousands of unrelated customers write "Invoice",
// "Question", "Réclamation facture" or "(no subject)"; joining them would put one customer's
// messages — and personal data — into another customer's conversation, where reviewers and
// retention rules would treat them as one contact. A missed join is cheap (two conversations that
// an agent can link by hand); a wrong join is a privacy incident. So a message that references
// nothing known starts its own conversation, whatever its subject. (If subject joining is ever
// wanted, it has to be scoped far tighter than JWZ's — same customer address, same mailbox, a few
// days apart — and live in the ingest service, not here.)
import type { ParsedEmail } from './parse.ts';

/** Returns the thread key of a stored message, or null when the id is unknown. */
export type ThreadLookup = (messageId: string) => string | null;

type ThreadingFields = Pick<ParsedEmail, 'messageId' | 'inReplyTo' | 'references'>;

/**
 * The ids a message points to, most specific first: In-Reply-To, then References from the last
 * (the direct parent) to the first (the thread root). Without duplicates or the message's own id.
 */
export function parentCandidates(email: ThreadingFields): string[] {
  const ordered = [email.inReplyTo, ...[...email.references].reverse()];
  const seen = new Set<string>([email.messageId]);
  const out: string[] = [];
  for (const id of ordered) {
    if (id === null || seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

/**
 * Every distinct thread key that `lookup` knows for this message: its own id first (a re-import,
 * or a reply imported earlier that referenced it), then its parents in `parentCandidates` order.
 * More than one key means this message joins threads that were separate so far; the caller should
 * merge them into the first.
 */
export function relatedThreadKeys(email: ThreadingFields, lookup: ThreadLookup): string[] {
  const keys: string[] = [];
  for (const id of [email.messageId, ...parentCandidates(email)]) {
    const key = lookup(id);
    if (key !== null && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

/**
 * The thread (conversation) key a new message belongs to: the key of the first known message it
 * is, or references (In-Reply-To first, then References from last to first); otherwise a new key,
 * its own message id.
 *
 * For a reply imported before its parent to join the parent's thread, `lookup` must also resolve
 * the ids a stored thread only references (see `EmailThread.ids`), not only the ids of messages
 * actually stored.
 */
export function threadKeyFor(email: ThreadingFields, lookup: ThreadLookup): string {
  return relatedThreadKeys(email, lookup)[0] ?? email.messageId;
}

export interface EmailThread {
  /** The message id of the thread's earliest message. */
  key: string;
  /** The thread's messages in chronological order (one per message id). */
  emails: ParsedEmail[];
  /**
   * Every message id the thread contains or references, sorted. Store these with the thread key so
   * that a message arriving later (e.g. the parent of a reply already imported) finds the thread,
   * and so that two stored threads which turn out to share an id can be merged.
   */
  ids: string[];
}

/**
 * Groups a batch of messages into threads, whatever order they arrive in. Pure: the same set of
 * messages always gives the same threads, keys and order. Messages with the same message id
 * (the same message imported twice) count once; the first occurrence is kept.
 *
 * Threads are returned in chronological order of their first message.
 */
export function threadMessages(emails: readonly ParsedEmail[]): EmailThread[] {
  const byId = new Map<string, ParsedEmail>();
  for (const email of emails) if (!byId.has(email.messageId)) byId.set(email.messageId, email);

  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) {
      const next = parent.get(root);
      if (next === undefined) {
        parent.set(root, root);
        break;
      }
      root = next;
    }
    // path compression
    let node = id;
    while (node !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };

  for (const email of byId.values()) {
    find(email.messageId);
    for (const id of parentCandidates(email)) union(email.messageId, id);
  }

  const groups = new Map<string, { emails: ParsedEmail[]; ids: Set<string> }>();
  for (const id of parent.keys()) {
    const root = find(id);
    let group = groups.get(root);
    if (!group) {
      group = { emails: [], ids: new Set() };
      groups.set(root, group);
    }
    group.ids.add(id);
    const email = byId.get(id);
    if (email) group.emails.push(email);
  }

  const threads: EmailThread[] = [];
  for (const group of groups.values()) {
    if (group.emails.length === 0) continue;
    group.emails.sort(chronological);
    threads.push({ key: group.emails[0]!.messageId, emails: group.emails, ids: [...group.ids].sort() });
  }
  return threads.sort((a, b) => chronological(a.emails[0]!, b.emails[0]!));
}

/**
 * Chronological order: by Date (messages without one last), then — for messages sent in the same
 * second — parents before replies (fewer references first), then by message id so the order
 * never depends on the order of arrival.
 */
function chronological(a: ParsedEmail, b: ParsedEmail): number {
  const ta = a.sentAt === null ? Number.POSITIVE_INFINITY : Date.parse(a.sentAt);
  const tb = b.sentAt === null ? Number.POSITIVE_INFINITY : Date.parse(b.sentAt);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const da = parentCandidates(a).length;
  const db = parentCandidates(b).length;
  if (da !== db) return da - db;
  return a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0;
}

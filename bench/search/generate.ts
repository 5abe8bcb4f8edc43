// Seeded generator of realistic contact-center conversations for the search benchmark: calls with transcripts (~70 %),
// chats (~20 %) and emails (~10 %) over the last 24 months, with participants, custom fields, tags and the indexed
// terms of each conversation.
//
// A call carries a transcript of about `spokenWords` words (default 500: issue 9), in utterances that alternate
// agent / customer; chat messages and emails are filed under their author's side, as the indexer does.
//
// Speed: the real analyzer (Intl.Segmenter) runs at a few MB/s, too slow for a million conversations, so every
// vocabulary word is analysed once (analyze(word, 'en')) and a document's terms are assembled from those cached terms:
// per document part, every primary term in order with FIELD_GAP between fields, then FIELD_GAP and every variant —
// what indexTerms produces for the same fields. Generated tokens
// (amounts, ids, emails) are special tokens whose term is the lower-cased token. verifySample() checks a sample
// against indexTerms(fields, 'en') and localDayAndMinute and throws on any difference.
import { analyze, isPrimary } from '../../src/search/analyzer/index.ts';
import { FIELD_GAP, indexTerms, type DocPart, type IndexedTerms, type SearchField, type Speaker } from '../../src/search/index/document.ts';
import { foldCase, numericValue } from '../../src/search/filters/custom-data.ts';
import { civilFromEpochDay, DAY_MS, formatIsoDate, HOUR_MS, isoWeekday, localDayAndMinute, MINUTE_MS, offsetAt } from '../../src/search/filters/zoned-time.ts';
import { int, mulberry32, pick, streamSeed, Weighted, Zipf, type Rand } from './prng.ts';
import * as V from './vocabulary.ts';

// ---- the tenant the conversations belong to (made by setup.ts, stored in the cache's meta file) ----------------------

export interface GenSite {
  id: string;
  name: string;
  timeZone: string;
  region: string;
  currency: string;
  share: number;
}
export interface GenAgent {
  id: string;
  first: string;
  last: string;
  extension: string;
  groupId: string;
  site: number;
}

export interface GenSetup {
  n: number;
  seed: number;
  /** About this many transcript words per call (0: the short transcripts of generator version 1, ~130 words). */
  spokenWords?: number;
  /** "Now" of the data set (ms): conversations lie in the 730 days before it; the bench searches as of this instant. */
  now: number;
  tenantId: string;
  adminId: string;
  sites: GenSite[];
  agents: GenAgent[];
  fields: { ciscoId: string; region: string };
  tagIds: string[];
}

export const SPAN_DAYS = 730;

// ---- words and their cached terms --------------------------------------------------------------------------------

/** A token of generated text with the terms the analyzer gives it: primaries (in order) and variants. */
export interface Word {
  s: string;
  p: string[];
  v: string[];
}

const lexicon = new Map<string, Word>();

/** A vocabulary word (or any fixed piece of text) analysed once. */
export function word(surface: string): Word {
  let w = lexicon.get(surface);
  if (!w) {
    const p: string[] = [];
    const v: string[] = [];
    for (const t of analyze(surface, 'en')) (isPrimary(t) ? p : v).push(t.term);
    lexicon.set(surface, (w = { s: surface, p, v }));
  }
  return w;
}

/** A generated special token (digits, ids, emails): one primary, the lower-cased token. */
const special = (surface: string, term = surface.toLowerCase()): Word => ({ s: surface, p: [term], v: [] });

function capitalized(w: Word): Word {
  const c = w.s.charCodeAt(0);
  if (c < 97 || c > 122) return w;
  return word(w.s[0]!.toUpperCase() + w.s.slice(1));
}

// ---- templates ----------------------------------------------------------------------------------------------------

type Part = { w: Word; slot: null; suffix: string } | { w: null; slot: string; suffix: string };
type Template = Part[];

function compile(template: string): Template {
  return template.split(' ').map((piece) => {
    const m = /^(.*?)([,.?!]*)$/.exec(piece)!;
    const body = m[1]!;
    const suffix = m[2]!;
    const slot = /^\{(\w+)\}$/.exec(body);
    return slot ? { w: null, slot: slot[1]!, suffix } : { w: word(body), slot: null, suffix };
  });
}

const compileAll = (xs: readonly string[]) => xs.map(compile);

const T = {
  topics: Object.fromEntries(Object.entries(V.TOPICS).map(([k, t]) => [k, { customer: compileAll(t.customer), agent: compileAll(t.agent) }])) as Record<
    V.Topic,
    { customer: Template[]; agent: Template[] }
  >,
  greetings: compileAll(V.AGENT_GREETINGS),
  openers: compileAll(V.CUSTOMER_OPENERS),
  agentAcks: compileAll(V.AGENT_ACKS),
  customerAcks: compileAll(V.CUSTOMER_ACKS),
  closingsAgent: compileAll(V.CLOSINGS_AGENT),
  closingsCustomer: compileAll(V.CLOSINGS_CUSTOMER),
  chatter: compileAll(V.CHATTER),
  rare: compileAll(V.RARE_SENTENCES),
  subjects: compileAll(V.EMAIL_SUBJECTS),
  tagComments: compileAll(V.TAG_COMMENTS),
  chatOpeners: V.CHAT_OPENERS.map((s) => compile(`${s},`)),
  roomName: compile('Support chat with {first} {last}'),
  emailGreeting: compile('Dear {company} team,'),
  emailSignOff: compile('Kind regards, {first} {last}'),
  agentEmailGreeting: compile('Dear {first},'),
  agentEmailSignOff: compile('Best regards, {agent} {agentLast}, {company} customer care'),
};

const topicPick = new Weighted(V.TOPIC_WEIGHTS);
const zipfOf = (xs: readonly string[], s: number) => {
  const z = new Zipf(xs.length, s);
  const words = xs.map(word);
  return (r: Rand) => words[z.sample(r)]!;
};
const listSlots: Record<string, (r: Rand) => Word> = {
  month: zipfOf(V.MONTHS, 0),
  day: zipfOf(V.DAYS, 0.3),
  city: zipfOf(V.CITIES, 1),
  plan: zipfOf(V.PLANS, 0.8),
  device: zipfOf(V.DEVICES, 0.8),
  product: zipfOf(V.PRODUCTS, 0.8),
  noun: zipfOf(V.NOUNS, 1),
  verb: zipfOf(V.VERBS, 1),
  adj: zipfOf(V.ADJECTIVES, 1),
  adv: zipfOf(V.ADVERBS, 1),
  pron: zipfOf(V.PRONOUNS, 0.5),
  prep: zipfOf(V.PREPOSITIONS, 0.7),
};
const company = word(V.COMPANY);
const firstNames = zipfOf(V.FIRST_NAMES, 0.7);
const lastNames = zipfOf(V.LAST_NAMES, 0.7);
const domains = new Zipf(V.DOMAINS.length, 1.2);

const digits = (r: Rand, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(48 + Math.floor(r() * 10));
  return s;
};
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXY';
const letter = (r: Rand) => LETTERS[Math.floor(r() * LETTERS.length)]!;

/** What the slots of one conversation are filled with. */
interface Cast {
  r: Rand;
  first: Word;
  last: Word;
  email: string;
  agentFirst: Word;
  agentLast: Word;
  currency: string;
  ciscoId: string | null;
}

function fill(slot: string, c: Cast, out: Word[]) {
  const r = c.r;
  switch (slot) {
    case 'amount': {
      const v = `${int(r, 5, 400)}.${digits(r, 2)}`;
      out.push(special(`${c.currency}${v}`, v));
      return;
    }
    case 'time': {
      const h = int(r, 1, 13);
      out.push(special(`${h}${r() < 0.5 ? 'am' : 'pm'}`));
      return;
    }
    case 'order':
      out.push(special(`A${digits(r, 7)}`));
      return;
    case 'ticket':
      out.push(special(c.ciscoId && r() < 0.7 ? c.ciscoId : `CX-${int(r, 100000, 1000000)}`));
      return;
    case 'email':
      out.push(special(c.email));
      return;
    case 'account':
      out.push(special(digits(r, 8)));
      return;
    case 'postcode':
      out.push(special(`${letter(r)}${letter(r)}${int(r, 1, 20)}`), special(`${int(r, 1, 10)}${letter(r)}${letter(r)}`));
      return;
    case 'company':
      out.push(company);
      return;
    case 'agent':
      out.push(c.agentFirst);
      return;
    case 'agentLast':
      out.push(c.agentLast);
      return;
    case 'first':
      out.push(c.first);
      return;
    case 'last':
      out.push(c.last);
      return;
    default: {
      const f = listSlots[slot];
      if (!f) throw new Error(`unknown template slot {${slot}}`);
      out.push(f(r));
    }
  }
}

/** The terms of a document under construction, per part (indexTerms' layout). */
class DocTerms {
  readonly prim: Record<DocPart, string[]> = { body: [], agent: [], customer: [] };
  readonly vars: Record<DocPart, string[]> = { body: [], agent: [], customer: [] };
  words = 0;

  parts(): IndexedTerms['parts'] {
    const join = (p: DocPart) => (this.vars[p].length ? [...this.prim[p], FIELD_GAP, ...this.vars[p]] : this.prim[p]);
    return { body: join('body'), agent: join('agent'), customer: join('customer') };
  }
}

/** Text of one field under construction; its terms go to its part of the document (a gap before its first). */
class FieldText {
  private readonly pieces: string[] = [];
  private readonly tmp: Word[] = [];
  private readonly prim: string[];
  private readonly vars: string[];
  private first = true;
  constructor(
    private readonly doc: DocTerms,
    readonly speaker: Speaker | null = null,
  ) {
    this.prim = doc.prim[speaker ?? 'body'];
    this.vars = doc.vars[speaker ?? 'body'];
  }

  private add(w: Word, suffix: string) {
    this.pieces.push(suffix ? w.s + suffix : w.s);
    if (w.p.length) {
      if (this.first && this.prim.length) this.prim.push(FIELD_GAP);
      this.first = false;
      this.doc.words += w.p.length;
    }
    for (const t of w.p) this.prim.push(t);
    for (const t of w.v) this.vars.push(t);
  }

  sentence(t: Template, c: Cast) {
    for (let i = 0; i < t.length; i++) {
      const part = t[i]!;
      if (part.w) {
        this.add(i === 0 ? capitalized(part.w) : part.w, part.suffix);
      } else {
        this.tmp.length = 0;
        fill(part.slot, c, this.tmp);
        for (let k = 0; k < this.tmp.length; k++) {
          const w = i === 0 && k === 0 ? capitalized(this.tmp[k]!) : this.tmp[k]!;
          this.add(w, k === this.tmp.length - 1 ? part.suffix : '');
        }
      }
    }
    return this;
  }

  /** A fixed token (id, address): added as a special token. */
  token(surface: string) {
    this.add(special(surface), '');
    return this;
  }

  get text() {
    return this.pieces.join(' ');
  }
}

// ---- one conversation ---------------------------------------------------------------------------------------------

export type Channel = 'call' | 'chat' | 'email';

export interface GenConversation {
  index: number;
  id: string;
  startedMs: number;
  startedAt: string;
  endedAt: string;
  channel: Channel;
  direction: string;
  talkTimeMs: number;
  hasScreen: number;
  reviewable: number;
  agent: GenAgent | null;
  siteId: string;
  customerPhone: string | null;
  title: string;
  customData: Record<string, string>;
  local: { date: string; weekday: number; minute: number };
  participants: Array<{
    id: string;
    partyKey: string;
    role: string;
    name: string | null;
    phone: string | null;
    email: string | null;
    extension: string | null;
    userId: string | null;
  }>;
  values: Array<{ fieldId: string; value: string; folded: string; number: number | null }>;
  tags: Array<{ id: string; tagId: string; comment: string | null }>;
  fields: SearchField[];
  /** The indexed terms per document part (indexTerms' layout). */
  parts: IndexedTerms['parts'];
  /** Transcript words (calls). */
  spoken: number;
}

/** UUIDv7 (as src/platform/ids.ts makes them) with the random bits from the PRNG. */
function uuid7(ms: number, r: Rand): string {
  const hex = (v: number, n: number) => v.toString(16).padStart(n, '0');
  const t = hex(ms, 12);
  const b = Math.floor(r() * 0x10000) & 0x0fff;
  const c = (Math.floor(r() * 0x10000) & 0x3fff) | 0x8000;
  const d = Math.floor(r() * 0x1000000);
  const e = Math.floor(r() * 0x1000000);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-${hex(0x7000 | b, 4)}-${hex(c, 4)}-${hex(d, 6)}${hex(e, 6)}`;
}

/** Customer numbers: a realistic spread of prefixes (UK, France, US, Philippines, others). */
const PHONE_PREFIXES = new Weighted<readonly [string, number]>([
  [['+4420', 8], 0.1],
  [['+447', 9], 0.15],
  [['+44121', 7], 0.02],
  [['+44161', 7], 0.02],
  [['+44131', 7], 0.01],
  [['+336', 8], 0.11],
  [['+337', 8], 0.03],
  [['+331', 8], 0.04],
  [['+334', 8], 0.02],
  [['+1555', 7], 0.06],
  [['+1212', 7], 0.04],
  [['+1415', 7], 0.03],
  [['+1', 10], 0.11],
  [['+639', 9], 0.08],
  [['+632', 8], 0.03],
  [['+49', 10], 0.05],
  [['+34', 9], 0.03],
  [['+61', 9], 0.02],
  [['+91', 10], 0.03],
  [['+353', 8], 0.02],
]);

const CHANNELS = new Weighted<Channel>([
  ['call', 0.7],
  ['chat', 0.2],
  ['email', 0.1],
]);
const CALL_DIRECTIONS = new Weighted([
  ['inbound', 0.6],
  ['outbound', 0.35],
  ['internal', 0.05],
] as const);
const CHAT_DIRECTIONS = new Weighted([
  ['inbound', 0.9],
  ['outbound', 0.1],
] as const);
const EMAIL_DIRECTIONS = new Weighted([
  ['inbound', 0.7],
  ['outbound', 0.3],
] as const);
const TAG_SHARE = 0.06;
const RARE_SHARE = 0.0001;

function gaussian(r: Rand) {
  const u = 1 - r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

export class ConversationGenerator {
  /** Sorted start instants × 4 + site index. */
  readonly times: Float64Array;
  private readonly offsets: Int32Array[];
  private readonly offsetBase: number;
  private readonly agentsBySite: GenAgent[][];
  private readonly agentZipf: Zipf[];

  constructor(readonly setup: GenSetup) {
    const { now, sites } = setup;
    this.offsetBase = Math.floor((now - (SPAN_DAYS + 2) * DAY_MS) / HOUR_MS) * HOUR_MS;
    const hours = (SPAN_DAYS + 4) * 24;
    // UTC offsets per zone and UTC hour: every transition of these zones falls on a whole UTC hour (checked in verifySample).
    this.offsets = sites.map((s) => {
      const a = new Int32Array(hours);
      for (let h = 0; h < hours; h++) a[h] = offsetAt(this.offsetBase + h * HOUR_MS, s.timeZone);
      return a;
    });
    this.agentsBySite = sites.map((_, i) => setup.agents.filter((a) => a.site === i));
    this.agentZipf = this.agentsBySite.map((xs) => new Zipf(xs.length, 0.4));
    this.times = this.sampleTimes();
  }

  private offsetOf(site: number, t: number) {
    return this.offsets[site]![Math.floor((t - this.offsetBase) / HOUR_MS)]!;
  }

  /** Start instants: uniform days over 24 months, fewer at weekends, mostly business hours in the site's time zone. */
  private sampleTimes(): Float64Array {
    const { n, now, seed, sites } = this.setup;
    const r = mulberry32(streamSeed(seed, 0xfffffff0));
    const siteShare = new Weighted(sites.map((s, i) => [i, s.share] as const));
    const weekdayWeight = [0, 1, 1, 1, 1, 0.95, 0.35, 0.2];
    const today = Math.floor(now / DAY_MS);
    const out = new Float64Array(n);
    for (let i = 0; i < n;) {
      const site = siteShare.sample(r);
      const day = today - 1 - Math.floor(r() * SPAN_DAYS);
      if (r() > weekdayWeight[isoWeekday(civilFromEpochDay(day))]!) continue;
      const minute = r() < 0.85 ? 8 * 60 + ((r() + r()) / 2) * 12 * 60 : r() * 1440;
      const wall = day * DAY_MS + Math.floor(minute * MINUTE_MS + r() * MINUTE_MS);
      const t = wall - this.offsetOf(site, day * DAY_MS + 12 * HOUR_MS);
      if (t >= now) continue;
      out[i++] = t * 4 + site;
    }
    return out.sort();
  }

  /** Local calendar day, ISO weekday and minute of `t` in the zone of `site` (what localDayAndMinute computes). */
  local(site: number, t: number) {
    const wall = t + this.offsetOf(site, t);
    const day = Math.floor(wall / DAY_MS);
    const d = civilFromEpochDay(day);
    return { date: formatIsoDate(d), weekday: isoWeekday(d) as number, minute: Math.floor((wall - day * DAY_MS) / MINUTE_MS) };
  }

  conversation(index: number): GenConversation {
    const { setup } = this;
    const enc = this.times[index]!;
    const site = enc % 4;
    const startedMs = (enc - site) / 4;
    const r = mulberry32(streamSeed(setup.seed, index));
    const s = setup.sites[site]!;
    const id = uuid7(startedMs, r);
    const channel = CHANNELS.sample(r);
    const agent = r() < 0.02 ? null : this.agentsBySite[site]![this.agentZipf[site]!.sample(r)]!;
    const first = firstNames(r);
    const last = lastNames(r);
    const email = `${first.s}.${last.s}${r() < 0.3 ? int(r, 1, 99) : ''}@${V.DOMAINS[domains.sample(r)]}`.toLowerCase();
    const ciscoId = channel !== 'email' ? `CX-${int(r, 100000, 1000000)}` : null;
    const cast: Cast = {
      r,
      first,
      last,
      email,
      ciscoId,
      currency: s.currency,
      agentFirst: agent ? word(agent.first) : firstNames(r),
      agentLast: agent ? word(agent.last) : lastNames(r),
    };
    const direction = channel === 'call' ? CALL_DIRECTIONS.sample(r) : channel === 'chat' ? CHAT_DIRECTIONS.sample(r) : EMAIL_DIRECTIONS.sample(r);
    const talkTimeMs = channel === 'call' ? Math.min(3 * 3600_000, Math.round(Math.exp(Math.log(240) + 0.9 * gaussian(r)) * 1000)) : 0;
    const endedMs = startedMs + (channel === 'call' ? talkTimeMs + int(r, 5_000, 60_000) : channel === 'chat' ? int(r, 120_000, 1_800_000) : 0);
    const segId = uuid7(startedMs, r);

    const doc = new DocTerms();
    const fields: SearchField[] = [];
    const field = (
      where: SearchField['where'],
      text: FieldText,
      at: { segmentId?: string; seq?: number; tagId?: string; speech?: SearchField['speech'] } = {},
    ) =>
      fields.push({
        where,
        segmentId: at.segmentId ?? null,
        seq: at.seq ?? null,
        tagId: at.tagId ?? null,
        text: text.text,
        ...(text.speaker ? { speaker: text.speaker } : {}),
        ...(at.speech ? { speech: at.speech } : {}),
      });
    const ft = (speaker: Speaker | null = null) => new FieldText(doc, speaker);
    field('conversation_id', ft().token(id));

    const topic = topicPick.sample(r);
    const second = r() < 0.3 ? topicPick.sample(r) : topic;
    const topicSentence = (speaker: 'customer' | 'agent') => pick(r, T.topics[r() < 0.8 ? topic : second][speaker]);
    const rare = r() < RARE_SHARE;
    const stamp = new Date(startedMs).toISOString().slice(0, 10).replace(/-/g, '');
    let title: string;
    let customerPhone: string | null = null;
    let spoken = 0;

    if (channel === 'call') {
      field('external_id', ft().token(`call-${stamp}-${digits(r, 6)}`), { segmentId: segId });
      const [prefix, rest] = PHONE_PREFIXES.sample(r);
      customerPhone = direction === 'internal' ? null : prefix + digits(r, rest);
      const customerName = r() < 0.3 ? `${first.s} ${last.s}` : null;
      title = direction === 'internal' ? 'Internal call' : `${direction === 'outbound' ? 'Call to' : 'Call from'} ${customerName ?? customerPhone}`;
      // ~11 words per turn on average: turns for about spokenWords words, from 0.6 to 1.4 times that.
      const spokenWords = setup.spokenWords ?? 0;
      const turns = spokenWords > 0 ? int(r, Math.max(4, Math.round(spokenWords / 18)), Math.round(spokenWords / 8) + 1) : int(r, 8, 21);
      const rareAt = rare ? int(r, 2, turns) : -1;
      let atMs = int(r, 500, 3000);
      for (let k = 0; k < turns; k++) {
        const agentTurn = k % 2 === 0;
        const before = doc.words;
        const text = ft(agentTurn ? 'agent' : 'customer');
        if (k === 0) text.sentence(pick(r, T.greetings), cast);
        else if (k === 1) text.sentence(pick(r, T.openers), cast).sentence(topicSentence('customer'), cast);
        else if (k === turns - 1) text.sentence(pick(r, agentTurn ? T.closingsAgent : T.closingsCustomer), cast);
        else {
          const sentences = r() < 0.5 ? 1 : 2;
          for (let j = 0; j < sentences; j++) {
            const x = r();
            text.sentence(
              x < 0.45 ? topicSentence(agentTurn ? 'agent' : 'customer') : x < 0.7 ? pick(r, agentTurn ? T.agentAcks : T.customerAcks) : pick(r, T.chatter),
              cast,
            );
          }
        }
        if (k === rareAt) text.sentence(pick(r, T.rare), cast);
        const words = text.text.split(' ').length;
        const endMs = atMs + (doc.words - before) * 330;
        field('transcript', text, {
          segmentId: segId,
          seq: k,
          speech: { utteranceId: uuid7(startedMs + k, r), startMs: atMs, endMs, role: agentTurn ? 'agent' : 'customer', words },
        });
        atMs = endMs + int(r, 200, 1500);
        spoken += doc.words - before;
      }
    } else if (channel === 'chat') {
      field('external_id', ft().token(`chat-${stamp}-${digits(r, 6)}`), { segmentId: segId });
      const room = ft().sentence(T.roomName, cast);
      title = room.text;
      field('room_name', room, { segmentId: segId });
      const messages = int(r, 4, 13);
      const rareAt = rare ? int(r, 1, messages) : -1;
      for (let k = 0; k < messages; k++) {
        const agentTurn = k % 2 === 1;
        const text = ft(agentTurn ? 'agent' : 'customer');
        if (k === 0) text.sentence(pick(r, T.chatOpeners), cast).sentence(topicSentence('customer'), cast);
        else if (k === 1) text.sentence(pick(r, T.agentAcks), cast);
        else {
          const x = r();
          text.sentence(
            x < 0.55 ? topicSentence(agentTurn ? 'agent' : 'customer') : x < 0.8 ? pick(r, agentTurn ? T.agentAcks : T.customerAcks) : pick(r, T.chatter),
            cast,
          );
        }
        if (k === rareAt) text.sentence(pick(r, T.rare), cast);
        field('chat_message', text, { segmentId: segId, seq: k });
      }
    } else {
      const messageId = `msg-${stamp}-${digits(r, 8)}@mail.northwind.example`;
      field('external_id', ft().token(messageId), { segmentId: segId });
      const inbound = direction === 'inbound';
      const author: Speaker = inbound ? 'customer' : 'agent';
      const subject = ft(author).sentence(pick(r, T.subjects), cast);
      title = subject.text;
      field('email_subject', subject, { segmentId: segId });
      const body = ft(author);
      body.sentence(inbound ? T.emailGreeting : T.agentEmailGreeting, cast);
      const sentences = int(r, 4, 12);
      for (let k = 0; k < sentences; k++) {
        const x = r();
        body.sentence(
          x < 0.6 ? topicSentence(inbound ? 'customer' : 'agent') : x < 0.75 ? pick(r, inbound ? T.customerAcks : T.agentAcks) : pick(r, T.chatter),
          cast,
        );
        if (rare && k === 1) body.sentence(pick(r, T.rare), cast);
      }
      body.sentence(inbound ? T.emailSignOff : T.agentEmailSignOff, cast);
      field('email_body', body, { segmentId: segId });
      const agentAddress = `${cast.agentFirst.s}.${cast.agentLast.s}@northwind.example`.toLowerCase();
      field('email_address', ft().token(email).token(agentAddress));
    }

    const tags: GenConversation['tags'] = [];
    if (r() < TAG_SHARE) {
      const tagId = pick(r, setup.tagIds);
      let comment: string | null = null;
      if (r() < 0.35) {
        const text = ft().sentence(pick(r, T.tagComments), cast);
        comment = text.text;
        field('tag_comment', text, { tagId });
      }
      tags.push({ id: uuid7(startedMs, r), tagId, comment });
    }

    const participants: GenConversation['participants'] = [
      {
        id: uuid7(startedMs, r),
        partyKey: 'customer',
        role: 'customer',
        name: channel === 'call' ? null : `${first.s} ${last.s}`,
        phone: customerPhone,
        email: channel === 'email' || (channel === 'chat' && r() < 0.5) ? email : null,
        extension: null,
        userId: null,
      },
    ];
    if (agent)
      participants.push({
        id: uuid7(startedMs, r),
        partyKey: 'agent',
        role: 'agent',
        name: `${agent.first} ${agent.last}`,
        phone: null,
        email: null,
        extension: agent.extension,
        userId: agent.id,
      });

    const customData: Record<string, string> = { region: s.region };
    if (ciscoId) customData.cisco_id = ciscoId;
    const values: GenConversation['values'] = [];
    const value = (fieldId: string, v: string) => values.push({ fieldId, value: v, folded: foldCase(v.trim()), number: numericValue(v) });
    if (ciscoId) value(setup.fields.ciscoId, ciscoId);
    value(setup.fields.region, s.region);

    return {
      index,
      id,
      startedMs,
      startedAt: new Date(startedMs).toISOString(),
      endedAt: new Date(endedMs).toISOString(),
      channel,
      direction,
      talkTimeMs,
      hasScreen: channel === 'call' && r() < 0.28 ? 1 : 0,
      reviewable: r() < 0.9 ? 1 : 0,
      agent,
      siteId: s.id,
      customerPhone,
      title,
      customData,
      local: this.local(site, startedMs),
      participants,
      values,
      tags,
      fields,
      parts: doc.parts(),
      spoken,
    };
  }
}

/**
 * Checks the fast path on `count` conversations spread over the data set: terms equal indexTerms(fields, 'en'), local
 * day and minute equal localDayAndMinute. Throws on the first difference.
 */
export function verifySample(gen: ConversationGenerator, count = 300) {
  const { n } = gen.setup;
  const step = Math.max(1, Math.floor(n / count));
  let checked = 0;
  for (let i = 0; i < n; i += step) {
    const c = gen.conversation(i);
    const want = JSON.stringify(indexTerms(c.fields, 'en').parts).replaceAll('","', ' ');
    const got = JSON.stringify(c.parts).replaceAll('","', ' ');
    if (want !== got) {
      const a = want.split(' ');
      const b = got.split(' ');
      let k = 0;
      while (k < a.length && a[k] === b[k]) k++;
      throw new Error(
        `generator: the fast terms of conversation #${i} differ from indexTerms at term ${k}: expected ${JSON.stringify(a.slice(Math.max(0, k - 3), k + 5))}, ` +
          `got ${JSON.stringify(b.slice(Math.max(0, k - 3), k + 5))}\n${c.fields.map((f) => f.text).join('\n')}`,
      );
    }
    const site = gen.setup.sites.findIndex((s) => s.id === c.siteId);
    const l = localDayAndMinute(new Date(c.startedMs), gen.setup.sites[site]!.timeZone);
    if (l.isoDate !== c.local.date || l.weekday !== c.local.weekday || l.minuteOfDay !== c.local.minute) {
      throw new Error(
        `generator: local time of conversation #${i} (${c.startedAt}) is ${JSON.stringify(c.local)}, localDayAndMinute says ${JSON.stringify(l)}`,
      );
    }
    checked++;
  }
  return checked;
}

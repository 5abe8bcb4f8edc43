// Demo email threads: 1–4 messages with replies that quote and reference their parent (In-Reply-To/References),
// written with buildEml. Some threads arrive out of order (a reply before its parent); some carry a link to the
// message in the mail system (sourceUrl).
import { buildEml, formatRfc5322Date } from '../conversations/email/fixtures.ts';
import { decideNotes, type CaseType } from './notes.ts';
import type { Customer } from './people.ts';
import type { Rng } from './random.ts';
import type { Scheduler } from './schedule.ts';
import type { AgentRef, ConversationPlan } from './types.ts';

interface Thread {
  subject: string;
  caseType: CaseType;
  groups: Array<AgentRef['group']>;
  /** Who writes first: the customer (inbound) or the agent (a follow-up after a call). */
  opener: 'c' | 'a';
  mood?: 'angry' | 'happy';
  /** Bodies in order, alternating sides from the opener. */
  bodies: string[];
  attachment?: string;
}

const THREADS: Thread[] = [
  {
    subject: 'Invoice {invoice}: wrong amount',
    caseType: 'Billing',
    groups: ['Billing'],
    opener: 'c',
    attachment: 'invoice-{invoice}.pdf',
    bodies: [
      'Hello,\n\nMy invoice {invoice} shows {amount}, but my plan costs less than that. Could you check what happened?\nI attached the invoice.',
      'Dear {first},\n\nThank you for your message. The invoice includes a pro-rated charge for the plan change you made on {date}. From next month you will pay the usual amount.\n\nI have attached a detailed breakdown.',
      'Thanks, that is clear now. One more question: can I get the invoices by email instead of post?',
      'Of course. Paper invoices are switched off from today; you will receive them at this address.',
    ],
  },
  {
    subject: 'Refund for order {order}',
    caseType: 'Complaint',
    groups: ['Billing', 'Customer Care'],
    opener: 'c',
    mood: 'angry',
    bodies: [
      'Hello,\n\nI returned order {order} four weeks ago and I am still waiting for my refund of {amount}. This is the second time I am writing. Please answer this time.',
      'Dear {first},\n\nPlease accept our apologies for the delay. Your return was received on {date}; the refund has now been issued and will reach your account within five working days.',
      'I will believe it when I see it. If it is not there by next week I will file a complaint with the consumer office.',
      'I completely understand. I have set a reminder to check the payment myself on Monday and I will write to you as soon as it is confirmed.',
    ],
  },
  {
    subject: 'Router replacement',
    caseType: 'Technical',
    groups: ['Tech Support'],
    opener: 'c',
    bodies: [
      'Hi,\n\nThe technician said my router needs replacing. How do I get a new one?',
      'Hello {first},\n\nA replacement router has been sent to your address; it should arrive on {date}. Please return the old one with the prepaid label in the box.',
      'Received and installed, everything works. Thank you!',
    ],
  },
  {
    subject: 'Slow connection in the evenings',
    caseType: 'Technical',
    groups: ['Tech Support'],
    opener: 'c',
    bodies: [
      'Hello,\n\nSince {date} my connection is very slow every evening between 7 and 11 pm. Speed tests show less than 5 Mb/s.',
      'Hello {first},\n\nThank you for the details. We found congestion on the equipment serving your street; an upgrade is planned this week. I will let you know when it is done.',
      'Any news? It is still slow.',
      'The upgrade was completed last night. Could you run a speed test this evening and tell me the result?',
    ],
  },
  {
    subject: 'Your upgrade to Fiber 1 Gb',
    caseType: 'Sales',
    groups: ['Customer Care'],
    opener: 'a',
    mood: 'happy',
    bodies: [
      'Dear {first},\n\nFollowing our call, here is the summary of your new plan: Fiber 1 Gb with TV, at the same price for the first three months. The upgrade is active from {date}.',
      'Thank you {agentFirst}, very clear and very kind. Everything already works!',
    ],
  },
  {
    subject: 'Following up on your call today',
    caseType: 'Billing',
    groups: ['Billing', 'Customer Care'],
    opener: 'a',
    bodies: [
      'Dear {first},\n\nAs promised on the phone, I have credited {amount} to your account. You will see it on your next invoice.\n\nReference: {invoice}.',
      'Thank you, I received the confirmation.',
    ],
  },
  {
    subject: 'Cancellation request',
    caseType: 'Cancellation',
    groups: ['Customer Care'],
    opener: 'c',
    bodies: [
      'Hello,\n\nPlease cancel my contract at the end of the month. Contract number {invoice}.',
      'Dear {first},\n\nWe are sorry to see you go. Before we proceed, may I offer you our loyalty discount of 10 a month for a year?',
      'No thank you, I am moving abroad. Please go ahead with the cancellation.',
      'Understood. Your contract will end on {date}; you will receive the final invoice and a return label for the equipment.',
    ],
  },
  {
    subject: 'Change of address',
    caseType: 'General inquiry',
    groups: ['Customer Care'],
    opener: 'c',
    bodies: [
      'Hello,\n\nI am moving on {date}. Please update my address for billing and service.',
      'Hello {first},\n\nThank you. Could you send us the new address and a convenient day for the technician?',
    ],
  },
  {
    subject: 'Complaint about the technician visit',
    caseType: 'Complaint',
    groups: ['Tech Support', 'Customer Care'],
    opener: 'c',
    mood: 'angry',
    bodies: [
      'To whom it may concern,\n\nI took a day off on {date} for the technician visit and nobody came. Nobody called either. I expect compensation.',
      'Dear {first},\n\nI am very sorry. The appointment was cancelled by mistake on our side. I have added {amount} of credit to your account and booked a new visit; the technician will call you one hour before arriving.',
    ],
  },
  {
    subject: 'Thank you!',
    caseType: 'General inquiry',
    groups: ['Tech Support', 'Billing', 'Customer Care'],
    opener: 'c',
    mood: 'happy',
    bodies: ['Hello,\n\nI just wanted to thank {agentFirst} for the help on the phone yesterday. Quick, friendly and everything works now.'],
  },
  {
    subject: 'Direct debit mandate',
    caseType: 'Billing',
    groups: ['Billing'],
    opener: 'c',
    attachment: 'mandate-signed.pdf',
    bodies: [
      'Hello,\n\nPlease find attached my signed direct debit mandate.',
      'Hello {first},\n\nThank you, the mandate is registered. The first debit will be on {date}.',
      'Perfect, thanks.',
    ],
  },
  {
    subject: 'Question about roaming in Canada',
    caseType: 'Sales',
    groups: ['Customer Care', 'Billing'],
    opener: 'c',
    bodies: [
      'Hi,\n\nI am travelling to Canada next month. Does my plan include roaming there?',
      'Hi {first},\n\nCanada is not included in your plan, but you can add the World Travel pass for 15 a week from your account page. Would you like me to activate it for your dates?',
      'Yes please, from {date} for two weeks.',
    ],
  },
];

const fill = (text: string, vars: Record<string, string>) => text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
const quote = (text: string) =>
  text
    .split('\n')
    .map((l) => (l ? `> ${l}` : '>'))
    .join('\n');

export class EmailPlanner {
  private seq = 0;

  constructor(
    private readonly agents: AgentRef[],
    private readonly customers: Customer[],
    private readonly scheduler: Scheduler,
    private readonly now: Date,
  ) {}

  plan(rng: Rng, count: number): ConversationPlan[] {
    const out: ConversationPlan[] = [];
    for (let i = 0; i < count; i++) out.push(this.one(rng.fork(`email-${i}`)));
    return out;
  }

  private one(rng: Rng): ConversationPlan {
    this.seq++;
    const key = `demo-mail-${String(this.seq).padStart(5, '0')}`;
    const t = rng.pick(THREADS);
    const pool = this.agents.filter((a) => t.groups.includes(a.group));
    const agent = rng.weighted(pool.map((a) => [a, a.load] as const));
    const customer = rng.pick(this.customers.filter((c) => c.site === agent.site));
    const first = customer.name.split(' ')[0]!;
    const vars: Record<string, string> = {
      first,
      agentFirst: agent.name.split(' ')[0]!,
      amount: agent.site === 'Paris' ? `${rng.int(15, 240)} €` : `$${rng.int(15, 240)}`,
      order: `${rng.pick(['A', 'B', 'K'])}${rng.digits(7)}`,
      invoice: `INV-${rng.digits(8)}`,
      date: '',
    };
    const bodies = t.bodies.slice(0, rng.chance(0.2) ? 1 : rng.int(Math.min(2, t.bodies.length), t.bodies.length));
    const startedAt = this.scheduler.businessTime(rng, agent.timeZone, 0);
    vars.date = new Date(startedAt.getTime() + rng.int(-10, 14) * 86_400_000).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
    const company = agent.site === 'Paris' ? 'Brightline Telecom France' : 'Brightline Telecom US';
    const agentAddr = { name: agent.name, address: agent.email };
    const custAddr = { name: customer.name, address: customer.email };
    const domain = 'mail.demo.earshot.local';
    const withLink = rng.chance(0.25);
    const cc = rng.chance(0.1) ? rng.pick(this.agents.filter((a) => a !== agent && a.group === agent.group)) : null;
    const messages: Array<{ raw: string; sourceUrl?: string; at: Date }> = [];
    const ids: string[] = [];
    let at = startedAt;
    let prevText = '';
    let prevFrom = '';
    let prevAt = at;
    for (let i = 0; i < bodies.length; i++) {
      const fromAgent = (i % 2 === 0) === (t.opener === 'a');
      if (i > 0) {
        at = new Date(at.getTime() + (fromAgent ? rng.between(0.4, 22) : rng.between(0.5, 36)) * 3_600_000);
        if (at.getTime() > this.now.getTime() - 5 * 60_000) break;
      }
      const body = fill(bodies[i]!, vars);
      const signature = fromAgent
        ? `\n\nBest regards,\n${agent.name}\n${agent.group}, ${company}`
        : `\n\n${rng.pick(['Thanks', 'Best', 'Regards', 'Kind regards'])},\n${customer.name}`;
      const text = `${body}${signature}${prevText ? `\n\nOn ${formatRfc5322Date(prevAt)}, ${prevFrom} wrote:\n${quote(prevText)}` : ''}`;
      const id = `${key}-${i + 1}@${domain}`;
      const subject = fill(t.subject, vars);
      const raw = buildEml({
        messageId: id,
        ...(i > 0 ? { inReplyTo: ids[i - 1]!, references: [...ids] } : {}),
        from: fromAgent ? agentAddr : custAddr,
        to: fromAgent ? custAddr : agentAddr,
        ...(cc && fromAgent ? { cc: { name: cc.name, address: cc.email } } : {}),
        subject: i > 0 ? `Re: ${subject}` : subject,
        date: at,
        text,
        ...(t.attachment && i === 0 && t.opener === 'c'
          ? {
              attachments: [
                { filename: fill(t.attachment, vars), contentType: 'application/pdf', content: Buffer.from(`%PDF-1.4\n% demo attachment ${id}\n%%EOF\n`) },
              ],
            }
          : {}),
        headers: { 'X-Mailer': fromAgent ? 'Earshot demo CRM' : rng.pick(['Apple Mail (2.3731)', 'Microsoft Outlook 16.0', 'Thunderbird 128.3']) },
      });
      ids.push(id);
      messages.push({ raw, at, ...(withLink ? { sourceUrl: `https://${domain}/owa/?ItemID=${encodeURIComponent(id)}` } : {}) });
      prevText = body;
      prevFrom = fromAgent ? agent.name : customer.name;
      prevAt = at;
    }
    // Mail servers deliver out of order now and then: a reply is ingested before the message it answers.
    const order = messages.length > 1 && rng.chance(0.12) ? rng.shuffle(messages) : messages;
    const last = messages[messages.length - 1]!.at;
    const notes = decideNotes(rng.fork('notes'), {
      kind: 'email',
      angry: t.mood === 'angry',
      excellent: t.mood === 'happy',
      caseType: t.caseType,
      startedAt,
      endedAt: last,
      now: this.now,
    });
    return { kind: 'email', key, startedAt, messages: order.map(({ raw, sourceUrl }) => ({ raw, ...(sourceUrl ? { sourceUrl } : {}) })), notes };
  }
}

// Demo chats: web-chat threads from a handful of scripts (with variants) × customers × agents × topics, timed like a
// real chat (customers type slower than agents), in business hours of the agent's site.
import type { ChatInput } from '../conversations/schemas.ts';
import { decideNotes, type CaseType } from './notes.ts';
import type { Customer } from './people.ts';
import type { Rng } from './random.ts';
import type { Scheduler } from './schedule.ts';
import type { AgentRef, ConversationPlan } from './types.ts';

type Line = ['c' | 'a' | 'b', ...string[]];

interface Script {
  topic: string;
  caseType: CaseType;
  groups: Array<AgentRef['group']>;
  mood?: 'angry' | 'happy';
  lines: Line[];
}

const SCRIPTS: Script[] = [
  {
    topic: 'Question about my invoice',
    caseType: 'Billing',
    groups: ['Billing'],
    lines: [
      ['c', 'Hi, my invoice this month is {amount} higher than usual. Can you tell me why?', 'Hello, why is my bill {amount} more than last month?'],
      [
        'a',
        'Hi {first}, I am {agentFirst}. Let me look at your account, one moment please.',
        'Hello {first}, this is {agentFirst}. I am checking your invoice now.',
      ],
      ['a', 'I can see a one-off installation fee of {amount} from {date}. It will not repeat next month.'],
      ['c', 'Oh, I forgot about the technician visit. That makes sense.', 'I was never told about that fee.'],
      ['a', 'I understand. I have added a note so the next invoice shows the breakdown clearly.'],
      ['c', 'Thanks for explaining.', 'OK, thank you.'],
      ['a', 'You are welcome! Anything else I can help with today?'],
      ['c', 'No, that is all. Bye!'],
    ],
  },
  {
    topic: 'Payment failed',
    caseType: 'Billing',
    groups: ['Billing'],
    lines: [
      ['c', 'My card payment was declined but the money left my account.', 'Hello, the automatic payment failed again.'],
      ['a', 'Sorry to hear that, {first}. Could you confirm the last four digits of the card you used?'],
      ['c', 'It ends in 4242.'],
      ['a', 'Thank you. The bank returned the payment on {date}; the amount will be back on your account within three working days.'],
      ['a', 'Would you like me to send you a secure link to pay by another card?'],
      ['c', 'Yes please.', 'Yes, send the link to my email.'],
      ['a', 'Done, the link is on its way. It is valid for 24 hours.'],
      ['c', 'Got it, thanks {agentFirst}.'],
    ],
  },
  {
    topic: 'Refund request',
    caseType: 'Billing',
    groups: ['Billing', 'Customer Care'],
    mood: 'angry',
    lines: [
      ['c', 'This is the third time I am asking for my refund of {amount}. Order {order}.', 'I returned order {order} a month ago and still no refund!'],
      ['a', 'I am really sorry, {first}. Let me check order {order} right away.'],
      ['c', 'Every time I contact you I get a different answer. This is unacceptable.'],
      ['a', 'I understand your frustration. The return was received on {date} but the refund was never triggered. I am processing it now.'],
      ['c', 'When will I actually see the money?'],
      [
        'a',
        'You will receive a confirmation email within the hour and the refund in three to five working days. I have also added a goodwill credit to your account.',
      ],
      ['c', 'Fine. I hope this is the last time.', 'OK. I will check on Friday.'],
    ],
  },
  {
    topic: 'Internet keeps dropping',
    caseType: 'Technical',
    groups: ['Tech Support'],
    lines: [
      ['b', 'Hi! I am the virtual assistant. I will connect you to a technician.'],
      ['c', 'My internet keeps dropping every evening since {date}.', 'Wifi disconnects several times a day.'],
      ['a', 'Hi {first}, {agentFirst} from tech support. Is the light on your router blinking orange when it drops?'],
      ['c', 'Yes, orange and then white again after a minute.'],
      ['a', 'Thanks. I can see line errors on our side. I am running a remote line reset now, it takes about two minutes.'],
      ['a', 'Please restart the router once the light turns solid white.'],
      ['c', 'Restarted. It looks stable now.', 'OK it is back.'],
      ['a', 'Great. I will keep monitoring your line for 48 hours. If it drops again, reply here and we will send a technician.'],
      ['c', 'Thank you!'],
    ],
  },
  {
    topic: 'Password reset',
    caseType: 'Technical',
    groups: ['Tech Support', 'Customer Care'],
    lines: [
      ['c', 'I cannot log in to my account, the reset email never arrives.'],
      ['a', 'Hi {first}, let us sort that out. Which email address is on the account?'],
      ['c', 'It should be {email}.'],
      ['a', 'Found it. The reset emails were going to an old address. I have updated it and sent a new link.'],
      ['c', 'Received it, I am in. Thanks!'],
      ['a', 'Perfect. Have a good day, {first}.'],
    ],
  },
  {
    topic: 'TV box not working',
    caseType: 'Technical',
    groups: ['Tech Support'],
    mood: 'angry',
    lines: [
      ['c', 'The TV box shows error E-{code} and nothing works. I pay for this every month!'],
      ['a', 'Hi {first}, I am sorry about this. Error E-{code} usually means the box lost its activation. Can you read me the serial number under the box?'],
      ['c', 'SN {order}.'],
      ['a', 'Thank you. I have re-sent the activation. Please unplug the box for ten seconds and plug it back in.'],
      ['c', 'Still the same error.', 'It worked, finally.'],
      ['a', 'I have booked a replacement box for delivery on {date}. You can keep using the app on your phone meanwhile.'],
      ['c', 'OK.'],
    ],
  },
  {
    topic: 'Upgrade my plan',
    caseType: 'Sales',
    groups: ['Customer Care'],
    mood: 'happy',
    lines: [
      ['c', 'Hello, I would like a faster plan. What do you have?', 'Hi, is there a better offer than my current plan?'],
      ['a', 'Hi {first}! With your current usage, the Fiber 1 Gb plan would suit you, and it is only 8 more a month.'],
      ['c', 'Does it include the TV package?'],
      ['a', 'Yes, TV is included, and this month the first three months are at the same price as your current plan.'],
      ['c', 'That is a great deal, let us do it!'],
      ['a', 'Wonderful, the upgrade is done and active from tomorrow. You will get a confirmation by email.'],
      ['c', 'Thanks {agentFirst}, very helpful!'],
    ],
  },
  {
    topic: 'Cancel my subscription',
    caseType: 'Cancellation',
    groups: ['Customer Care'],
    lines: [
      ['c', 'I want to cancel my subscription. I found a cheaper offer elsewhere.'],
      ['a', 'I am sorry to hear that, {first}. May I ask what price you were offered?'],
      ['c', 'About 10 less per month.'],
      ['a', 'I can match that with our loyalty discount and keep your current speed and TV channels.'],
      ['c', 'Hmm. OK, if it is really the same price I will stay.', 'No thanks, please just cancel it.'],
      ['a', 'Understood. I have made the change; you will receive the confirmation by email.'],
    ],
  },
  {
    topic: 'Where is my order?',
    caseType: 'General inquiry',
    groups: ['Customer Care', 'Billing'],
    lines: [
      ['c', 'Hi, my order {order} was supposed to arrive on {date}. Any news?'],
      ['a', 'Hi {first}, let me check the tracking for {order}.'],
      ['a', 'The parcel is at the local depot and is scheduled for delivery tomorrow before noon.'],
      ['c', 'Great, thank you.'],
    ],
  },
  {
    topic: 'Moving house',
    caseType: 'General inquiry',
    groups: ['Customer Care'],
    lines: [
      ['c', 'I am moving on {date}. Can I take my contract to the new address?'],
      ['a', 'Of course, {first}. Could you send me the new address?'],
      ['c', '12 Rue des Lilas, second floor.', '48 Maple Street, apartment 3B.'],
      ['a', 'Thanks. Service is available there. I have scheduled the switch for {date}; a technician will call you the day before.'],
      ['c', 'Perfect, thanks for the quick help!'],
    ],
  },
  {
    topic: 'Roaming charges',
    caseType: 'Complaint',
    groups: ['Billing', 'Customer Care'],
    mood: 'angry',
    lines: [
      ['c', 'I was charged {amount} for roaming although I have the travel option!'],
      ['a', 'Hello {first}, I am sorry about that. Which country were you in?'],
      ['c', 'Switzerland, for a weekend.'],
      ['a', 'I see: Switzerland is not in the EU zone of the travel option. I can still refund half of the charges as a goodwill gesture.'],
      ['c', 'Nobody told me that. I want the full amount back.'],
      ['a', 'I have asked my supervisor for a full refund; you will have an answer by email within 24 hours.'],
    ],
  },
  {
    topic: 'Thank you',
    caseType: 'General inquiry',
    groups: ['Tech Support', 'Customer Care'],
    mood: 'happy',
    lines: [
      ['c', 'Just wanted to say the technician yesterday was excellent. Everything works perfectly now.'],
      ['a', 'Thank you so much for letting us know, {first}! I will pass it on to the team.'],
      ['c', 'Have a nice day!'],
    ],
  },
];

const fill = (text: string, vars: Record<string, string>) => text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

export class ChatPlanner {
  private seq = 0;

  constructor(
    private readonly agents: AgentRef[],
    private readonly customers: Customer[],
    private readonly scheduler: Scheduler,
    private readonly now: Date,
  ) {}

  plan(rng: Rng, count: number): ConversationPlan[] {
    const out: ConversationPlan[] = [];
    for (let i = 0; i < count; i++) out.push(this.one(rng.fork(`chat-${i}`)));
    return out;
  }

  private one(rng: Rng): ConversationPlan {
    this.seq++;
    const script = rng.pick(SCRIPTS);
    const pool = this.agents.filter((a) => script.groups.includes(a.group));
    const agent = rng.weighted(pool.map((a) => [a, a.load] as const));
    const local = this.customers.filter((c) => c.site === agent.site);
    const customer = rng.pick(local);
    const amount = agent.site === 'Paris' ? `${rng.int(12, 180)} €` : `$${rng.int(12, 180)}`;
    const vars: Record<string, string> = {
      first: customer.name.split(' ')[0]!,
      agentFirst: agent.name.split(' ')[0]!,
      amount,
      order: `${rng.pick(['A', 'B', 'K'])}${rng.digits(7)}`,
      code: rng.digits(3),
      email: customer.email,
      date: '',
    };
    // Lines with several variants pick one; a line is sometimes left out, never the first two.
    const lines = script.lines.filter((_, i) => i < 2 || rng.chance(0.9));
    // Now and then the agent opens the chat from the page the customer is stuck on.
    const proactive = rng.chance(0.06);
    if (proactive) lines.unshift(['a', 'Hi {first}, I am {agentFirst}. I see you are on our help pages; can I help with anything?']);
    let t = 0;
    const timed: Array<{ who: Line[0]; text: string; at: number }> = [];
    for (const [who, ...variants] of lines) {
      t += who === 'c' ? rng.between(15, 75) : who === 'a' ? rng.between(8, 45) : 1;
      timed.push({ who, text: rng.pick(variants), at: t * 1000 });
    }
    const durationMs = timed[timed.length - 1]!.at;
    const startedAt = this.scheduler.businessTime(rng, agent.timeZone, durationMs);
    vars.date = new Date(startedAt.getTime() + rng.int(-12, 12) * 86_400_000).toLocaleDateString('en-GB', { day: 'numeric', month: 'long' });
    const chatId = `demo-chat-${String(this.seq).padStart(5, '0')}`;
    const input: ChatInput = {
      chatId,
      roomName: script.topic,
      queue: `Chat – ${agent.group}`,
      participants: [
        { key: 'customer', role: 'customer', name: customer.name, email: customer.email },
        { key: 'agent', role: 'agent', email: agent.email },
        ...(timed.some((m) => m.who === 'b') ? [{ key: 'bot', role: 'other' as const, name: 'Virtual assistant' }] : []),
      ],
      messages: timed.map((m) => ({
        sender: m.who === 'c' ? 'customer' : m.who === 'a' ? 'agent' : 'bot',
        at: new Date(startedAt.getTime() + m.at).toISOString(),
        text: fill(m.text, vars),
      })),
      customData: {
        Channel: rng.weighted([
          ['Web chat', 6],
          ['Mobile app', 3],
          ['WhatsApp', 2],
        ]),
        Page: rng.pick(['/account', '/billing', '/support', '/offers', '/contact']),
      },
    };
    const notes = decideNotes(rng.fork('notes'), {
      kind: 'chat',
      angry: script.mood === 'angry',
      excellent: script.mood === 'happy',
      caseType: script.caseType,
      startedAt,
      endedAt: new Date(startedAt.getTime() + durationMs),
      now: this.now,
    });
    return { kind: 'chat', key: chatId, startedAt, input, notes };
  }
}

// The language of the generated conversations: contact-center phrase templates per topic, and word lists that fill
// their slots and the "chatter" sentences. Lists are ordered roughly by how common a word is; the generator samples
// them with a Zipf distribution, so the whole corpus has a few thousand distinct words with a Zipfian spread.
//
// Template syntax: words separated by single spaces; `{slot}` takes a word (or a generated token) from the slot list
// of that name; punctuation (, . ? !) sticks to the word before it. Apostrophes are ASCII.

const w = (s: string) => s.trim().split(/\s+/);

export const FIRST_NAMES = w(`
  James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica Thomas
  Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly
  Paul Emily Andrew Donna Joshua Michelle Kenneth Dorothy Kevin Carol Brian Amanda George Melissa Edward Deborah Ronald
  Stephanie Timothy Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Shirley Eric Angela
  Jonathan Helen Stephen Anna Larry Brenda Justin Pamela Scott Nicole Brandon Emma Benjamin Samantha Samuel Katherine Gregory
  Christine Frank Debra Alexander Rachel Raymond Catherine Patrick Carolyn Jack Janet Dennis Ruth Jerry Maria Tyler Heather
  Aaron Diane Jose Virginia Adam Julie Henry Joyce Nathan Victoria Douglas Olivia Zachary Kelly Peter Christina Kyle Lauren
  Walter Joan Ethan Evelyn Jeremy Judith Harold Megan Keith Cheryl Christian Andrea Roger Hannah Noah Martha Gerald Jacqueline
  Carl Frances Terry Gloria Sean Ann Austin Teresa Arthur Kathryn Lawrence Sara Jesse Janice Dylan Jean Bryan Alice Joe
  Madison Jordan Doris Billy Abigail Bruce Julia Albert Judy Willie Grace Gabriel Denise Logan Amber Alan Marilyn Juan Beverly
  Wayne Danielle Roy Theresa Ralph Sophia Randy Marie Eugene Diana Vincent Brittany Russell Natalie Elijah Isabella Louis Charlotte
  Bobby Rose Philip Alexis Johnny Kayla Camille Jamie Priya Rahul Mohammed Fatima Ahmed Aisha Wei Mei Hiroshi Yuki Pierre Sophie
  Luca Giulia Hans Greta Pedro Lucia Diego Carmen Olga Ivan Miguel Ana Nikhil Ananya Kwame Amara Liam Chloe Oliver Amelia Harry Isla
`);

export const LAST_NAMES = w(`
  Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor
  Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott
  Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner
  Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey
  Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez
  Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes
  Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole
  Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald
  Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon
  Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren
  Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins
  Dubois Moreau Laurent Lefebvre Rossi Russo Ferrari Mueller Schneider Fischer Weber Kowalski Nowak Novak Ivanov Petrov Santos
  Reyes Bautista Mendoza Tanaka Suzuki Sato Wang Li Zhang Liu Singh Kumar Sharma Gupta Khan Ali Hussain Okafor Mensah Osei
`);

export const CITIES = w(`
  London Manchester Birmingham Leeds Glasgow Liverpool Bristol Sheffield Edinburgh Leicester Coventry Cardiff Belfast Nottingham
  Newcastle Brighton Southampton Portsmouth Oxford Cambridge Reading York Bath Exeter Norwich Plymouth Aberdeen Dundee Swansea
  Paris Lyon Marseille Toulouse Nice Nantes Bordeaux Lille Strasbourg Montpellier Rennes Grenoble Dijon Angers Reims Toulon
  Boston Chicago Houston Phoenix Philadelphia Dallas Austin Denver Seattle Atlanta Miami Orlando Portland Detroit Nashville
  Baltimore Milwaukee Sacramento Pittsburgh Cincinnati Cleveland Tampa Charlotte Columbus Indianapolis Memphis Louisville
  Manila Cebu Davao Quezon Makati Taguig Pasig Baguio Iloilo Bacolod Dublin Madrid Barcelona Berlin Munich Hamburg Amsterdam
  Rotterdam Brussels Antwerp Lisbon Porto Rome Milan Turin Vienna Zurich Geneva Prague Warsaw Krakow Stockholm Oslo Copenhagen
`);

export const MONTHS = w('January February March April May June July August September October November December');
export const DAYS = w('Monday Tuesday Wednesday Thursday Friday Saturday Sunday');

export const PLANS = w(`
  Basic Standard Premium Family Unlimited Business Starter Plus Pro Essential Advanced Ultimate Gold Silver Platinum Fibre
  Max Lite Flex Student Senior Value Select Complete
`);

export const DEVICES = w(`
  router modem phone laptop tablet television box remote handset charger SIM card smartwatch speaker camera printer console
  decoder antenna extender adapter headset tablet computer
`);

export const PRODUCTS = w(`
  broadband internet mobile landline TV streaming insurance mortgage loan account subscription membership package bundle
  contract policy warranty service plan line card credit savings pension delivery order parcel
`);

export const DOMAINS = w(`
  gmail.com yahoo.com hotmail.com outlook.com icloud.com aol.com live.com btinternet.com orange.fr free.fr sky.com proton.me
  mail.com gmx.de web.de yahoo.co.uk hotmail.co.uk comcast.net verizon.net att.net
`);

export const COMPANY = 'Northwind';

// ---- general vocabulary for chatter sentences (roughly by frequency) -----------------------------------------------

export const NOUNS = w(`
  time day week month year way thing people man woman child family friend home house place problem issue question answer
  money bill payment price cost fee charge amount number account name address email phone call message letter system service
  company business customer manager team office work job end start side part case point fact reason result idea kind sort
  information detail record note reference date hour minute moment morning afternoon evening night weekend holiday
  internet connection signal network speed router line cable box device screen button light setting password code pin
  order parcel package delivery item product box shop store website app page link form document file copy statement invoice
  contract plan offer deal discount rate level upgrade option change mistake error fault repair engineer technician visit
  appointment slot window update text confirmation receipt refund credit balance debit transfer bank card direct
  courier driver van warehouse stock return label tracking collection neighbour door street road town city area postcode
  country region world car water gas electricity meter reading energy heating boiler tariff usage supply power outage
  insurance policy claim cover premium excess accident damage repair quote renewal loan mortgage interest term deposit
  lady gentleman sir madam colleague supervisor department branch store centre support desk queue hold line transfer
  weather rain snow sun traffic school kids wife husband son daughter mother father brother sister neighbour dog cat
  birthday wedding trip travel flight hotel booking ticket seat bag luggage airport train station bus taxi journey
  computer laptop tablet television speaker camera printer keyboard mouse battery charger cable plug socket wall room
  kitchen garden office window door floor stairs roof garage driveway gate key lock alarm sensor camera doorbell
  voucher coupon gift reward point loyalty membership subscription renewal cancellation notice period fee penalty
  complaint feedback survey review rating experience satisfaction apology compensation gesture goodwill escalation
  verification identity security question answer birth postcode surname initial digit character letter symbol
  minute second fortnight quarter season spring summer autumn winter lunch dinner breakfast coffee tea sandwich
  paperwork signature photo scan attachment screenshot spreadsheet report summary agenda meeting schedule calendar
  reminder alert notification setting preference profile login username portal dashboard menu tab section field
  warranty guarantee manual instruction guide step process procedure policy rule law regulation right responsibility
  firmware software version patch bug crash freeze reboot restart reset factory mode wifi bluetooth antenna frequency
  channel package sport movie series episode recording subscription box remote guide voice command assistant
  bank branch cheque overdraft limit statement transaction merchant retailer purchase sale trial period cooling
  difference situation opportunity decision conversation discussion explanation understanding patience help support
`);

export const VERBS = w(`
  check call send pay help need want know think see look find give take make get go come tell ask say try use work
  understand explain confirm verify update change cancel close open move start stop fix repair replace return order
  deliver receive arrive collect track wait hold transfer connect disconnect restart reset install set book schedule
  arrange contact email text write read sign scan upload download print charge refund credit debit owe cost save
  keep leave stay miss lose forget remember notice mention expect hope happen feel seem sound appear manage handle
  sort solve resolve escalate report complain apologise recommend suggest offer accept decline agree disagree choose
  decide prefer like love hate mind bother worry follow continue finish complete process review investigate look
  compare switch upgrade downgrade renew extend reduce increase add remove include apply qualify register activate
  deactivate block unlock lock log enter type press click tap select scroll search browse stream watch listen play
  drive travel fly visit live buy sell spend earn borrow lend rent own share split cover protect damage break drop
  plug unplug charge power boot load save delete recover backup sync pair unpair reconnect test measure read note
`);

export const ADJECTIVES = w(`
  good new first last long great little own other old right big high different small large next early young important
  few public bad same able free sure clear full special easy hard late low possible simple available current monthly
  annual weekly daily previous original final correct wrong incorrect extra additional direct automatic manual online
  local national international standard basic premium cheap expensive fast slow quick busy quiet happy sorry unhappy
  disappointed frustrated annoyed confused worried pleased grateful helpful polite rude patient urgent serious minor
  major main total partial recent pending outstanding overdue due paid unpaid active inactive broken faulty damaged
  missing lost delayed late wrong strange unusual normal regular fixed variable flexible reliable unreliable stable
  unstable strong weak loud intermittent constant entire whole half double single separate joint personal private
  secure safe unsafe valid invalid expired blocked locked unlocked registered unregistered existing returning loyal
  fair unfair reasonable unreasonable ridiculous acceptable unacceptable fine perfect brilliant lovely wonderful terrible
`);

export const ADVERBS = w(`
  really just actually already still also never always again probably definitely certainly maybe perhaps usually
  recently quickly slowly immediately eventually finally apparently honestly basically literally completely exactly
  unfortunately hopefully obviously clearly simply properly directly currently previously automatically manually
  today tomorrow yesterday tonight soon later now earlier online twice
`);

// ---- phrase templates ---------------------------------------------------------------------------------------------

export type Topic = 'billing' | 'internet' | 'cancel' | 'sales' | 'order' | 'account' | 'refund' | 'general';

/** Topic weights of the main topic of a conversation. */
export const TOPIC_WEIGHTS: Array<[Topic, number]> = [
  ['billing', 0.26],
  ['internet', 0.2],
  ['cancel', 0.08],
  ['sales', 0.1],
  ['order', 0.12],
  ['account', 0.11],
  ['refund', 0.07],
  ['general', 0.06],
];

export interface TopicTemplates {
  customer: string[];
  agent: string[];
}

export const TOPICS: Record<Topic, TopicTemplates> = {
  billing: {
    customer: [
      'Hi, I have a question about my bill.',
      'My bill is much higher than last month.',
      'I was charged twice for {month}.',
      "There is a charge of {amount} on my bill that I don't recognise.",
      'I think there is a billing error on my account.',
      'Can you explain the billing on my account please?',
      'I have a problem with my bill for {month}.',
      "The billing date changed and I wasn't told.",
      'Why am I paying {amount} a month now?',
      "I'd like to change my billing address to {city}.",
      "There's an issue with my direct debit, it was taken twice.",
      'I never agreed to pay {amount} for the {plan} plan.',
      'Can I get an itemised bill sent to my email?',
      'My last bill says {amount} but the app says {amount}.',
      'I keep getting billing emails for an account I closed.',
      'The late payment fee is not fair, I paid on {day}.',
      'Is the billing issue going to be fixed this month?',
    ],
    agent: [
      'Let me pull up your billing details.',
      'I can see the charge of {amount} on your bill from {month}.',
      'The billing cycle runs from the first to the last day of the month.',
      'That charge is for the {plan} plan you added in {month}.',
      "I've raised a billing query and you'll hear back within five working days.",
      'I can see why your bill went up, the promotional discount ended in {month}.',
      "I'll apply a credit of {amount} to your next bill.",
      'Your next bill will be {amount} and it will be taken on {day}.',
      "I'm sorry about the billing problem, I'll sort that out for you now.",
      'Would you like to switch to paperless billing?',
      "I've updated the billing address on the account.",
    ],
  },
  internet: {
    customer: [
      'My internet keeps dropping every evening.',
      'I have no internet connection since {day}.',
      "The internet is really slow, I'm paying for {plan} speeds.",
      'The router light is flashing red.',
      "I have a problem with my {device}, it won't connect.",
      'The wifi signal is weak upstairs.',
      "There's an issue with the connection, it cuts out every few minutes.",
      "I've restarted the router three times and it still doesn't work.",
      "The technician didn't show up on {day}.",
      'I work from home and this problem is costing me money.',
      'Is there an outage in {city}?',
      'The TV box keeps freezing when I watch anything.',
    ],
    agent: [
      'Let me run a line test on your connection.',
      'Can you unplug the router for thirty seconds and plug it back in?',
      'I can see an outage in your area, our engineers are working on it.',
      "I've booked a technician visit for {day} between {time} and {time}.",
      'The line test shows a fault outside your property.',
      'Could you tell me what the lights on the {device} are doing?',
      "I'll send you a new router, it should arrive within two working days.",
      'Your speeds look normal from our side now.',
      "I've reset the connection from our end, can you try again?",
      'Is the {device} plugged directly into the main socket?',
    ],
  },
  cancel: {
    customer: [
      'I want to cancel my subscription.',
      "I'd like to cancel my subscription please.",
      'Please cancel my subscription from the end of the month.',
      "I'm calling to cancel my contract, I'm moving to {city}.",
      "I want to cancel my {product} because it's too expensive.",
      'How do I cancel my subscription online?',
      "I'm not interested in any offers, I just want to cancel.",
      "I found a better deal elsewhere so I'd like to leave.",
      'What is the cancellation fee if I leave now?',
      'I asked to cancel my subscription last month and I was still charged.',
    ],
    agent: [
      "I'm sorry to hear you want to leave, may I ask why?",
      'Before you cancel, I can offer you the {plan} plan for {amount} a month.',
      'Your contract ends in {month}, so there is an early cancellation fee of {amount}.',
      "I've processed the cancellation, you'll receive a confirmation email.",
      'Would you be interested in a discount to stay with us?',
      'There is a thirty day notice period for cancellations.',
      'I can cancel your subscription today, it will end on {day}.',
    ],
  },
  sales: {
    customer: [
      "I'm interested in the {plan} plan.",
      "I'm interested in upgrading my {product}.",
      'Do you have any offers for existing customers?',
      'What would it cost to add {product} to my package?',
      'I saw an advert for {amount} a month, can I get that?',
      "I'm not interested in a new contract right now.",
      'Is the {plan} plan available in {city}?',
      'Can I add another line for my daughter?',
    ],
    agent: [
      'Are you interested in hearing about our {plan} plan?',
      'The {plan} plan is {amount} a month on a twelve month contract.',
      'As a loyal customer you qualify for a discount of {amount}.',
      'I can upgrade you today and the new price starts from your next bill.',
      'Would you be interested in adding {product} for just {amount} more?',
      'That offer is only available to new customers, unfortunately.',
      "I'll send you a summary of the offer by email.",
    ],
  },
  order: {
    customer: [
      "My order {order} hasn't arrived yet.",
      "I ordered a {device} on {day} and it still hasn't been delivered.",
      "The tracking number doesn't work.",
      "The parcel was left with a neighbour and now it's missing.",
      'I received the wrong item in my order.',
      'The {device} arrived damaged, the box was crushed.',
      "I'd like to return the {device}, how do I do that?",
      'Can I change the delivery address to {city}?',
      'The courier said they tried to deliver but nobody knocked.',
    ],
    agent: [
      'Can I have your order number please?',
      'I can see order {order} is with the courier and due on {day}.',
      "I've arranged a replacement, it will be dispatched today.",
      "I'll email you a returns label for the {device}.",
      "The delivery was delayed at the warehouse, I'm sorry about that.",
      "I've opened an investigation with the courier, reference {ticket}.",
      "Once we receive the return we'll process it within five days.",
    ],
  },
  account: {
    customer: [
      "I can't log in to my account.",
      'I forgot my password and the reset email never arrives.',
      "I'd like to update my email address to {email} please.",
      'Someone changed the details on my account without my permission.',
      'I want to add my husband to the account.',
      'The app says my account is locked.',
      'I need to change the phone number on my account.',
      'I have an issue with the two step verification code.',
    ],
    agent: [
      'For security, can you confirm your date of birth and postcode?',
      'I just need to verify your identity before I can make changes.',
      "I've sent a password reset link to your email address.",
      "Your account was locked after too many attempts, I've unlocked it now.",
      "I've updated the email address on the account to {email}.",
      'Can you confirm the first line of your address?',
      'Your reference number for this call is {ticket}.',
    ],
  },
  refund: {
    customer: [
      'I want a refund for the {device}.',
      'I was promised a refund of {amount} and it never came.',
      'When will I get my refund?',
      "I'm still waiting for the refund from {month}.",
      "I'd like to make a complaint about the service.",
      'I want to speak to a manager about this problem.',
      "This is the third time I'm calling about the same issue.",
      "If this isn't resolved I will take it further.",
      "I've been a customer for ten years and this is unacceptable.",
    ],
    agent: [
      "I've requested a refund of {amount}, it will take three to five working days.",
      'I can see the refund was processed on {day}.',
      "I'm really sorry for the trouble, I've logged a formal complaint, reference {ticket}.",
      "I'll escalate this to my manager and they will call you back.",
      "As a goodwill gesture I've added a credit of {amount} to your account.",
      'The refund will go back to the card you paid with.',
    ],
  },
  general: {
    customer: [
      'I just wanted to check something on my account.',
      'Can you tell me when my contract ends?',
      'I moved house and need to update my address.',
      'What are your opening hours on {day}?',
      "I got a letter from you and I don't understand it.",
      'Do you have a store in {city}?',
    ],
    agent: [
      'Your contract ends in {month}.',
      "We're open from eight until eight, Monday to Saturday.",
      "I've updated your address, you'll get a confirmation letter.",
      'Is there anything else I can help you with today?',
      "I'll make a note of that on your account.",
    ],
  },
};

export const AGENT_GREETINGS = [
  'Thank you for calling {company}, my name is {agent}, how can I help you today?',
  "Good morning, you're through to {company}, {agent} speaking.",
  'Good afternoon, {company} customer service, this is {agent}, how can I help?',
  "Hello, thanks for calling {company}, you're speaking with {agent}.",
];

export const CUSTOMER_OPENERS = [
  'Hi, my name is {first} {last}.',
  'Hello, yes, this is {first} {last}.',
  "Hi there, I'm calling about my account.",
  'Hello, I hope you can help me.',
  "Hi, it's {first} {last} here.",
];

export const AGENT_ACKS = [
  'Okay, no problem.',
  'I understand, let me have a look.',
  'Sure, bear with me one moment.',
  'Thank you for your patience.',
  "I'm sorry about that.",
  'Let me check that for you.',
  'Can I put you on hold for a moment?',
  'Thanks for waiting.',
  'That makes sense.',
  'I can certainly help with that.',
  'Can I take your account number please?',
  'Could you confirm your postcode please?',
  "Just to confirm, that's {first} {last}?",
];

export const CUSTOMER_ACKS = [
  'Okay.',
  'Yes.',
  "Yeah, that's right.",
  'Okay, thank you.',
  "No, that's it.",
  'Sure.',
  'Right.',
  'Yes please.',
  "It's {postcode}.",
  'My account number is {account}.',
  "That's fine.",
  'I see.',
  'Okay, great.',
  'Hmm, okay.',
];

export const CLOSINGS_AGENT = [
  'Is there anything else I can help you with today?',
  'Thank you for calling {company}, have a lovely day.',
  "You'll get a text with the details shortly.",
  'Thanks for your patience today, goodbye.',
];

export const CLOSINGS_CUSTOMER = ["No, that's everything, thanks.", "That's all, thank you.", 'Thanks for your help, bye.', 'Great, thanks, bye.'];

/** Chatter: a grammar over the general vocabulary (slots noun, verb, adj, adv, det, pron, prep). */
export const CHATTER = [
  '{pron} {verb} the {noun} {adv}.',
  '{pron} {adv} {verb} the {adj} {noun}.',
  'the {noun} was {adj} and the {noun} was {adj}.',
  '{pron} need to {verb} the {noun} {prep} the {noun}.',
  'did you {verb} the {noun}?',
  'so {pron} {verb} the {noun} {prep} {day}.',
  "it's {adj}, the {noun} is {adv} {adj}.",
  '{pron} will {verb} the {adj} {noun} {adv}.',
  'can you {verb} my {noun} {prep} the {noun}?',
  'the {adj} {noun} {prep} my {noun} is {adj}.',
  '{pron} tried to {verb} it but the {noun} was {adj}.',
  'my {noun} said the {noun} would be {adj}.',
];

export const PRONOUNS = w('I we you they he she');
export const PREPOSITIONS = w('with for on in at from about after before to by under over');

export const CHAT_OPENERS = ['Hi', 'Hello', 'Hi there', 'Good morning', 'Hey'];
export const EMAIL_SUBJECTS = [
  'Question about my bill',
  'Billing problem',
  'Refund request',
  'Order {order}',
  'Cancel my subscription',
  'Complaint',
  'Internet not working',
  'Account locked',
  'Change of address',
  'Re: your order {order}',
  'Re: billing query {ticket}',
  'Re: complaint reference {ticket}',
  'Upgrade enquiry',
  'Missing parcel',
  'Fwd: invoice {month}',
];
export const TAG_COMMENTS = [
  'Customer asked for a call back',
  'Good example of de-escalation',
  'Agent did not verify identity',
  'Follow up on refund',
  'Escalated to billing team',
  'Use in training next week',
  'Possible mis-selling, check',
  'Customer very happy with the outcome',
];

/** The rare word (about one conversation in 10,000). */
export const RARE_SENTENCES = ['If this is not sorted I will go to the ombudsman.', "I've already written to the ombudsman about this."];
export const RARE_TERM = 'ombudsman';

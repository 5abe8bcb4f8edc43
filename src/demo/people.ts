// The people of the demo: the agents (beyond the demo logins) and a pool of made-up customers with fictional phone
// numbers (+1 NPA 555-01xx, reserved for fiction, and the ARCEP fiction ranges +33 1 99 00 / +33 6 39 98).
import type { Rng } from './random.ts';

export interface DemoAgentSeed {
  email: string;
  name: string;
  group: 'Customer Care' | 'Billing' | 'Tech Support';
  site: 'Paris' | 'New York';
  extension: string;
  /** Relative share of the traffic. */
  load: number;
}

/** Every agent of the demo, the two demo logins first (their rows come from DEMO_USERS; listed here for the traffic). */
export const DEMO_AGENTS: readonly DemoAgentSeed[] = [
  { email: 'agent@demo.earshot.local', name: 'Alex Agent', group: 'Billing', site: 'Paris', extension: '1001', load: 1.6 },
  { email: 'agent2@demo.earshot.local', name: 'Sam Support', group: 'Tech Support', site: 'New York', extension: '2001', load: 1.6 },
  { email: 'lea.martin@demo.earshot.local', name: 'Léa Martin', group: 'Billing', site: 'Paris', extension: '1002', load: 1 },
  { email: 'hugo.bernard@demo.earshot.local', name: 'Hugo Bernard', group: 'Billing', site: 'Paris', extension: '1003', load: 0.8 },
  { email: 'ines.moreau@demo.earshot.local', name: 'Inès Moreau', group: 'Customer Care', site: 'Paris', extension: '1101', load: 1 },
  { email: 'julien.laurent@demo.earshot.local', name: 'Julien Laurent', group: 'Customer Care', site: 'Paris', extension: '1102', load: 0.9 },
  { email: 'camille.dubois@demo.earshot.local', name: 'Camille Dubois', group: 'Customer Care', site: 'Paris', extension: '1103', load: 0.7 },
  { email: 'jordan.miller@demo.earshot.local', name: 'Jordan Miller', group: 'Tech Support', site: 'New York', extension: '2002', load: 1 },
  { email: 'priya.patel@demo.earshot.local', name: 'Priya Patel', group: 'Tech Support', site: 'New York', extension: '2003', load: 1 },
  { email: 'marcus.reed@demo.earshot.local', name: 'Marcus Reed', group: 'Tech Support', site: 'New York', extension: '2004', load: 0.9 },
  { email: 'emily.chen@demo.earshot.local', name: 'Emily Chen', group: 'Tech Support', site: 'New York', extension: '2005', load: 0.8 },
  { email: 'daniel.brooks@demo.earshot.local', name: 'Daniel Brooks', group: 'Tech Support', site: 'New York', extension: '2006', load: 0.6 },
];

/** Extensions the PBX reports that belong to no user (a new hire not set up yet, a hot desk, a supervisor phone). */
export const UNKNOWN_EXTENSIONS = ['1099', '1999', '2099', '2999', '3001'];

export const SITE_TIME_ZONES: Record<DemoAgentSeed['site'], string> = { Paris: 'Europe/Paris', 'New York': 'America/New_York' };

export interface Customer {
  name: string;
  phone: string;
  email: string;
  /** The site whose customers these are mostly. */
  site: DemoAgentSeed['site'];
}

const FR_FIRST = [
  'Marie',
  'Thomas',
  'Claire',
  'Nicolas',
  'Sophie',
  'Antoine',
  'Julie',
  'Pierre',
  'Manon',
  'Lucas',
  'Chloé',
  'Maxime',
  'Élodie',
  'Romain',
  'Sarah',
  'Mathieu',
  'Laura',
  'Olivier',
  'Pauline',
  'Guillaume',
  'Anaïs',
  'François',
  'Émilie',
  'Benoît',
];
const FR_LAST = [
  'Lefebvre',
  'Rousseau',
  'Fontaine',
  'Chevalier',
  'Girard',
  'Lambert',
  'Bonnet',
  'Mercier',
  'Faure',
  'Blanc',
  'Guérin',
  'Muller',
  'Henry',
  'Roussel',
  'Perrin',
  'Morin',
  'Mathieu',
  'Clément',
  'Gauthier',
  'Dumont',
  'Lopez',
  'Roux',
];
const US_FIRST = [
  'James',
  'Emma',
  'Michael',
  'Olivia',
  'Robert',
  'Ava',
  'William',
  'Isabella',
  'David',
  'Mia',
  'Richard',
  'Charlotte',
  'Joseph',
  'Amelia',
  'Thomas',
  'Harper',
  'Christopher',
  'Evelyn',
  'Daniel',
  'Abigail',
  'Matthew',
  'Grace',
  'Anthony',
  'Chloe',
];
const US_LAST = [
  'Walker',
  'Johnson',
  'Williams',
  'Brown',
  'Davis',
  'Garcia',
  'Rodriguez',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Thompson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Robinson',
  'Young',
];
const US_AREAS = ['212', '646', '718', '917', '201', '973', '617', '215', '312', '415'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'inbox.example'];

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** A fixed pool of customers, some of whom will call, chat and write more than once. */
export function customerPool(rng: Rng, perSite = 180): Customer[] {
  const out: Customer[] = [];
  const seen = new Set<string>();
  const make = (site: Customer['site']) => {
    for (let tries = 0; tries < 50; tries++) {
      const fr = site === 'Paris' ? rng.chance(0.85) : rng.chance(0.04);
      const first = rng.pick(fr ? FR_FIRST : US_FIRST);
      const last = rng.pick(fr ? FR_LAST : US_LAST);
      const name = `${first} ${last}`;
      const phone = fr
        ? rng.chance(0.7)
          ? `+33 6 39 98 ${rng.digits(2)} ${rng.digits(2)}`
          : `+33 1 99 00 ${rng.digits(2)} ${rng.digits(2)}`
        : `+1 ${rng.pick(US_AREAS)} 555 01${rng.digits(2)}`;
      const style = rng.int(0, 2);
      const local = style === 0 ? `${ascii(first)}.${ascii(last)}` : style === 1 ? `${ascii(first)[0]}${ascii(last)}` : `${ascii(first)}${rng.digits(2)}`;
      const email = `${local.replace(/[^a-z0-9.]/g, '')}@${rng.pick(DOMAINS)}`;
      if (seen.has(name) || seen.has(phone) || seen.has(email)) continue;
      seen.add(name).add(phone).add(email);
      out.push({ name, phone, email, site });
      return;
    }
  };
  for (let i = 0; i < perSite; i++) {
    make('Paris');
    make('New York');
  }
  return out;
}

import type { Random } from '../core/random.js';
import type { SeedNumber, World } from '../seed/world.js';
import {
  RINGCX_PROVIDER,
  type AccountData,
  type ExtensionRecord,
  type ExtensionStatus,
  type ExtensionType,
  type ForwardingNumberRecord,
  type NumberType,
  type PhoneNumberRecord,
} from './model.js';

/** The app credentials a client needs; `jwt` is the user's JWT credential. */
export interface RingCentralCredentials {
  clientId: string;
  clientSecret: string;
  jwt: string;
}

export interface RingCentralSeed {
  credentials: RingCentralCredentials;
  /** The extension the JWT credential belongs to: every token is issued for it. */
  ownerId: string;
  data: AccountData;
}

const FIRST_NAMES = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Mateo', 'Sophia', 'Lucas', 'Isabella', 'Ethan', 'Mia', 'James',
  'Amelia', 'Benjamin', 'Harper', 'Elijah', 'Evelyn', 'Daniel', 'Abigail', 'Henry', 'Priya', 'Arjun', 'Mei',
  'Hiroshi', 'Fatima', 'Omar', 'Chloe', 'Samuel', 'Grace', 'David', 'Zoe', 'Gabriel', 'Nora', 'Julian',
  'Leah', 'Aaron', 'Ines', 'Diego', 'Hannah', 'Kwame', 'Aisha', 'Connor', 'Sienna', 'Tomasz', 'Freya',
  'Rafael', 'Yuki', 'Marcus', 'Elena', 'Victor',
];
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson',
  'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott',
  'Nguyen', 'Patel', 'Kim', 'Chen', 'Okafor', 'Kowalski', 'Schmidt', 'Rossi', 'Dubois', 'Tanaka', 'Singh',
  'Murphy', "O'Brien", 'Fischer', 'Haddad', 'Silva', 'Novak', 'Andersen',
];
const DEPARTMENTS: [string, string[]][] = [
  ['Sales', ['Account Executive', 'Sales Development Rep', 'Sales Manager']],
  ['Support', ['Support Specialist', 'Support Engineer', 'Support Team Lead']],
  ['Billing', ['Billing Specialist', 'Accounts Receivable Clerk']],
  ['Engineering', ['Software Engineer', 'Site Reliability Engineer', 'Engineering Manager']],
  ['Marketing', ['Marketing Manager', 'Content Strategist']],
  ['Operations', ['Operations Coordinator', 'Dispatcher', 'Warehouse Supervisor']],
  ['Finance', ['Financial Analyst', 'Controller']],
  ['Human Resources', ['HR Business Partner', 'Recruiter']],
  ['Legal', ['Counsel', 'Paralegal']],
];
const COMPANIES = ['Northwind Logistics', 'Bluebird Health Partners', 'Summit Ridge Realty', 'Harbor & Pine Outfitters'];
const QUEUE_NAMES = [
  'Sales Queue', 'Customer Support', 'Billing Queue', 'Technical Support', 'Returns & Exchanges', 'Dispatch',
  'Partner Desk', 'VIP Support', 'Spanish Support', 'Escalations', 'Onboarding', 'Collections',
];
const IVR_NAMES = ['Main Auto-Receptionist', 'After Hours Menu', 'Spanish Language Menu', 'Holiday Menu', 'Billing Menu'];
const OTHER_NAMES: Partial<Record<ExtensionType, string[]>> = {
  Announcement: ['Holiday Closure Announcement', 'Severe Weather Announcement', 'Office Move Announcement'],
  Voicemail: ['General Voicemail', 'Billing Voicemail', 'Careers Voicemail'],
  ParkLocation: ['Front Desk Park', 'Warehouse Park', 'Executive Park'],
  ApplicationExtension: ['AI Receptionist Bridge', 'Helpdesk Voice Bridge'],
  SharedLinesGroup: ['Reception Shared Lines', 'Showroom Shared Lines'],
  PagingOnly: ['Warehouse Paging', 'Office Overhead Paging'],
  GroupCallPickup: ['Front Desk Pickup', 'Support Floor Pickup'],
};
const COMPANY_LABELS = ['Sales Hotline', 'Support Line', 'Billing Line', 'Marketing Campaign', 'Partner Line', 'Recruiting Line'];

/**
 * Builds the RingCentral account from the shared world: ~150 extensions of
 * mixed types, and every RingCentral number the world assigns (own numbers on
 * extensions, in the company pool and in inventory; the numbers shared with
 * RingCX, Zendesk and Ringyo; users' outside forwarding numbers). Only the
 * world's seed decides the result, so `reset()` can rebuild it byte for byte.
 */
export function buildRingCentralSeed(world: World): RingCentralSeed {
  const random = world.random('ringcentral');
  const accountId = `${random.fork('account').int(100_000_000, 999_999_999)}004`;
  const companyName = random.fork('company').pick(COMPANIES);
  const extensions = buildExtensions(random.fork('extensions'), world.count(150, 12), companyName);
  const owner = extensions[0]!;
  const credentials = buildCredentials(random.fork('credentials'), owner.id);

  const numbers = buildNumbers(random.fork('numbers'), world, extensions);
  const forwarding = buildForwarding(random.fork('forwarding'), world.ringcentral.forwarding, extensions);
  const byId = new Map(extensions.map((e) => [e.id, e]));
  for (const record of forwarding) {
    const extension = byId.get(record.extensionId)!;
    if (record.type === 'Mobile' && !extension.contact.mobilePhone) extension.contact.mobilePhone = record.phoneNumber;
  }

  return {
    credentials,
    ownerId: owner.id,
    data: {
      account: {
        id: accountId,
        companyName,
        mainNumber: world.ringcentral.mainNumber.e164,
        operatorId: owner.id,
        creationTime: '2021-03-15T16:20:41.000Z',
      },
      extensions,
      numbers,
      forwarding,
    },
  };
}

/** App credentials and a JWT credential shaped like the ones the Developer Console issues (the sandbox compares it verbatim). */
function buildCredentials(random: Random, ownerId: string): RingCentralCredentials {
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const text = (length: number) => Array.from({ length }, () => random.pick([...alnum])).join('');
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = base64url({ kid: text(16), typ: 'JWT', alg: 'RS256' });
  const payload = base64url({
    aud: 'https://platform.ringcentral.com/restapi/oauth/token',
    sub: ownerId,
    iss: 'https://platform.ringcentral.com',
    exp: 3_900_000_000,
    iat: 1_700_000_000,
    jti: text(22),
  });
  const signature = Buffer.from(Array.from({ length: 64 }, () => random.int(0, 255))).toString('base64url');
  return { clientId: text(22), clientSecret: text(44), jwt: `${header}.${payload}.${signature}` };
}

/** How many extensions of each non-user type for `total` extensions; the rest are users. */
function typeCounts(total: number): [ExtensionType, number][] {
  const share = (fraction: number, min: number) => Math.max(min, Math.round(total * fraction));
  return [
    ['Department', share(0.08, 2)],
    ['IvrMenu', share(0.03, 1)],
    ['Announcement', share(0.012, 1)],
    ['Voicemail', share(0.012, 1)],
    ['ParkLocation', share(0.012, 1)],
    ['ApplicationExtension', share(0.012, 1)],
    ['SharedLinesGroup', share(0.008, 1)],
    ['PagingOnly', share(0.008, 1)],
    ['GroupCallPickup', share(0.006, 1)],
  ];
}

/** First extension number of each type's range (scaled to 3, 4 or 5 digits). */
const NUMBER_RANGE: Record<ExtensionType, number> = {
  User: 1,
  Department: 5,
  SharedLinesGroup: 6,
  PagingOnly: 6,
  GroupCallPickup: 6,
  ParkLocation: 7,
  IvrMenu: 8,
  Announcement: 9,
  Voicemail: 9,
  ApplicationExtension: 9,
};

function buildExtensions(random: Random, total: number, companyName: string): ExtensionRecord[] {
  const types: ExtensionType[] = [];
  for (const [type, count] of typeCounts(total)) for (let i = 0; i < count; i++) types.push(type);
  while (types.length < total) types.push('User');
  // The first extension is the admin the JWT belongs to; the rest are shuffled
  // so that each page of the list mixes types, as a real account's does.
  const rest = types.slice(0, total - 1);
  shuffle(random, rest);
  const ordered: ExtensionType[] = ['User', ...rest];

  const digits = total <= 380 ? 3 : total <= 3_800 ? 4 : 5;
  const unit = 10 ** (digits - 1);
  // Each range hands out numbers upwards from its start; a range that runs
  // into the next one skips numbers already taken there.
  const takenNumbers = new Set<number>();
  const cursors = new Map<number, number>();
  const nextNumber = (type: ExtensionType) => {
    const start = NUMBER_RANGE[type] * unit + 1;
    let n = cursors.get(start) ?? start;
    while (takenNumbers.has(n)) n += 1;
    takenNumbers.add(n);
    cursors.set(start, n + 1);
    return String(n);
  };

  const domain = `${companyName.toLowerCase().replace(/[^a-z]+/g, '')}.example.com`;
  const emails = new Set<string>();
  const usedNames = new Map<ExtensionType, number>();
  const base = Date.parse('2021-03-15T16:20:41.000Z');
  let id = 1_820_000_000 + random.int(0, 99_999) * 1_000;

  return ordered.map((type, index) => {
    id += random.int(1, 40) * 1_000;
    const creationTime = new Date(base + index * 86_400_000 * 3 + random.int(0, 86_399) * 1_000).toISOString();
    const extensionNumber = nextNumber(type);
    const common = { id: String(id + 4), extensionNumber, type, creationTime, internationalCalling: false, admin: false };

    if (type === 'User') {
      const firstName = random.pick(FIRST_NAMES);
      const lastName = random.pick(LAST_NAMES);
      const [department, titles] = index === 0 ? DEPARTMENTS[5]! : random.pick(DEPARTMENTS);
      const local = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
      let email = `${local}@${domain}`;
      for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`;
      emails.add(email);
      const status = index === 0 ? 'Enabled' : userStatus(random);
      const record: ExtensionRecord = {
        ...common,
        status,
        name: `${firstName} ${lastName}`,
        contact: { firstName, lastName, email, company: companyName, jobTitle: index === 0 ? 'IT Administrator' : random.pick(titles), department },
        admin: index === 0 || random.chance(0.05),
        internationalCalling: random.chance(0.3),
        hidden: false,
      };
      if (status === 'Disabled') {
        record.statusInfo = random.chance(0.5)
          ? { reason: 'Voluntarily', comment: 'Left the company' }
          : { reason: 'Involuntarily', comment: 'Suspended pending review' };
      }
      return record;
    }

    const names = type === 'Department' ? QUEUE_NAMES : type === 'IvrMenu' ? IVR_NAMES : OTHER_NAMES[type] ?? [type];
    const used = usedNames.get(type) ?? 0;
    usedNames.set(type, used + 1);
    const name = used < names.length ? names[used]! : `${names[used % names.length]} ${Math.floor(used / names.length) + 1}`;
    const record: ExtensionRecord = {
      ...common,
      status: 'Enabled',
      name,
      contact: { company: companyName, email: `${name.toLowerCase().replace(/[^a-z]+/g, '.').replace(/^\.|\.$/g, '')}@${domain}` },
    };
    if (type === 'Department') {
      record.callQueueInfo = {
        slaGoal: random.pick([80, 85, 90]),
        slaThresholdSeconds: random.pick([15, 20, 30]),
        includeAbandonedCalls: random.chance(0.5),
        abandonedThresholdSeconds: random.pick([0, 10, 20]),
      };
    }
    return record;
  });
}

function userStatus(random: Random): ExtensionStatus {
  const roll = random.next();
  if (roll < 0.86) return 'Enabled';
  if (roll < 0.91) return 'Disabled';
  if (roll < 0.97) return 'NotActivated';
  return 'Frozen';
}

interface Draft {
  seed: SeedNumber;
  usageType: PhoneNumberRecord['usageType'];
  extensionId?: string;
  label?: string;
  type?: NumberType;
  contactCenterProvider?: { id: string; name: string };
}

/**
 * Spreads the world's RingCentral numbers over the account. Ids are given
 * after a shuffle, so shared, inventory and extension numbers are spread
 * through every page of the lists instead of sitting at the end.
 */
function buildNumbers(random: Random, world: World, extensions: ExtensionRecord[]): PhoneNumberRecord[] {
  const rc = world.ringcentral;
  const byType = (type: ExtensionType) => extensions.filter((e) => e.type === type);
  const users = byType('User');
  const departments = byType('Department');
  const ivrs = byType('IvrMenu');

  const drafts: Draft[] = [{ seed: rc.mainNumber, usageType: 'MainCompanyNumber', type: 'VoiceFax' }];

  // Most numbers shared with RingCX are contact-center numbers. One in four
  // is still a call queue's direct number: a queue mid-migration to RingCX,
  // so both platforms route it (the case Switchboard exists to show).
  rc.sharedWithRingCx.forEach((seed, i) => {
    if (i % 4 === 3) {
      drafts.push({ seed, usageType: 'DirectNumber', extensionId: departments[i % departments.length]!.id, label: 'Migrating to RingCX' });
    } else {
      drafts.push({ seed, usageType: 'ContactCenterNumber', type: 'VoiceOnly', label: 'RingCX Inbound', contactCenterProvider: { ...RINGCX_PROVIDER } });
    }
  });
  rc.sharedWithZendesk.forEach((seed, i) => {
    if (i % 2 === 0) drafts.push({ seed, usageType: 'DirectNumber', extensionId: departments[(i / 2) % departments.length]!.id, label: 'Helpdesk Line' });
    else drafts.push({ seed, usageType: 'CompanyNumber', label: 'Zendesk Support Line' });
  });
  rc.sharedWithRingyo.forEach((seed, i) => {
    if (i % 2 === 0) drafts.push({ seed, usageType: 'CompanyNumber', label: 'AI Receptionist' });
    else drafts.push({ seed, usageType: 'DirectNumber', extensionId: departments[(i + 1) % departments.length]!.id, label: 'AI Overflow' });
  });

  // Own numbers: a slice in inventory, a slice in the company pool, the rest
  // direct numbers: one per queue, one per IVR, one per user, then second
  // numbers for some users.
  const own = [...rc.own];
  const inventory = own.splice(0, Math.min(own.length, world.count(15, 1)));
  for (const seed of inventory) drafts.push({ seed, usageType: 'Inventory' });
  const company = own.splice(0, Math.min(own.length, world.count(20, 1)));
  company.forEach((seed, i) => {
    const fax = i % 7 === 6;
    drafts.push({ seed, usageType: 'CompanyNumber', type: fax ? 'FaxOnly' : undefined, label: fax ? 'Company Fax' : COMPANY_LABELS[i % COMPANY_LABELS.length] });
  });
  const second = [...users];
  shuffle(random, second);
  const owners = [...departments, ...ivrs, ...users, ...second];
  own.forEach((seed, i) => {
    const owner = owners[i];
    if (!owner) drafts.push({ seed, usageType: 'CompanyNumber', label: random.pick(COMPANY_LABELS) });
    else drafts.push({ seed, usageType: 'DirectNumber', extensionId: owner.id, label: owner.type === 'User' ? undefined : `${owner.name} Line` });
  });

  shuffle(random, drafts);
  let id = 1_162_000_000 + random.int(0, 999) * 1_000;
  const records = drafts.map((draft): PhoneNumberRecord => {
    id += random.int(1, 40) * 1_000;
    const { seed } = draft;
    const record: PhoneNumberRecord = {
      id: String(id + 4),
      phoneNumber: seed.e164,
      usageType: draft.usageType,
      type: draft.type ?? (seed.tollFree ? 'VoiceOnly' : random.chance(0.85) ? 'VoiceFax' : 'VoiceOnly'),
      tollFree: seed.tollFree,
      country: seed.country,
      status: random.chance(0.15) ? 'PortedIn' : 'Normal',
      primary: false,
    };
    if (!seed.tollFree) record.location = seed.location;
    if (draft.extensionId) record.extensionId = draft.extensionId;
    if (draft.label) record.label = draft.label;
    if (draft.contactCenterProvider) record.contactCenterProvider = draft.contactCenterProvider;
    return record;
  });
  markPrimaries(records);
  return records;
}

/** Each extension's first direct number (by id) is its primary one. */
export function markPrimaries(numbers: PhoneNumberRecord[]): void {
  const seen = new Set<string>();
  for (const number of numbers) {
    number.primary = number.usageType === 'DirectNumber' && number.extensionId !== undefined && !seen.has(number.extensionId);
    if (number.primary) seen.add(number.extensionId!);
  }
}

/** Outside numbers users forward calls to: a mobile first, then home or work, some with call flip. */
function buildForwarding(random: Random, pool: SeedNumber[], extensions: ExtensionRecord[]): ForwardingNumberRecord[] {
  const users = extensions.filter((e) => e.type === 'User' && e.status !== 'NotActivated');
  shuffle(random, users);
  const records: ForwardingNumberRecord[] = [];
  const perUser = new Map<string, number>();
  let id = 2_004_000_000 + random.int(0, 999) * 1_000;
  let cursor = 0;
  for (const seed of pool) {
    // Walk the users round-robin, sometimes skipping one, so most get a mobile
    // and some also a home or work number; nobody gets more than three.
    let user: ExtensionRecord | undefined;
    for (let tries = 0; tries < users.length && !user; tries++) {
      const candidate = users[cursor % users.length]!;
      cursor += 1;
      if ((perUser.get(candidate.id) ?? 0) < 3) user = candidate;
    }
    if (!user) break;
    if (random.chance(0.35)) cursor += 1;
    const count = perUser.get(user.id) ?? 0;
    perUser.set(user.id, count + 1);
    const type = count === 0 ? 'Mobile' : random.chance(0.7) ? 'Home' : 'Work';
    const flip = random.chance(0.4);
    id += random.int(1, 40) * 1_000;
    const record: ForwardingNumberRecord = {
      id: String(id + 8),
      extensionId: user.id,
      phoneNumber: seed.e164,
      label: type === 'Mobile' ? 'Mobile Phone' : type === 'Home' ? 'Home Phone' : 'Work Phone',
      type,
      features: flip ? ['CallFlip', 'CallForwarding'] : ['CallForwarding'],
    };
    if (flip) record.flipNumber = String(count + 1);
    records.push(record);
  }
  // Listed per extension in creation order.
  return records.sort((a, b) => Number(a.extensionId) - Number(b.extensionId) || Number(a.id) - Number(b.id));
}

function shuffle<T>(random: Random, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

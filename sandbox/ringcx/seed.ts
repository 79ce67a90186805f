import type { Random } from '../core/random.js';
import type { SeedNumber, World } from '../seed/world.js';
import type {
  AccountRec,
  AssignmentRec,
  CloudDestinationRec,
  CloudGroupRec,
  CloudProfileRec,
  Destination,
  GateGroupRec,
  GateRec,
  PoolRec,
  RingCxData,
  TracGroupRec,
  TracNumberRec,
  VisualIvrRec,
} from './model.js';

const DAY_MS = 86_400_000;
const EPOCH_2019 = Date.UTC(2019, 0, 1);

/** The RingCX main account and its three sub-accounts (RingCX ids are digit strings). */
const MAIN_ACCOUNT = { mainAccountId: '15300000', mainAccountName: 'Brightline Health' };
const ACCOUNTS: { accountId: string; accountName: string; share: number }[] = [
  { accountId: '15300001', accountName: 'Brightline Patient Access', share: 0.45 },
  { accountId: '15300002', accountName: 'Brightline Billing & Claims', share: 0.35 },
  { accountId: '15300003', accountName: 'Brightline Pharmacy', share: 0.2 },
];

/** Queue groups per account (index into ACCOUNTS) with the queues they hold. */
const GATE_GROUPS: { account: number; groupName: string; billingKey: string; queues: string[] }[] = [
  { account: 0, groupName: 'Scheduling', billingKey: 'PA-SCHED', queues: ['New Appointments', 'Reschedule & Cancel', 'Imaging Scheduling', 'Specialist Referrals', 'Pediatrics Scheduling'] },
  { account: 0, groupName: 'Clinical Support', billingKey: 'PA-CLIN', queues: ['Nurse Advice Line', 'After-Hours Triage', 'Lab Results', 'Prescription Questions'] },
  { account: 0, groupName: 'Spanish Language Services', billingKey: 'PA-ESP', queues: ['Citas Nuevas', 'Enfermería', 'Facturación en Español'] },
  { account: 1, groupName: 'Billing', billingKey: 'BC-BILL', queues: ['Statement Questions', 'Payment Plans', 'Online Payments Help', 'Financial Assistance'] },
  { account: 1, groupName: 'Claims', billingKey: 'BC-CLAIM', queues: ['Claim Status', 'Insurance Verification', 'Prior Authorization', 'Denials & Appeals'] },
  { account: 1, groupName: 'Collections', billingKey: 'BC-COLL', queues: ['Early Out', 'Past Due Accounts', 'Settlement Desk'] },
  { account: 2, groupName: 'Retail Pharmacy', billingKey: 'RX-RETAIL', queues: ['Refill Line', 'Transfer a Prescription', 'Store Hours & Locations'] },
  { account: 2, groupName: 'Specialty Pharmacy', billingKey: 'RX-SPEC', queues: ['Specialty Intake', 'Infusion Coordination', 'Benefits Investigation'] },
  { account: 2, groupName: 'Provider Services', billingKey: 'RX-PROV', queues: ['Prescriber Hotline', 'Pharmacist Consult', 'Long-Term Care'] },
];

const VISUAL_IVRS: { account: number; name: string; desc: string }[] = [
  { account: 0, name: 'Main Menu', desc: 'Front door menu for the patient access line' },
  { account: 0, name: 'After-Hours Menu', desc: 'Routes to triage or voicemail outside clinic hours' },
  { account: 1, name: 'Billing Self-Service', desc: 'Balance lookup and card payments by phone' },
  { account: 0, name: 'Language Selection', desc: 'English / Spanish selection before queueing' },
  { account: 1, name: 'Claims Status Lookup', desc: 'Claim status by claim number, then agent fallback' },
  { account: 1, name: 'Holiday Closure', desc: 'Holiday greeting with emergency options' },
  { account: 2, name: 'Pharmacy Refill IVR', desc: 'Automated refill requests by Rx number' },
  { account: 2, name: 'Store Locator', desc: 'Nearest store by ZIP code' },
  { account: 0, name: 'Appointment Confirmation', desc: 'Confirms or cancels upcoming appointments' },
  { account: 2, name: 'Emergency Broadcast', desc: 'Service disruption announcement' },
];

const CLOUD_GROUPS: { account: number; groupName: string; destinations: string[] }[] = [
  { account: 0, groupName: 'Overflow Routing', destinations: ['Answering Service PSTN', 'On-call Nurse Mobile'] },
  { account: 0, groupName: 'Business Continuity', destinations: ['DR Site Main Line', 'Emergency Operations Center'] },
  { account: 1, groupName: 'Outsourced Partners', destinations: ['Billing Vendor ACD', 'Collections Agency Desk'] },
  { account: 2, groupName: 'Store Routing', destinations: ['Regional Pharmacy Hub', 'Store Direct Lines'] },
];

const CLOUD_PROFILES: { group: number; name: string; desc: string; routingType: string }[] = [
  { group: 0, name: 'After-Hours Answering Service', desc: 'Sends overflow to the contracted answering service', routingType: 'ROUND_ROBIN' },
  { group: 0, name: 'Nurse Line Overflow', desc: 'Overflows the nurse line to on-call staff', routingType: 'PERCENT_ALLOCATION' },
  { group: 1, name: 'Disaster Recovery — Main Campus', desc: 'Activated when the main campus is offline', routingType: 'ROUND_ROBIN' },
  { group: 1, name: 'Weather Closure', desc: 'Weather closure routing for all clinics', routingType: 'ROUND_ROBIN' },
  { group: 2, name: 'Outsourced Billing Vendor', desc: 'Statement questions handled by the vendor', routingType: 'PERCENT_ALLOCATION' },
  { group: 2, name: 'Collections Agency Transfer', desc: 'Warm transfer to the collections agency', routingType: 'ROUND_ROBIN' },
  { group: 3, name: 'Nearest Store Locator', desc: 'Routes to the nearest open store', routingType: 'GEO' },
  { group: 3, name: 'Regional Pharmacy Backup', desc: 'Regional hub when a store cannot answer', routingType: 'ROUND_ROBIN' },
];

const TRAC_GROUPS: { account: number; groupName: string; campaigns: string[] }[] = [
  { account: 0, groupName: 'Google Ads', campaigns: ['Brand Search', 'Urgent Care Search', 'Pediatrics Display', 'Telehealth Search', 'Imaging Search', 'Remarketing', 'Spanish Search', 'Women’s Health'] },
  { account: 0, groupName: 'Radio Spots', campaigns: ['Morning Drive', 'Sports Talk', 'Public Radio Underwriting', 'Spanish Radio', 'Traffic Sponsorship', 'Weekend Health Hour', 'Flu Season', 'Holiday Hours'] },
  { account: 1, groupName: 'Direct Mail', campaigns: ['Statement Insert', 'Financial Assistance Mailer', 'Payment Plan Postcard', 'Past Due Letter', 'Annual Notice', 'Open Enrollment', 'Paperless Billing', 'Price Transparency'] },
  { account: 1, groupName: 'Billboards', campaigns: ['I-35 Northbound', 'Downtown Transit', 'Airport Corridor', 'Stadium', 'Highway 71', 'Mall Entrance', 'Bus Shelters', 'University Area'] },
  { account: 2, groupName: 'Social Media', campaigns: ['Facebook Refills', 'Instagram Vaccines', 'TikTok Pharmacist Tips', 'LinkedIn Specialty', 'YouTube Pre-roll', 'Nextdoor Local', 'X Promotions', 'Pinterest Wellness'] },
  { account: 2, groupName: 'Partner Referrals', campaigns: ['Oncology Partners', 'Fertility Clinics', 'Long-Term Care Homes', 'Employer Wellness', 'Health Plan Referrals', 'Urgent Care Network', 'Hospice Partners', 'Dialysis Centers'] },
];

const NOTES = [
  'Ported from legacy PBX (2021)',
  'Printed on patient statements — do not release',
  'Used in TV campaign; keep active through Q4',
  'Former fax line, converted to voice',
  'Listed on the website contact page',
  'Published in provider directory',
  'Kept for returning callers after clinic merger',
];
const ADMINS = ['jordan.lee@brightlinehealth.example', 'priya.natarajan@brightlinehealth.example', 'marcus.ortiz@brightlinehealth.example'];

/** Stable ids for each kind of object, so seed and created objects never collide. */
export const ID_BASE = {
  gateGroup: 1201,
  gate: 40101,
  visualIvrGroup: 301,
  visualIvr: 7101,
  cloudGroup: 501,
  cloudProfile: 5101,
  cloudDestination: 9101,
  tracGroup: 801,
  tracNumber: 60101,
} as const;

/**
 * Builds the RingCX seed from the shared world: the world's RingCX pool spread
 * over three sub-accounts, queues, Visual IVRs, cloud route profiles and
 * tracking numbers in each, and most numbers assigned to one of them. Every
 * size goes through `world.count`, every choice through the seeded PRNG.
 */
export function buildRingCxSeed(world: World): RingCxData {
  const random = world.random('ringcx');
  const accounts: AccountRec[] = ACCOUNTS.map((a, i) => ({
    accountId: a.accountId,
    accountName: a.accountName,
    startDate: EPOCH_2019 + i * 37 * DAY_MS,
    defaultCallerid: '',
  }));

  const { gateGroups, gates } = seedGates(world, random.fork('gates'));
  const visualIvrs = seedVisualIvrs(world);
  const { cloudGroups, cloudProfiles, cloudDestinations } = seedCloud(world);
  const { tracGroups, tracNumbers } = seedTracking(world, random.fork('tracking'));
  const { pool, assignments } = seedPool(world, random.fork('pool'), { gates, visualIvrs, cloudProfiles, tracNumbers });

  for (const account of accounts) {
    const first = assignments.find((a) => a.destination.kind === 'gate' && gates.find((g) => g.gateId === a.destination.id)?.accountId === account.accountId);
    account.defaultCallerid = first?.dnis ?? '';
  }
  for (const trac of tracNumbers) {
    trac.outboundCallerId = assignments.find((a) => a.destination.kind === 'tracNumber' && a.destination.id === trac.tracId)?.dnis ?? '';
  }

  return {
    mainAccount: { ...MAIN_ACCOUNT },
    accounts,
    gateGroups,
    gates,
    visualIvrs,
    cloudGroups,
    cloudProfiles,
    cloudDestinations,
    tracGroups,
    tracNumbers,
    pool,
    assignments,
  };
}

/**
 * Scaled group lists: definition `k % n` of round `floor(k / n)`, taken in an
 * order that visits every account first, so even a tiny scale gives each
 * account a group. Ids depend only on (round, definition), so scale 1 has the
 * same ids whatever the order.
 */
function scaledDefs<T extends { account: number }>(defs: T[], count: number): { def: T; index: number; round: number }[] {
  const order = defs
    .map((def, index) => ({ def, index, rank: defs.slice(0, index).filter((d) => d.account === def.account).length }))
    .sort((a, b) => a.rank - b.rank || a.def.account - b.def.account);
  return Array.from({ length: count }, (_, k) => {
    const { def, index } = order[k % order.length]!;
    return { def, index, round: Math.floor(k / order.length) };
  }).sort((a, b) => a.round - b.round || a.index - b.index);
}

function seedGates(world: World, r: Random): { gateGroups: GateGroupRec[]; gates: GateRec[] } {
  const defs = scaledDefs(GATE_GROUPS, world.count(GATE_GROUPS.length, ACCOUNTS.length));
  const gateGroups = defs.map(({ def, index, round }) => ({
    gateGroupId: ID_BASE.gateGroup + round * GATE_GROUPS.length + index,
    accountId: ACCOUNTS[def.account]!.accountId,
    groupName: round === 0 ? def.groupName : `${def.groupName} ${round + 1}`,
    billingKey: round === 0 ? def.billingKey : `${def.billingKey}-${round + 1}`,
    createdOn: EPOCH_2019 + (20 + index * 11 + round * 90) * DAY_MS,
  }));
  // At least one queue per group, so every account has somewhere to route.
  const total = world.count(40, gateGroups.length);
  const used = new Map<number, number>();
  const gates: GateRec[] = [];
  for (let i = 0; i < total; i += 1) {
    const groupIndex = i % gateGroups.length;
    const def = defs[groupIndex]!.def;
    const group = gateGroups[groupIndex]!;
    const n = used.get(groupIndex) ?? 0;
    used.set(groupIndex, n + 1);
    const base = def.queues[n % def.queues.length]!;
    const tier = Math.floor(n / def.queues.length);
    const gateName = tier === 0 ? base : `${base} (Tier ${tier + 1})`;
    const weekday = r.pick(['07:00-19:00', '08:00-18:00', '08:00-17:00', '00:00-23:59']);
    gates.push({
      gateId: ID_BASE.gate + i,
      gateGroupId: group.gateGroupId,
      accountId: group.accountId,
      gateName,
      gateDesc: `${gateName} queue for ${def.groupName.toLowerCase()}`,
      isActive: r.chance(0.95),
      gateOpen: r.chance(0.9),
      gatePriority: r.int(1, 10),
      slaTime: r.pick([20, 30, 45, 60]),
      wrapTime: r.pick([15, 30, 60, 90]),
      maxQueueLimit: r.pick([25, 50, 100]),
      shortCallTime: 10,
      longCallTime: r.pick([900, 1200, 1800]),
      recordCall: r.chance(0.7) ? 1 : 0,
      revMatch: r.chance(0.3),
      billingCode: `${group.billingKey}-${String(n + 1).padStart(2, '0')}`,
      createdOn: group.createdOn + r.int(0, 400) * DAY_MS,
      weekdaySched: weekday,
      weekendSched: weekday === '00:00-23:59' ? weekday : r.pick(['CLOSED', '09:00-13:00']),
    });
  }
  return { gateGroups, gates };
}

function seedVisualIvrs(world: World): VisualIvrRec[] {
  const total = world.count(VISUAL_IVRS.length);
  return Array.from({ length: total }, (_, i) => {
    const def = VISUAL_IVRS[i % VISUAL_IVRS.length]!;
    const round = Math.floor(i / VISUAL_IVRS.length);
    return {
      visualIvrId: ID_BASE.visualIvr + i,
      visualIvrGroupId: ID_BASE.visualIvrGroup + def.account,
      accountId: ACCOUNTS[def.account]!.accountId,
      visualIvrName: round === 0 ? def.name : `${def.name} ${round + 1}`,
      visualIvrDesc: def.desc,
      isActive: true,
    };
  });
}

function seedCloud(world: World): {
  cloudGroups: CloudGroupRec[];
  cloudProfiles: CloudProfileRec[];
  cloudDestinations: CloudDestinationRec[];
} {
  const defs = scaledDefs(CLOUD_GROUPS, world.count(CLOUD_GROUPS.length, ACCOUNTS.length));
  const cloudGroups = defs.map(({ def, index, round }) => ({
    cloudGroupId: ID_BASE.cloudGroup + round * CLOUD_GROUPS.length + index,
    accountId: ACCOUNTS[def.account]!.accountId,
    groupName: round === 0 ? def.groupName : `${def.groupName} ${round + 1}`,
    isDefault: false,
  }));
  for (const account of ACCOUNTS) {
    const first = cloudGroups.find((g) => g.accountId === account.accountId);
    if (first) first.isDefault = true;
  }
  const cloudDestinations: CloudDestinationRec[] = [];
  defs.forEach(({ def }, i) =>
    def.destinations.forEach((name) =>
      cloudDestinations.push({
        cloudDestinationId: ID_BASE.cloudDestination + cloudDestinations.length,
        cloudGroupId: cloudGroups[i]!.cloudGroupId,
        destinationName: name,
        isActive: true,
      }),
    ),
  );
  const total = world.count(CLOUD_PROFILES.length);
  const cloudProfiles = Array.from({ length: total }, (_, i) => {
    const def = CLOUD_PROFILES[i % CLOUD_PROFILES.length]!;
    const round = Math.floor(i / CLOUD_PROFILES.length);
    // The profile's own group when it exists at this scale, else the first group of the same account.
    const account = ACCOUNTS[CLOUD_GROUPS[def.group]!.account]!.accountId;
    const group = cloudGroups.find((_g, k) => defs[k]!.index === def.group && defs[k]!.round === 0) ?? cloudGroups.find((g) => g.accountId === account) ?? cloudGroups[0]!;
    return {
      cloudProfileId: ID_BASE.cloudProfile + i,
      cloudGroupId: group.cloudGroupId,
      accountId: group.accountId,
      profileName: round === 0 ? def.name : `${def.name} ${round + 1}`,
      profileDesc: def.desc,
      routingType: def.routingType,
      isActive: true,
      billingCode: `CR-${String(i + 1).padStart(3, '0')}`,
    };
  });
  return { cloudGroups, cloudProfiles, cloudDestinations };
}

function seedTracking(world: World, r: Random): { tracGroups: TracGroupRec[]; tracNumbers: TracNumberRec[] } {
  const groupCount = world.count(TRAC_GROUPS.length);
  const tracGroups: TracGroupRec[] = [];
  const tracNumbers: TracNumberRec[] = [];
  for (let g = 0; g < groupCount; g += 1) {
    const def = TRAC_GROUPS[g % TRAC_GROUPS.length]!;
    const round = Math.floor(g / TRAC_GROUPS.length);
    const group: TracGroupRec = {
      tracGroupId: ID_BASE.tracGroup + g,
      accountId: ACCOUNTS[def.account]!.accountId,
      groupName: round === 0 ? def.groupName : `${def.groupName} ${round + 1}`,
      isDefault: g === 0,
    };
    tracGroups.push(group);
    const size = world.count(r.int(4, 8));
    for (let n = 0; n < size; n += 1) {
      const campaign = def.campaigns[n % def.campaigns.length]!;
      const tier = Math.floor(n / def.campaigns.length);
      const description = `${group.groupName} — ${campaign}${tier === 0 ? '' : ` ${tier + 1}`}`;
      const weekday = r.pick(['08:00-18:00', '07:00-19:00', '00:00-23:59']);
      tracNumbers.push({
        tracId: ID_BASE.tracNumber + tracNumbers.length,
        tracGroupId: group.tracGroupId,
        accountId: group.accountId,
        description,
        billingCode: `TRK-${group.tracGroupId}-${String(n + 1).padStart(2, '0')}`,
        billingKey: def.groupName.toUpperCase().replace(/[^A-Z]+/g, '-'),
        introMsg: '',
        whisperMsg: `${campaign} caller`,
        endcallMsg: '',
        outboundCallerId: '',
        openType: r.chance(0.8) ? 'STANDARD' : 'STANDARD_PARALLEL',
        closeType: 'STANDARD',
        openLocatorId: 0,
        closeLocatorId: 0,
        dequeueDelay: 0,
        shortCallTime: 10,
        surveyId: 0,
        recordCall: r.chance(0.6) ? 1 : 0,
        revMatch: r.chance(0.2) ? 1 : 0,
        voicemailEnabled: r.chance(0.3) ? 1 : 0,
        monSched: weekday,
        tueSched: weekday,
        wedSched: weekday,
        thuSched: weekday,
        friSched: weekday,
        satSched: weekday === '00:00-23:59' ? weekday : 'CLOSED',
        sunSched: weekday === '00:00-23:59' ? weekday : 'CLOSED',
      });
    }
  }
  return { tracGroups, tracNumbers };
}

function seedPool(
  world: World,
  r: Random,
  targets: { gates: GateRec[]; visualIvrs: VisualIvrRec[]; cloudProfiles: CloudProfileRec[]; tracNumbers: TracNumberRec[] },
): { pool: PoolRec[]; assignments: AssignmentRec[] } {
  const shared = new Set(world.ringcx.sharedWithRingCentral.map((n) => n.e164));
  const pool: PoolRec[] = [];
  const byAccount = new Map<string, PoolRec[]>(ACCOUNTS.map((a) => [a.accountId, []]));
  const location = new Map<string, string>();

  for (const number of world.ringcx.pool) {
    const roll = r.next();
    let cumulative = 0;
    const account = ACCOUNTS.find((a) => (cumulative += a.share) > roll) ?? ACCOUNTS[ACCOUNTS.length - 1]!;
    const record = poolRecord(number, account.accountId, shared.has(number.e164), r);
    pool.push(record);
    byAccount.get(account.accountId)!.push(record);
    location.set(record.dnis, number.location);
  }

  const assignments: AssignmentRec[] = [];
  const assign = (record: PoolRec, destination: Destination, label: string) => {
    const startDate = record.dateCreated + r.int(1, 60) * DAY_MS;
    const assignment: AssignmentRec = {
      dnis: record.dnis,
      destination,
      dnisDescription: label,
      isActive: record.active && r.chance(0.98),
      originatingDnis: '',
      startDate,
    };
    // A few assignments were booked for a limited campaign window.
    if (r.chance(0.03)) assignment.endDate = Date.UTC(2027, r.int(0, 11), 1);
    assignments.push(assignment);
  };

  for (const account of ACCOUNTS) {
    const records = [...byAccount.get(account.accountId)!];
    const inAccount = <T extends { accountId: string }>(items: T[]) => items.filter((item) => item.accountId === account.accountId);
    const gates = inAccount(targets.gates);
    const ivrs = inAccount(targets.visualIvrs);
    const profiles = inAccount(targets.cloudProfiles);

    // Each tracking number owns one DNIS of its account.
    for (const trac of inAccount(targets.tracNumbers)) {
      const record = records.shift();
      if (!record) break;
      record.active = true;
      record.dnisDescription = `${trac.description} tracking line`;
      assign(record, { kind: 'tracNumber', id: trac.tracId }, trac.description);
    }

    for (const record of records) {
      const where = location.get(record.dnis) ?? '';
      const roll = r.next();
      if (roll < 0.12 || gates.length === 0) {
        // Unassigned: spares, a few of them retired (inactive).
        if (r.chance(0.2)) record.active = false;
        record.dnisDescription = record.active ? `Spare — ${where}` : `Retired — ${where}`;
        continue;
      }
      if (roll < 0.2 && ivrs.length > 0) {
        const ivr = r.pick(ivrs);
        record.dnisDescription = `${ivr.visualIvrName} — ${where}`;
        assign(record, { kind: 'visualIvr', id: ivr.visualIvrId }, record.dnisDescription);
        continue;
      }
      if (roll < 0.25 && profiles.length > 0) {
        const profile = r.pick(profiles);
        record.dnisDescription = `${profile.profileName} — ${where}`;
        assign(record, { kind: 'cloudRouteProfile', id: profile.cloudProfileId }, record.dnisDescription);
        continue;
      }
      const gate = r.pick(gates);
      record.dnisDescription = `${gate.gateName} — ${where}`;
      assign(record, { kind: 'gate', id: gate.gateId }, record.dnisDescription);
    }
  }
  return { pool, assignments };
}

function poolRecord(number: SeedNumber, accountId: string, sharedWithRingCentral: boolean, r: Random): PoolRec {
  const dateCreated = EPOCH_2019 + r.int(0, 6 * 365) * DAY_MS + r.int(0, 86_399) * 1000;
  const lastModified = dateCreated + r.int(0, 400) * DAY_MS + r.int(0, 86_399) * 1000;
  const carrier = sharedWithRingCentral
    ? 'RingCentral'
    : number.country === 'GB'
      ? r.pick(['BT Wholesale', 'Gamma'])
      : number.country === 'CA'
        ? r.pick(['Telus', 'Rogers'])
        : r.pick(['Bandwidth', 'Lumen', 'Verizon Business', 'Inteliquent']);
  return {
    dnis: number.e164.slice(1),
    dnisE164: number.e164,
    reservedAccountId: accountId,
    dnisDescription: '',
    dnisCategory: number.tollFree ? 'Toll-Free' : number.country === 'GB' ? 'International' : 'Local',
    notes: sharedWithRingCentral ? 'Contact-center number provisioned through RingCentral' : r.chance(0.2) ? r.pick(NOTES) : '',
    active: true,
    carrier,
    dnisManagedByRC: sharedWithRingCentral,
    phoneNumbersI18nEnabled: true,
    smsEnabled: r.chance(0.1),
    inboundContext: '',
    vendorId: '',
    dateCreated,
    lastModified,
    lastModifiedBy: r.pick(ADMINS),
  };
}

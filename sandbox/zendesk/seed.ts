import type { Random } from '../core/random.js';
import type { SeedNumber, World } from '../seed/world.js';
import { zendeskDisplayNumber, zendeskLocation, zendeskTimestamp } from './format.js';
import type { GroupRecord, IvrMenu, IvrRecord, TalkCapabilities, TalkNumberRecord, ZendeskSeed } from './model.js';

const GROUPS: [string, string][] = [
  ['Support', 'First-line support for every inbound call'],
  ['Billing', 'Invoices, refunds and payment questions'],
  ['Sales', 'New business and plan upgrades'],
  ['Technical Support', 'Second-line troubleshooting'],
  ['Onboarding', 'Customers in their first 90 days'],
  ['Enterprise Accounts', 'Named accounts with a dedicated team'],
  ['Returns & Refunds', 'Order returns and exchanges'],
  ['VIP Customers', 'Priority queue for premium plans'],
  ['EMEA Support', 'UK and European callers'],
  ['Canada Support', 'Canadian callers, English and French'],
  ['After Hours', 'Evening and weekend cover'],
  ['Escalations', 'Complaints and escalated cases'],
];

const IVRS = ['Main Menu', 'Billing & Payments IVR', 'Technical Support IVR', 'UK Reception'];

const BASE_MS = Date.UTC(2019, 0, 1);
const DAY_MS = 86_400_000;

/**
 * Builds the Talk account from the shared world: ~12 Support groups (plus one
 * deleted), ~4 IVRs whose menus route to groups, and one Talk number per
 * `world.zendesk.numbers` entry. Most numbers route to one group (UK numbers to
 * EMEA Support, Canadian ones to Canada Support), some to an IVR, a few to
 * nothing; the numbers RingCentral also holds are external caller-id numbers,
 * which Talk cannot route. Everything comes from `world.random('zendesk')`, so
 * calling this again gives the same account.
 */
export function buildZendeskSeed(world: World): ZendeskSeed {
  const random = world.random('zendesk');
  const groups = buildGroups(random.fork('groups'), world.count(12, 3));
  const live = groups.filter((g) => !g.deleted);
  const ivrs = buildIvrs(random.fork('ivrs'), world.count(4, 1), live);
  const brandIds = [8427041409433, 8427041417625];
  const scheduleIds = [360000213914, 360000214034];
  const greetingIds = [360001947152, 360001947172, 360001947192];
  const shared = new Set(world.zendesk.sharedWithRingCentral.map((n) => n.e164));
  const failovers = world.ringcentral.forwarding;

  const r = random.fork('numbers');
  let id = 21_646_232_175_257 - 300 * 1_000_000 + r.int(0, 999_999);
  const numbers = world.zendesk.numbers.map((seed): TalkNumberRecord => {
    id += r.int(200_000, 1_800_000);
    return buildNumber(r, id, seed, shared.has(seed.e164), { live, ivrs, brandIds, scheduleIds, greetingIds, failovers });
  });
  return { groups, ivrs, numbers, brandIds, scheduleIds, greetingIds };
}

function buildGroups(r: Random, count: number): GroupRecord[] {
  let id = 360_001_381_413;
  const groups: GroupRecord[] = [];
  for (let i = 0; i < count; i++) {
    const [name, description] = GROUPS[i] ?? [`Support Pod ${i + 1}`, `Overflow support pod ${i + 1}`];
    const created = BASE_MS - r.int(200, 900) * DAY_MS + r.int(0, DAY_MS - 1);
    groups.push({
      id,
      name,
      description,
      default: i === 0,
      deleted: false,
      is_public: true,
      created_at: zendeskTimestamp(created),
      updated_at: zendeskTimestamp(created + r.int(1, 1500) * DAY_MS),
    });
    id += r.int(1_000, 90_000);
  }
  // A deleted group stays in the list (unless exclude_deleted) and can no
  // longer be assigned: a realistic trap for anything that routes numbers.
  const created = BASE_MS - 400 * DAY_MS;
  groups.push({
    id,
    name: 'Legacy Phone Queue',
    description: 'Retired when Talk moved to omnichannel routing',
    default: false,
    deleted: true,
    is_public: true,
    created_at: zendeskTimestamp(created),
    updated_at: zendeskTimestamp(created + 700 * DAY_MS),
  });
  return groups;
}

function buildIvrs(r: Random, count: number, groups: GroupRecord[]): IvrRecord[] {
  let id = 21_973_195_678_484;
  const ivrs: IvrRecord[] = [];
  for (let i = 0; i < count; i++) {
    let menuId = id + 384;
    const routeCount = Math.min(groups.length, r.int(2, 4));
    const offset = r.int(0, groups.length - 1);
    const menu: IvrMenu = {
      id: menuId,
      name: 'Main menu',
      default: true,
      greeting_id: r.chance(0.5) ? 360_001_947_212 + i : null,
      routes: Array.from({ length: routeCount }, (_, k) => {
        const group = groups[(offset + k) % groups.length]!;
        return {
          id: menuId + 100 + k,
          keypress: String(k + 1),
          greeting: null,
          action: 'group' as const,
          options: { group_ids: [group.id] },
          option_text: group.name,
        };
      }),
    };
    menuId += 1_000;
    ivrs.push({ id, name: IVRS[i] ?? `IVR ${i + 1}`, menus: [menu] });
    id += r.int(10_000_000, 90_000_000);
  }
  return ivrs;
}

interface NumberContext {
  live: GroupRecord[];
  ivrs: IvrRecord[];
  brandIds: number[];
  scheduleIds: number[];
  greetingIds: number[];
  failovers: SeedNumber[];
}

function buildNumber(r: Random, id: number, seed: SeedNumber, external: boolean, ctx: NumberContext): TalkNumberRecord {
  const display = zendeskDisplayNumber(seed.e164);
  const location = zendeskLocation(seed.location, seed.tollFree);
  const byName = (name: string) => ctx.live.find((g) => g.name === name);

  let groupIds: number[] = [];
  let ivrId: number | null = null;
  if (!external) {
    const roll = r.next();
    if (roll < 0.8) {
      const regional = seed.country === 'GB' ? byName('EMEA Support') : seed.country === 'CA' ? byName('Canada Support') : undefined;
      const first = regional ?? r.pick(ctx.live);
      groupIds = [first.id];
      if (r.chance(0.15)) {
        const second = r.pick(ctx.live);
        if (second.id !== first.id) groupIds.push(second.id);
      }
    } else if (roll < 0.93 && ctx.ivrs.length > 0) {
      ivrId = r.pick(ctx.ivrs).id;
    }
  }
  const defaultGroupId = groupIds[0] ?? null;

  const capabilities: TalkCapabilities = external
    ? { sms: false, mms: false, voice: true, emergency_address: false }
    : seed.country === 'GB'
      ? { sms: false, mms: false, voice: true, emergency_address: true }
      : seed.tollFree
        ? { sms: true, mms: false, voice: true, emergency_address: false }
        : { sms: true, mms: true, voice: true, emergency_address: true };
  const smsEnabled = capabilities.sms && r.chance(0.4);
  const recorded = !external && r.chance(0.7);
  const nickname = external
    ? r.chance(0.5) ? `RingCentral caller ID (${location ?? 'toll-free'})` : null
    : r.chance(0.75) ? nicknameFor(r, seed, location, defaultGroupId, ivrId, ctx) : null;

  return {
    id,
    number: seed.e164,
    display_number: display,
    nickname,
    country_code: seed.country,
    location,
    toll_free: seed.tollFree,
    external,
    created_at: zendeskTimestamp(BASE_MS + r.int(0, 2_400) * DAY_MS + r.int(0, DAY_MS - 1)),
    capabilities,
    sms_enabled: smsEnabled,
    voice_enabled: !external,
    outbound_enabled: external || r.chance(0.9),
    recorded,
    transcription: recorded && r.chance(0.3),
    call_recording_consent: recorded ? r.pick(['always', 'always', 'opt_in', 'opt_out']) : 'never',
    group_ids: groupIds,
    default_group_id: defaultGroupId,
    sms_group_id: smsEnabled ? defaultGroupId ?? ctx.live[0]!.id : null,
    greeting_ids: !external && r.chance(0.2) ? [r.pick(ctx.greetingIds)] : [],
    ivr_id: ivrId,
    schedule_id: !external && r.chance(0.4) ? r.pick(ctx.scheduleIds) : null,
    priority: external || r.chance(0.7) ? 0 : r.int(1, 3),
    line_type: 'phone',
    failover_number: !external && ctx.failovers.length > 0 && r.chance(0.1) ? r.pick(ctx.failovers).e164 : null,
    brand_id: r.chance(0.8) ? ctx.brandIds[0]! : ctx.brandIds[1]!,
    token: hex(r, 32),
  };
}

function nicknameFor(
  r: Random,
  seed: SeedNumber,
  location: string | null,
  groupId: number | null,
  ivrId: number | null,
  ctx: NumberContext,
): string {
  const where = seed.tollFree ? 'Toll-free' : seed.location;
  if (ivrId !== null) return `${ctx.ivrs.find((i) => i.id === ivrId)?.name ?? 'IVR'} – ${where}`;
  const group = ctx.live.find((g) => g.id === groupId);
  if (group) return r.chance(0.5) ? `${group.name} Line – ${where}` : `${group.name} (${location ?? 'toll-free'})`;
  return `Spare line – ${where}`;
}

/** `length` lowercase hex characters. */
export function hex(r: Random, length: number): string {
  let out = '';
  while (out.length < length) out += r.int(0, 0xffff).toString(16).padStart(4, '0');
  return out.slice(0, length);
}

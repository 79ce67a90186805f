import type { Random } from '../core/random.js';
import type { SeedNumber, World } from '../seed/world.js';
import type { RingyoNumberRecord, RingyoRecentCall, RingyoStats, RingyoStatus } from './model.js';

const LABELS = [
  'Main Business Line', 'Sales Line', 'Support Line', 'Reception', 'Appointments', 'After-hours Line',
  'Billing Line', 'Spanish Line', 'Campaign Tracking', 'Bookings', 'Service Desk', 'Leads Hotline',
];
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';
const BASE_MS = Date.UTC(2024, 0, 1);
/** "Now" for the seed: month-to-date stats and recent calls are relative to it. */
const AS_OF_MS = Date.UTC(2025, 10, 20, 12);
const DAY_MS = 86_400_000;

export interface RingyoSeed {
  /** Sorted by `created_at`, the order the list endpoint returns them in. */
  numbers: RingyoNumberRecord[];
  agentIds: string[];
}

/**
 * The Ringyo account: one record per `world.ringyo.numbers` entry, answered by
 * ~8 AI voice agents. Most numbers are active; some are pending (still being
 * provisioned, no agent, no traffic) or inactive (released, history kept).
 * Numbers RingCentral forwards here are always active with an agent, since
 * they carry live traffic.
 */
export function buildRingyoSeed(world: World): RingyoSeed {
  const random = world.random('ringyo');
  const agentRandom = random.fork('agents');
  const agentIds = Array.from({ length: world.count(8, 2) }, () => `agent_${word(agentRandom, 10)}`);
  const shared = new Set(world.ringyo.sharedWithRingCentral.map((n) => n.e164));
  const callers = world.ringcentral.forwarding;
  const r = random.fork('numbers');
  const numbers = world.ringyo.numbers
    .map((seed) => buildNumber(r, seed, shared.has(seed.e164), agentIds, callers))
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  return { numbers, agentIds };
}

function buildNumber(r: Random, seed: SeedNumber, forwarded: boolean, agents: string[], callers: SeedNumber[]): RingyoNumberRecord {
  const status: RingyoStatus = forwarded ? 'active' : r.pick<RingyoStatus>([...Array<RingyoStatus>(17).fill('active'), 'pending', 'pending', 'inactive']);
  const agent =
    status === 'pending' ? null : status === 'active' ? (forwarded || r.chance(0.9) ? r.pick(agents) : null) : r.chance(0.5) ? r.pick(agents) : null;
  const createdMs = BASE_MS + r.int(0, 640) * DAY_MS + r.int(0, DAY_MS - 1);
  const updatedMs = Math.min(AS_OF_MS - DAY_MS, createdMs + r.int(0, 120) * DAY_MS + r.int(0, DAY_MS - 1));
  const city = seed.location.split(', ')[0]!;
  const friendlyName = forwarded ? `AI Receptionist – ${city} (via RingCentral)` : `${r.pick(LABELS)} – ${city}`;
  const id = `pn_${word(r, 12)}`;
  const stats = statsFor(r, status);
  return {
    id,
    phone_number: seed.e164,
    friendly_name: friendlyName,
    country: seed.country,
    region: regionOf(seed),
    capabilities: { voice: true, sms: seed.country !== 'GB' && r.chance(seed.tollFree ? 0.5 : 0.8) },
    status,
    default_agent_id: agent,
    created_at: timestamp(createdMs),
    updated_at: timestamp(Math.max(createdMs, updatedMs)),
    stats,
    recent_calls: status === 'active' && stats.calls_this_month > 0 ? recentCalls(r, seed.e164, agent, callers) : [],
  };
}

/** State or province code for North America, the ISO 3166-2 code for England, the country for toll-free. */
function regionOf(seed: SeedNumber): string {
  if (seed.tollFree) return seed.country;
  if (seed.country === 'GB') return 'ENG';
  const comma = seed.location.lastIndexOf(', ');
  return comma === -1 ? seed.country : seed.location.slice(comma + 2);
}

function statsFor(r: Random, status: RingyoStatus): RingyoStats {
  if (status === 'pending') return { total_calls: 0, total_minutes: 0, calls_this_month: 0, minutes_this_month: 0 };
  const total = r.int(40, 6_000);
  const minutes = Math.round(total * (1.5 + r.next() * 3));
  if (status === 'inactive') return { total_calls: total, total_minutes: minutes, calls_this_month: 0, minutes_this_month: 0 };
  const month = Math.round(total * (0.03 + r.next() * 0.1));
  return { total_calls: total, total_minutes: minutes, calls_this_month: month, minutes_this_month: Math.round((month * minutes) / total) };
}

function recentCalls(r: Random, number: string, agent: string | null, callers: SeedNumber[]): RingyoRecentCall[] {
  let at = AS_OF_MS - r.int(0, 6 * 3_600_000);
  return Array.from({ length: r.int(1, 5) }, () => {
    at -= r.int(300_000, 2 * DAY_MS);
    const inbound = r.chance(0.85);
    const other = callers.length > 0 ? r.pick(callers).e164 : '+14155550100';
    const status = r.pick<RingyoRecentCall['status']>(['completed', 'completed', 'completed', 'missed', 'voicemail', 'transferred']);
    return {
      id: `call_${word(r, 14)}`,
      direction: inbound ? 'inbound' : 'outbound',
      from_number: inbound ? other : number,
      to_number: inbound ? number : other,
      status,
      duration_seconds: status === 'missed' ? 0 : r.int(15, 900),
      agent_id: agent,
      started_at: timestamp(at),
    };
  });
}

function word(r: Random, length: number): string {
  return Array.from({ length }, () => r.pick([...ALPHANUMERIC])).join('');
}

/** Ringyo's ISO 8601 timestamps (`2024-01-10T08:00:00Z`). */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectBackends, type Backends } from '../../src/backends.js';
import { loadConfig } from '../../src/config.js';
import { normalizePhoneNumber } from '../../src/domain/phone-number.js';
import { startSandbox } from '../../sandbox/index.js';
import { createWorld } from '../../sandbox/seed/world.js';
import { collect } from '../support/collect.js';


/** E.164 of a provider's raw value, or a message naming the value that failed. */
function e164(raw: string | null | undefined, where: string): string {
  const result = normalizePhoneNumber(raw ?? '');
  if (!result.ok) throw new Error(`${where}: "${raw}" ${result.reason}`);
  return result.e164;
}

/**
 * The seed world read back through the real clients: every number each
 * provider writes (in its own format) normalises to a valid E.164 number,
 * and the deliberate overlaps between providers line up exactly.
 */
describe('the sandbox seed, read through the clients', () => {
  let backends: Backends;
  const numbers: Record<'ringcx' | 'ringcentral' | 'zendesk' | 'ringyo', Set<string>> = {
    ringcx: new Set(),
    ringcentral: new Set(),
    zendesk: new Set(),
    ringyo: new Set(),
  };

  beforeAll(async () => {
    backends = await connectBackends(loadConfig({ SWITCHBOARD_SANDBOX: 'true' }), startSandbox);
    const { ringcx, ringcentral, zendesk, ringyo } = backends.clients;

    const dnis = await ringcx!.searchDnis();
    for (const record of dnis.records) {
      const fromDnis = e164(record.dnis, `RingCX dnis`);
      // RingCX writes 11-digit DNIS without "+" and dnisE164 with it: both must agree.
      if (record.dnisE164) expect(e164(record.dnisE164, 'RingCX dnisE164')).toBe(fromDnis);
      numbers.ringcx.add(fromDnis);
    }
    for (const n of await collect(ringcentral!.listPhoneNumbersV2())) numbers.ringcentral.add(e164(n.phoneNumber, 'RingCentral phoneNumber'));
    for (const n of await collect(zendesk!.listPhoneNumbers())) {
      const number = e164(n.number, 'Zendesk number');
      expect(e164(n.display_number, 'Zendesk display_number')).toBe(number);
      numbers.zendesk.add(number);
    }
    for (const n of await collect(ringyo!.listPhoneNumbers())) numbers.ringyo.add(e164(n.phone_number, 'Ringyo phone_number'));
  });
  afterAll(async () => backends.close());

  it('holds the default sizes', () => {
    expect({
      ringcx: numbers.ringcx.size,
      ringcentral: numbers.ringcentral.size,
      zendesk: numbers.zendesk.size,
      ringyo: numbers.ringyo.size,
    }).toEqual({ ringcx: 2000, ringcentral: 311, zendesk: 300, ringyo: 100 });
  });

  it('shares numbers between providers exactly as the world says', () => {
    const shared = (a: Set<string>, b: Set<string>) => [...a].filter((n) => b.has(n)).length;
    expect({
      ringcxAndRingcentral: shared(numbers.ringcx, numbers.ringcentral),
      zendeskAndRingcentral: shared(numbers.zendesk, numbers.ringcentral),
      ringyoAndRingcentral: shared(numbers.ringyo, numbers.ringcentral),
      ringcxAndZendesk: shared(numbers.ringcx, numbers.zendesk),
      ringcxAndRingyo: shared(numbers.ringcx, numbers.ringyo),
      zendeskAndRingyo: shared(numbers.zendesk, numbers.ringyo),
    }).toEqual({
      ringcxAndRingcentral: 60,
      zendeskAndRingcentral: 40,
      ringyoAndRingcentral: 10,
      ringcxAndZendesk: 0,
      ringcxAndRingyo: 0,
      zendeskAndRingyo: 0,
    });
  });

  it('covers non-US and toll-free numbers at every provider', () => {
    for (const [provider, set] of Object.entries(numbers)) {
      const parsed = [...set].map((n) => normalizePhoneNumber(n));
      const countries = new Set(parsed.map((p) => (p.ok ? p.country : null)));
      expect({ provider, hasUS: countries.has('US'), tollFree: parsed.some((p) => p.ok && p.tollFree) }).toEqual({
        provider,
        hasUS: true,
        tollFree: true,
      });
    }
    expect(new Set([...numbers.ringcx].map((n) => normalizePhoneNumber(n)).map((p) => (p.ok ? p.country : null)))).toEqual(
      new Set(['US', 'CA', 'GB']),
    );
  });
});

describe('createWorld', () => {
  it('is deterministic for a seed and different across seeds', () => {
    const a = createWorld({ seed: 7, scale: 0.1 });
    const b = createWorld({ seed: 7, scale: 0.1 });
    const c = createWorld({ seed: 8, scale: 0.1 });
    expect(a.ringcx.pool).toEqual(b.ringcx.pool);
    expect(a.ringcx.pool).not.toEqual(c.ringcx.pool);
  });

  it('scales every share, keeping at least a few of each', () => {
    const world = createWorld({ seed: 1, scale: 0.01 });
    expect({
      pool: world.ringcx.pool.length,
      shared: world.ringcx.sharedWithRingCentral.length,
      zendesk: world.zendesk.numbers.length,
      ringyo: world.ringyo.numbers.length,
    }).toEqual({ pool: 20, shared: 2, zendesk: 7, ringyo: 3 });
  });
});

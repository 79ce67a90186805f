import { describe, expect, it } from '@jest/globals';
import { SharedCache } from '../../src/cache/shared-cache.js';
import { Catalog } from '../../src/graph/catalog.js';
import { mergeInventory, type Inventory } from '../../src/graph/inventory.js';
import { createLoaders } from '../../src/graph/loaders.js';
import { ProviderError, type ProviderClients } from '../../src/providers/index.js';
import type { PhoneNumberLookup, RingCentralApi } from '../../src/providers/ringcentral/index.js';
import type { DnisPool, RingCxApi, TnManagerSearchCriteria } from '../../src/providers/ringcx/index.js';

/** A RingCX pool that records every `tnManager/search` batch it is sent. */
function fakeRingCx(pool: string[]) {
  const batches: { dnis: string[]; maxRows: number | undefined }[] = [];
  const client = {
    async searchDnisPoolPage(criteria: TnManagerSearchCriteria, options?: { maxRows?: number }) {
      batches.push({ dnis: [...(criteria.dnis ?? [])], maxRows: options?.maxRows });
      const records: DnisPool[] = (criteria.dnis ?? []).filter((d) => pool.includes(d)).map((dnis) => ({ dnis, dnisE164: `+${dnis}`, reservedAccountId: '15300001' }));
      return { records };
    },
  } as unknown as RingCxApi;
  return { client, batches };
}

/** A RingCentral that records every batch GET. */
function fakeRingCentral(known: Set<string>, broken = new Set<string>()) {
  const batches: string[][] = [];
  const client = {
    async getPhoneNumbers(ids: readonly string[]): Promise<PhoneNumberLookup[]> {
      batches.push([...ids]);
      return ids.map((id): PhoneNumberLookup => {
        if (broken.has(id)) return { id, status: 'error', error: new ProviderError({ provider: 'ringcentral', code: 'UNAVAILABLE', message: `boom ${id}` }) };
        return known.has(id) ? { id, status: 'found', phoneNumber: { id, phoneNumber: `+1${id}`, usageType: 'CompanyNumber' } } : { id, status: 'notFound' };
      });
    },
  } as unknown as RingCentralApi;
  return { client, batches };
}

const loadersFor = (clients: ProviderClients, inventory: Inventory = mergeInventory({})) =>
  createLoaders(new Catalog(clients, new SharedCache({ ttlMs: 60_000 })), async () => inventory);

describe('ringcxDnis loader', () => {
  it('sends one search for every DNIS asked for in the same tick, answering in key order', async () => {
    const ringcx = fakeRingCx(['14155550100', '14155550102']);
    const loaders = loadersFor({ ringcx: ringcx.client });
    const results = await Promise.all(['14155550100', '14155550101', '14155550102'].map((d) => loaders.ringcxDnis.load(d)));
    expect(ringcx.batches).toEqual([{ dnis: ['14155550100', '14155550101', '14155550102'], maxRows: 3 }]);
    expect(results.map((r) => r?.dnis ?? null)).toEqual(['14155550100', null, '14155550102']);
  });

  it('caps a batch at 500 DNIS, the rows of one search page', async () => {
    const ringcx = fakeRingCx([]);
    const loaders = loadersFor({ ringcx: ringcx.client });
    const dnis = Array.from({ length: 1200 }, (_, i) => String(14155550000 + i));
    await loaders.ringcxDnis.loadMany(dnis);
    expect(ringcx.batches.map((b) => b.dnis.length)).toEqual([500, 500, 200]);
    expect(ringcx.batches.flatMap((b) => b.dnis)).toEqual(dnis);
  });
});

describe('ringcentralNumber loader', () => {
  it('never sends more than 30 ids in one batch GET', async () => {
    const ids = Array.from({ length: 65 }, (_, i) => String(1_000 + i));
    const rc = fakeRingCentral(new Set(ids.slice(0, 40)));
    const loaders = loadersFor({ ringcentral: rc.client });
    const results = await loaders.ringcentralNumber.loadMany(ids);
    expect(rc.batches.map((b) => b.length)).toEqual([30, 30, 5]);
    expect(rc.batches.flat()).toEqual(ids);
    expect(results.filter((r) => r !== null).length).toBe(40);
  });

  it('fails only the keys whose part of the 207 failed', async () => {
    const rc = fakeRingCentral(new Set(['1', '3']), new Set(['2']));
    const loaders = loadersFor({ ringcentral: rc.client });
    const [one, two, three] = await Promise.allSettled(['1', '2', '3'].map((id) => loaders.ringcentralNumber.load(id)));
    expect(one).toMatchObject({ status: 'fulfilled', value: { id: '1' } });
    expect(two).toMatchObject({ status: 'rejected', reason: { code: 'UNAVAILABLE', message: 'boom 2' } });
    expect(three).toMatchObject({ status: 'fulfilled', value: { id: '3' } });
    expect(rc.batches).toEqual([['1', '2', '3']]);
  });
});

describe('phoneNumber loader', () => {
  const inventory = mergeInventory({
    ringcx: [{ dnis: '14155550100', dnisE164: '+14155550100', accountId: '15300001' }],
    zendesk: [],
  });

  it('answers numbers in the inventory without calling any provider', async () => {
    const ringcx = fakeRingCx([]);
    const loaders = loadersFor({ ringcx: ringcx.client }, inventory);
    const number = await loaders.phoneNumber.load('+14155550100');
    expect(number?.sources.map((s) => [s.provider, s.providerId])).toEqual([['ringcx', '14155550100']]);
    expect(ringcx.batches).toEqual([]);
  });

  it('looks up every unknown number in one RingCX batch, in case it was provisioned since the snapshot', async () => {
    const ringcx = fakeRingCx(['14155550199']);
    const loaders = loadersFor({ ringcx: ringcx.client }, inventory);
    const [known, fresh, absent] = await loaders.phoneNumber.loadMany(['+14155550100', '+14155550199', '+14155550198']);
    expect(ringcx.batches).toEqual([{ dnis: ['14155550199', '14155550198'], maxRows: 2 }]);
    expect((known as { e164: string }).e164).toBe('+14155550100');
    expect(fresh).toMatchObject({ e164: '+14155550199', sources: [{ provider: 'ringcx', providerId: '14155550199', record: { accountId: '15300001' } }] });
    expect(absent).toBeNull();
  });

  it('does not call RingCX again when RingCX just failed to give its inventory', async () => {
    const ringcx = fakeRingCx(['14155550199']);
    const failed = mergeInventory({ ringcx: new ProviderError({ provider: 'ringcx', code: 'UNAVAILABLE', message: 'down' }) });
    const loaders = loadersFor({ ringcx: ringcx.client }, failed);
    expect(await loaders.phoneNumber.load('+14155550199')).toBeNull();
    expect(ringcx.batches).toEqual([]);
  });
});

describe('extension loader', () => {
  it('reads the directory, re-reading it at most once per 30 s for ids it lacks', async () => {
    let now = 0;
    const reads: number[] = [];
    const directory = [{ id: '1', type: 'User', name: 'Ada' }];
    const ringcentral = {
      async *listExtensions() {
        reads.push(now);
        yield* directory;
      },
    } as unknown as RingCentralApi;
    const catalog = new Catalog({ ringcentral }, new SharedCache({ ttlMs: 600_000, now: () => now }));
    const names = async (ids: string[]) => {
      const loaders = createLoaders(catalog, async () => mergeInventory({}));
      return (await loaders.extension.loadMany(ids)).map((e) => (e && !(e instanceof Error) ? e.name : e));
    };

    expect(await names(['1'])).toEqual(['Ada']);
    // Unknown ids within 30 s of the last read: answered null, no call.
    now = 10_000;
    expect(await names(['1', '2', '3'])).toEqual(['Ada', null, null]);
    // Later, a created extension appears after one re-read; a stale id stays null.
    now = 40_000;
    directory.push({ id: '2', type: 'User', name: 'New' });
    expect(await names(['2', '404'])).toEqual(['New', null]);
    expect(await names(['404'])).toEqual([null]);
    expect(reads).toEqual([0, 40_000]);
  });
});

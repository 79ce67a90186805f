import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SharedCache } from '../../src/cache/shared-cache.js';
import { Catalog } from '../../src/graph/catalog.js';
import { numberRow, sourceRow, sourcesOf } from '../../src/graph/inventory.js';
import { createLoaders } from '../../src/graph/loaders.js';
import type { ZendeskGroup } from '../../src/providers/zendesk/index.js';
import { Store } from '../../src/store/index.js';
import { DIRECTORY } from '../../src/sync/directories.js';

/**
 * The loaders answer from the inventory index: one query per batch of keys
 * (DataLoader's contract: results in key order, null where nothing is
 * found), and no provider is ever asked (the catalog here has no clients).
 */
describe('loaders over the index', () => {
  let store: Store;
  const view = async () => ({ confirmedAt: { ringcx: '2026-12-01T00:00:00.000Z' }, missing: [] });

  beforeAll(async () => {
    store = await Store.open(':memory:');
    const { sources } = sourcesOf('ringcx', [
      { dnis: '14155550100', dnisE164: '+14155550100', accountId: '15300001' },
      { dnis: '14155550101', dnisE164: '+14155550101', accountId: '15300001' },
    ]);
    await store.inventory.putSources(sources.map(sourceRow), '2026-11-30T00:00:00.000Z');
    await store.inventory.putNumbers(sources.map((s) => numberRow(s.e164, [s])!), []);
    const groups: ZendeskGroup[] = [{ id: '7', name: 'Support', description: null, deleted: false } as unknown as ZendeskGroup];
    await store.inventory.putDirectory(DIRECTORY.zendeskGroup, groups.map((g, i) => ({ key: g.id, sortKey: String(i), record: JSON.stringify(g) })), '2026-11-30T00:00:00.000Z');
  });
  afterAll(async () => store.close());

  const loadersFor = () => createLoaders(new Catalog({}, new SharedCache({ ttlMs: 60_000 })), store.inventory, view);

  it('answers every number asked for in one tick with one index read, in key order, null for numbers it does not hold', async () => {
    const read = jest.spyOn(store.inventory, 'numbers');
    const loaders = loadersFor();
    const [a, missing, b] = await loaders.phoneNumber.loadMany(['+14155550101', '+14155550199', '+14155550100']);
    expect(read).toHaveBeenCalledTimes(1);
    expect(read.mock.calls[0]![0]).toEqual(['+14155550101', '+14155550199', '+14155550100']);
    expect(a).toMatchObject({ e164: '+14155550101', parsed: { country: 'US', national: '(415) 555-0101' }, sources: [{ provider: 'ringcx', providerId: '14155550101' }] });
    expect(b).toMatchObject({ e164: '+14155550100' });
    expect(missing).toBeNull();
    read.mockRestore();
  });

  it('stamps each source with the later of its own write and its provider’s last successful pass', async () => {
    const number = await loadersFor().phoneNumber.load('+14155550100');
    expect(number!.sources[0]!.syncedAt).toBe('2026-12-01T00:00:00.000Z');
  });

  it('reads reference data by key in one query per kind', async () => {
    const read = jest.spyOn(store.inventory, 'directory');
    const loaders = loadersFor();
    const [group, none] = await Promise.all([loaders.zendeskGroup.load('7'), loaders.zendeskGroup.load('8')]);
    expect(group).toMatchObject({ id: '7', name: 'Support' });
    expect(none).toBeNull();
    expect(read).toHaveBeenCalledTimes(1);
    read.mockRestore();
  });
});

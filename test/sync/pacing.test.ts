import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ProviderName } from '../../src/providers/index.js';
import { startGraph, type GraphHarness } from '../support/graph.js';
import { injectFaults } from '../support/sandbox.js';

/**
 * Pacing at sandbox scale ×20 (48,000 numbers): a full sync spends at most
 * half of each rate-limit group and makes no provider answer 429. The
 * providers' windows are shortened to 3 s here (the same limits per window,
 * on both sides), so the test takes seconds rather than the minutes
 * RingCentral's Heavy group needs at its real 60 s window (the benchmark
 * measures that).
 */
describe('inventory sync pacing at scale ×20', () => {
  const WINDOW = 3;
  const LIMITS: Record<ProviderName, Record<string, number>> = {
    ringcx: { default: 120 },
    ringcentral: { Light: 50, Medium: 40, Heavy: 10, Auth: 5 },
    zendesk: { account: 400 },
    ringyo: { api: 300 },
  };
  let graph: GraphHarness;

  beforeAll(async () => {
    const configured = Object.entries(LIMITS).flatMap(([provider, groups]) =>
      Object.entries(groups).map(([group, limit]) => `${provider}${provider === 'ringcentral' ? `.${group}` : ''}=${limit}/${WINDOW}`),
    );
    graph = await startGraph({ env: { SANDBOX_SCALE: '20', PROVIDER_RATE_LIMITS: configured.join(',') }, initialSync: false, providerTimeoutMs: 20_000 });
    for (const [provider, groups] of Object.entries(LIMITS) as [ProviderName, Record<string, number>][]) {
      const rateLimits = Object.fromEntries(Object.entries(groups).map(([group, limit]) => [group, { limit, windowSeconds: WINDOW }]));
      await injectFaults(graph.sandbox.servers[provider].baseUrl, { rateLimits });
    }
  }, 60_000);
  afterAll(async () => graph.close());

  it('syncs every number with no 429 from any provider', async () => {
    const started = Date.now();
    await graph.rebuild();
    const elapsed = Date.now() - started;
    const stats = await graph.stats();
    expect(Object.fromEntries(Object.entries(stats).map(([p, s]) => [p, s.rateLimited]))).toEqual({ ringcx: 0, ringcentral: 0, zendesk: 0, ringyo: 0 });
    const { body } = await graph.query<{ inventorySync: { provider: string; records: number; lastError: string | null }[]; phoneNumbers: { totalCount: number } }>(
      '{ inventorySync { provider records lastError } phoneNumbers(first: 1) { totalCount } }',
    );
    expect(body.data!.inventorySync.every((s) => s.lastError === null && s.records > 0)).toBe(true);
    expect(body.data!.phoneNumbers.totalCount).toBeGreaterThan(40_000);
    // RingCentral's two lists take 14 Heavy calls at this scale, 5 a window for the sync: the pass had to wait out windows.
    const heavy = stats.ringcentral.byRoute['GET /restapi/v2/accounts/{accountId}/phone-numbers']! + stats.ringcentral.byRoute['GET /restapi/v1.0/account/{accountId}/phone-number']!;
    expect(heavy).toBeGreaterThan(5);
    expect(elapsed).toBeGreaterThanOrEqual(Math.floor((heavy - 1) / 5) * WINDOW * 1000);
  }, 120_000);
});

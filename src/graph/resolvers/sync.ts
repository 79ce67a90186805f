import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { ProviderName } from '../../providers/index.js';
import { PROVIDER_ORDER } from '../inventory.js';
import { PROVIDER_ENUM } from './phone-numbers.js';

/** The inventory sync's state, as every replica reads it from the store. */
export const syncResolvers: Resolvers = {
  Query: {
    async inventorySync(_parent, _args, ctx) {
      // After the request's view of the index (which may wait for a first pass), so both agree.
      await ctx.inventory();
      const states = new Map((await ctx.sync.states()).map((s) => [s.provider, s]));
      // Every enabled provider, synced or not yet, in the graph's provider order.
      return PROVIDER_ORDER.filter((p) => ctx.sync.providers.includes(p)).map(
        (provider) =>
          states.get(provider) ?? { provider, startedAt: null, successAt: null, durationMs: null, records: null, calls: null, error: null, errorAt: null, nextRunAt: null, replica: null },
      );
    },
  },

  ProviderSync: {
    provider: (s) => PROVIDER_ENUM[s.provider as ProviderName],
    startedAt: (s) => s.startedAt,
    lastSuccessAt: (s) => s.successAt,
    durationMs: (s) => s.durationMs,
    records: (s) => s.records,
    calls: (s) => s.calls,
    lastError: (s) => (s.error ? (JSON.parse(s.error) as { message: string }).message : null),
    lastErrorAt: (s) => s.errorAt,
    nextRunAt: (s) => s.nextRunAt,
    replica: (s) => s.replica,
    stale: (s, _args, ctx) => !s.successAt || Date.now() - Date.parse(s.successAt) > ctx.sync.options.staleAfterMs,
  },
};

import type { SharedCache } from '../cache/shared-cache.js';
import type { UploadLimits } from '../config.js';
import type { RoutingChanges } from '../routing/changes.js';
import type { Store } from '../store/index.js';
import type { ProviderClients } from '../providers/index.js';
import type { Principal } from '../auth/tokens.js';
import type { Catalog } from './catalog.js';
import type { InventorySync } from '../sync/sync.js';
import type { ProviderError, ProviderName } from '../providers/index.js';
import { PartialResults } from './errors.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { Paginator } from './pagination.js';

/** What lives for the life of the server and is shared by every request. */
export interface GraphServices {
  clients: ProviderClients;
  cache: SharedCache;
  catalog: Catalog;
  paginator: Paginator;
  /** The change journal, the history and upload results. */
  store: Store;
  /** Journaled changes to where numbers route. */
  routing: RoutingChanges;
  /** Keeps the inventory index fresh; its state says how fresh each provider's part is. */
  sync: InventorySync;
  uploadLimits: UploadLimits;
}

/**
 * The request header that names who makes a change. Without authentication
 * it is the history's actor; with it, only an "on behalf of" note beside
 * the token's verified subject.
 */
export const ACTOR_HEADER = 'x-switchboard-actor';

/** Everything a resolver may use, built fresh for each request. */
export interface GraphContext extends GraphServices {
  /** Who is making changes in this request, for the history: the token's subject, or the actor header without authentication. */
  actor: string;
  /** The verified caller; null when authentication is off (AUTH_MODE=none). */
  principal: Principal | null;
  loaders: Loaders;
  partial: PartialResults;
  /**
   * The index's state for this request, read once: when each provider's
   * part was last confirmed. Providers with nothing in the index (their
   * first sync failed or is still running) are reported as partial-result
   * errors at `path`, the field whose data they are missing from (of
   * `providers` only, for a field one provider answers); every
   * answer that read the index says how fresh it is.
   */
  inventory(path?: readonly (string | number)[], providers?: readonly ProviderName[]): Promise<InventoryView>;
  /** Forgets what this request read so far: after its own change, reads see the new state. */
  refresh(): void;
}

/** When each provider's part of the index was last confirmed by a successful pass. */
export interface InventoryView {
  confirmedAt: Partial<Record<ProviderName, string>>;
  /** Providers with nothing in the index, and why. */
  missing: readonly ProviderError[];
}

/** Builds a request's context: fresh loaders and error collector over the shared services. */
export function createContext(
  services: GraphServices,
  request: { headers: Record<string, string | string[] | undefined> } = { headers: {} },
  principal: Principal | null = null,
): GraphContext {
  const partial = new PartialResults();
  let inventory: Promise<InventoryView> | undefined;
  const read = () =>
    (inventory ??= services.sync.readyStates().then(({ states, waited }) => {
      partial.noteFreshness(states, services.sync.options.staleAfterMs, waited);
      const confirmedAt: InventoryView['confirmedAt'] = {};
      for (const [provider, state] of states) if (state?.successAt) confirmedAt[provider] = state.successAt;
      return { confirmedAt, missing: partial.missingProviders() };
    }));
  const context: GraphContext = {
    ...services,
    actor: actorOf(principal, request.headers[ACTOR_HEADER]),
    principal,
    partial,
    loaders: createLoaders(services.catalog, services.store.inventory, read),
    async inventory(path, providers) {
      const result = await read();
      if (path) partial.reportMissing(path, providers);
      return result;
    },
    refresh() {
      // In place: Apollo gives resolvers a shallow copy of this object, so a
      // replaced `loaders` would not reach them.
      inventory = undefined;
      for (const loader of Object.values(context.loaders)) loader.clearAll();
    },
  };
  return context;
}

/**
 * The history's actor: the verified subject (with its email or name), and
 * the actor header only as who it acted for; without authentication, the
 * header's value, or `anonymous`.
 */
function actorOf(principal: Principal | null, header: string | string[] | undefined): string {
  const claimed = (Array.isArray(header) ? header[0] : header)?.trim().slice(0, 100) || null;
  if (!principal) return claimed ?? 'anonymous';
  const who = principal.label ? `${principal.subject} <${principal.label}>` : principal.subject;
  return claimed ? `${who} on behalf of ${claimed}` : who;
}

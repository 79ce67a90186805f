import type { GraphQLFormattedError } from 'graphql';
import { connectBackends, type Backends } from '../../src/backends.js';
import { loadConfig } from '../../src/config.js';
import type { ProviderName } from '../../src/providers/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { createServer, type Server } from '../../src/server.js';
import { sandboxStats, type SandboxStats } from './sandbox.js';

export interface GraphResponse<T> {
  status: number;
  /** The response's data and errors. */
  body: { data?: T | null; errors?: GraphQLFormattedError[] };
  /**
   * The response's `extensions`, kept apart from `body`: every answer read
   * from the index carries its freshness there, which tests about data
   * need not repeat.
   */
  extensions?: { inventory?: Record<string, { syncedAt: string | null; ageSeconds: number | null }>; warnings?: Record<string, unknown>[]; [key: string]: unknown };
}

/** A Switchboard server on an ephemeral port over its own embedded sandbox. */
export interface GraphHarness {
  url: string;
  server: Server;
  backends: Backends<Sandbox>;
  sandbox: Sandbox;
  /** POSTs a GraphQL operation and returns the status and parsed body. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphResponse<T>>;
  /** Each sandbox's request counters. */
  stats(): Promise<Record<ProviderName, SandboxStats>>;
  /** Provider calls per provider since the last reset, leaving out token endpoints. */
  calls(): Promise<Record<ProviderName, number>>;
  /** Seed state, zeroed counters, no faults, an empty shared cache, and the index rebuilt from the seed (its sync calls then zeroed too). */
  reset(): Promise<void>;
  /** Runs a full sync pass of every provider now and waits for it. */
  sync(): Promise<void>;
  /** Empties the index and syncs it again from the providers as they are now (faults included). */
  rebuild(): Promise<void>;
  close(): Promise<void>;
}

const PROVIDERS: ProviderName[] = ['ringcx', 'ringcentral', 'zendesk', 'ringyo'];
const TOKEN_ROUTES = /oauth\/token|auth\/login|auth\/token\/refresh/;

export interface GraphHarnessOptions {
  cacheTtlMs?: number;
  /** Default 0 in tests: a fault cleared by the next test is not remembered. */
  failureTtlMs?: number;
  /** Per-attempt provider timeout (default 2 s in tests). */
  providerTimeoutMs?: number;
  env?: Record<string, string>;
  /** The store's SQLite file; a throwaway in-memory one by default. */
  databasePath?: string;
  /** Introspection, playground and CORS as configured from `env`, instead of everything on. */
  httpFromEnv?: boolean;
  /** Sync the index before answering (default true); off for tests that set the providers up first. */
  initialSync?: boolean;
}

export async function startGraph(options: GraphHarnessOptions = {}): Promise<GraphHarness> {
  const config = loadConfig({
    SWITCHBOARD_SANDBOX: 'true',
    PROVIDER_TIMEOUT_MS: String(options.providerTimeoutMs ?? 2000),
    // Tests sync many times a minute (every reset): the sync may use the whole
    // of each sandbox limit, and never more, so none answers 429.
    SYNC_RATE_SHARE_PERCENT: '100',
    ...options.env,
  });
  const backends = await connectBackends(config, startSandbox);
  const server = await createServer({
    backends,
    cacheTtlMs: options.cacheTtlMs ?? 60_000,
    failureTtlMs: options.failureTtlMs ?? 0,
    cursorSecret: config.cursorSecret,
    databasePath: options.databasePath ?? ':memory:',
    uploadLimits: config.upload,
    auth: config.auth,
    // All four providers' passes at once: resets stay quick (seed-scale lists are small).
    sync: { ...config.sync, concurrency: 4 },
    // No sync in the background: tests sync when they say so (startGraph, reset, sync, rebuild), so provider calls are theirs alone.
    syncSchedule: false,
    ...(options.httpFromEnv && { http: { introspection: config.introspection, playground: config.playground, corsOrigins: config.corsOrigins } }),
  });
  const url = await server.listen(0);
  const sandbox = backends.sandbox!;
  if (options.initialSync !== false) await server.services.sync.syncNow();

  const stats = async () => {
    const entries = await Promise.all(PROVIDERS.map(async (p) => [p, await sandboxStats(sandbox.servers[p].baseUrl)] as const));
    return Object.fromEntries(entries) as Record<ProviderName, SandboxStats>;
  };

  return {
    url,
    server,
    backends,
    sandbox,
    async query<T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, ...(variables && { variables }) }),
      });
      const { extensions, ...body } = (await response.json()) as GraphResponse<T>['body'] & { extensions?: GraphResponse<T>['extensions'] };
      return { status: response.status, body, ...(extensions && { extensions }) };
    },
    stats,
    async calls() {
      const all = await stats();
      const out = {} as Record<ProviderName, number>;
      for (const p of PROVIDERS) {
        out[p] = Object.entries(all[p].byRoute)
          .filter(([route]) => !TOKEN_ROUTES.test(route))
          .reduce((sum, [, n]) => sum + n, 0);
      }
      return out;
    },
    async reset() {
      sandbox.reset();
      server.services.cache.clear();
      await server.services.sync.idle();
      await server.services.store.inventory.clear();
      // The sandbox forgets the calls it counted against its rate limits; so does the sync's budget.
      server.services.sync.budget.reset();
      await server.services.sync.syncNow();
      sandbox.reset();
      // The pass filled the shared cache; mutations' own reads start cold, as before the index.
      server.services.cache.clear();
    },
    async sync() {
      await server.services.sync.syncNow();
    },
    async rebuild() {
      await server.services.sync.idle();
      await server.services.store.inventory.clear();
      await server.services.sync.syncNow();
    },
    async close() {
      await server.close();
      await backends.close();
    },
  };
}

import type { GraphQLFormattedError } from 'graphql';
import { connectBackends, type Backends } from '../../src/backends.js';
import { loadConfig } from '../../src/config.js';
import type { ProviderName } from '../../src/providers/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { createServer, type Server } from '../../src/server.js';
import { sandboxStats, type SandboxStats } from './sandbox.js';

export interface GraphResponse<T> {
  status: number;
  body: { data?: T | null; errors?: GraphQLFormattedError[] };
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
  /** Seed state, zeroed counters, no faults, and an empty shared cache. */
  reset(): Promise<void>;
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
}

export async function startGraph(options: GraphHarnessOptions = {}): Promise<GraphHarness> {
  const config = loadConfig({ SWITCHBOARD_SANDBOX: 'true', PROVIDER_TIMEOUT_MS: String(options.providerTimeoutMs ?? 2000), ...options.env });
  const backends = await connectBackends(config, startSandbox);
  const server = await createServer({
    backends,
    cacheTtlMs: options.cacheTtlMs ?? 60_000,
    failureTtlMs: options.failureTtlMs ?? 0,
    cursorSecret: config.cursorSecret,
    databasePath: options.databasePath ?? ':memory:',
    uploadLimits: config.upload,
    auth: config.auth,
    ...(options.httpFromEnv && { http: { introspection: config.introspection, playground: config.playground, corsOrigins: config.corsOrigins } }),
  });
  const url = await server.listen(0);
  const sandbox = backends.sandbox!;

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
      return { status: response.status, body: (await response.json()) as GraphResponse<T>['body'] };
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
    },
    async close() {
      await server.close();
      await backends.close();
    },
  };
}

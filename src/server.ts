import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import fastifyCors from '@fastify/cors';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import Fastify, { type FastifyInstance } from 'fastify';
import { GraphQLError } from 'graphql';
import { SharedCache } from './cache/shared-cache.js';
import type { Backends } from './backends.js';
import type { AuthSettings, SyncSettings, UploadLimits } from './config.js';
import { scopePlugin } from './auth/scopes.js';
import { AuthenticationError, KeySetUnavailableError, TokenVerifier } from './auth/tokens.js';
import { Store } from './store/index.js';
import { RingCentralRouting, RingCxRouting, RingyoRouting, ZendeskRouting, type NumberLocation, type RoutingAdapter } from './routing/adapters.js';
import { RoutingChanges } from './routing/changes.js';
import { recoverOpenIntents, type Recovered } from './routing/recovery.js';
import type { ProviderName } from './providers/index.js';
import { Catalog } from './graph/catalog.js';
import { ACTOR_HEADER, createContext, type GraphContext, type GraphServices } from './graph/context.js';
import { formatError, partialResultsPlugin } from './graph/errors.js';
import { responseCachePlugin } from './graph/response-cache.js';
import { Paginator } from './graph/pagination.js';
import { buildSchema } from './graph/schema.js';
import { playgroundPage, registerPlaygroundAssets, wantsPlayground } from './playground/index.js';
import { ReadinessProbe } from './readiness.js';
import { DOCUMENTED_RATE_LIMITS } from './sync/budget.js';
import { InventorySync } from './sync/sync.js';
import { jsonBodyLimit, registerMultipartUploads } from './upload/multipart.js';

export const GRAPHQL_PATH = '/graphql';

/** How often open intents are looked for; with replicas, a dead one's changes are recovered within this plus their lease. */
const RECOVERY_SWEEP_MS = 15_000;

/** How long shutdown waits for requests in flight before cutting connections. */
const SHUTDOWN_GRACE_MS = 15_000;

/**
 * Apollo's messages go to stderr, so stdout carries only what scripts read
 * (the "ready at" line); debug chatter is dropped.
 */
const stderrLogger = {
  debug: () => {},
  info: (message: unknown) => process.stderr.write(`${String(message)}\n`),
  warn: (message: unknown) => process.stderr.write(`warning: ${String(message)}\n`),
  error: (message: unknown) => process.stderr.write(`error: ${String(message)}\n`),
};

export interface ServerOptions {
  backends: Backends;
  /** How long reference data and inventories are reused. */
  cacheTtlMs?: number;
  /** How long a provider failure is remembered before the provider is tried again. */
  failureTtlMs?: number;
  /** RingCX sub-accounts to read; all visible ones when absent. */
  ringcxAccountIds?: string[];
  /** Key that signs pagination cursors; every replica behind one router must share it. */
  cursorSecret: string;
  /** The store: a `postgres://` URL shared by replicas, or an SQLite file (`:memory:` for a throwaway one). */
  databasePath: string;
  /** How long this replica holds an open change without renewing it (default 30 s). */
  journalLeaseMs?: number;
  /** How often open changes are looked for (default 15 s). */
  recoverySweepMs?: number;
  uploadLimits?: UploadLimits;
  /** How callers are authenticated; none when absent (tests over the sandbox). */
  auth?: AuthSettings;
  /** The inventory sync; the defaults of `loadConfig` where absent (and 2 provider passes at once). */
  sync?: Partial<SyncSettings> & { concurrency?: number };
  /** Memory for the response cache, in bytes (default 32 MB; 0 turns it off). */
  responseCacheBytes?: number;
  /** Start the sync's schedule (default true); tests that drive passes themselves turn it off. */
  syncSchedule?: boolean;
  /** What the HTTP endpoint exposes besides GraphQL; everything on when absent (tests). */
  http?: { introspection: boolean; playground: boolean; corsOrigins: string[] };
}

/**
 * The request's principal, or UNAUTHENTICATED (HTTP 401) saying why. When
 * the key set cannot be fetched, AUTH_UNAVAILABLE (HTTP 503): the caller's
 * token may be fine, and the person on call is told, at most every 30 s.
 */
let keySetLoggedAt = 0;
async function authenticate(verifier: TokenVerifier, authorization: string | undefined) {
  try {
    return await verifier.verify(authorization);
  } catch (error) {
    if (error instanceof KeySetUnavailableError) {
      if (Date.now() - keySetLoggedAt > 30_000) {
        keySetLoggedAt = Date.now();
        process.stderr.write(`auth: ${error.message}; requests are answered 503 until it can be fetched\n`);
      }
      throw new GraphQLError('Authentication is unavailable: the identity provider\'s keys cannot be fetched. Try again later.', { extensions: { code: 'AUTH_UNAVAILABLE', http: { status: 503 } } });
    }
    if (!(error instanceof AuthenticationError)) throw error;
    throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } } });
  }
}

export interface Server {
  app: FastifyInstance;
  apollo: ApolloServer<GraphContext>;
  services: GraphServices;
  /** Listens on `port` (0 = ephemeral) and resolves to the GraphQL URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Finishes or undoes open journal intents now (also done at start-up and every minute). */
  recover(): Promise<Recovered[]>;
  /** Stops taking requests, lets in-flight ones finish, then closes the server. */
  close(): Promise<void>;
}

/**
 * Builds the HTTP server: Apollo Server on Fastify at `/graphql` (GraphiQL
 * for browsers, served locally), `/healthz` and `/readyz`. Operation limits
 * (depth, aliases, cost, tokens) come from graphql-armor, so one query cannot
 * fan out into thousands of provider calls.
 */
export async function createServer(options: ServerOptions): Promise<Server> {
  const cache = new SharedCache({ ttlMs: options.cacheTtlMs ?? 60_000, failureTtlMs: options.failureTtlMs ?? 5_000 });
  const clients = options.backends.clients;
  const store = await Store.open(options.databasePath, { ...(options.journalLeaseMs !== undefined && { leaseMs: options.journalLeaseMs }) });
  const catalog = new Catalog(clients, cache, { index: store.inventory, ...(options.ringcxAccountIds && { ringcxAccountIds: options.ringcxAccountIds }) });
  const sync = new InventorySync(catalog, store, {
    owner: store.owner,
    intervalMs: 300_000,
    staleAfterMs: 900_000,
    leaseMs: 30_000,
    firstSyncWaitMs: 20_000,
    share: 0.5,
    limits: DOCUMENTED_RATE_LIMITS,
    ...options.sync,
    log: (message) => process.stderr.write(`${message}\n`),
  });
  const adapters: Partial<Record<ProviderName, RoutingAdapter>> = {
    ...(clients.ringcx && { ringcx: new RingCxRouting(clients.ringcx) }),
    ...(clients.ringcentral && { ringcentral: new RingCentralRouting(clients.ringcentral) }),
    ...(clients.zendesk && { zendesk: new ZendeskRouting(clients.zendesk) }),
    ...(clients.ringyo && { ringyo: new RingyoRouting(clients.ringyo) }),
  };
  // After our own change: the provider-side caches are dropped, and the verified state is written through to the index.
  const changed = async (provider: ProviderName, location: NumberLocation) => {
    catalog.invalidateNumbers(provider);
    await sync.refresh(provider, location);
  };
  const routing = new RoutingChanges({
    adapters,
    journal: store.journal,
    audit: store.audit,
    nameOf: (destination) => catalog.destinationName(destination),
    destinationExists: (destination) => catalog.destinationExists(destination),
    changed,
  });
  const services: GraphServices = {
    clients,
    cache,
    catalog,
    paginator: new Paginator(options.cursorSecret),
    store,
    routing,
    sync,
    uploadLimits: options.uploadLimits ?? { maxBytes: 20 * 1024 * 1024, maxRows: 200_000 },
  };

  // A change left open by a process that died mid-way is finished or undone
  // before this one serves anything; a sweep retries any that stay open.
  const recover = async () => {
    const results = await recoverOpenIntents({ journal: store.journal, audit: store.audit, adapters, skip: routing.active, singleProcess: store.singleProcess, changed });
    for (const r of results) process.stderr.write(`recovery: ${r.phoneNumber} ${r.result}: ${r.detail}\n`);
    return results;
  };
  await recover();
  const sweep = setInterval(() => void recover().catch((error: unknown) => process.stderr.write(`recovery sweep failed: ${String(error)}\n`)), options.recoverySweepMs ?? RECOVERY_SWEEP_MS);
  // The leases of the changes this process is making, renewed well before they run out.
  const renewal = setInterval(
    () => void store.journal.renew([...routing.active]).catch((error: unknown) => process.stderr.write(`journal lease renewal failed: ${String(error)}\n`)),
    Math.max(1_000, Math.floor(store.journal.options.leaseMs / 3)),
  );
  renewal.unref();
  sweep.unref();

  // On close, drop idle keep-alive sockets but let requests in flight finish.
  const app = Fastify({ logger: false, forceCloseConnections: 'idle', bodyLimit: jsonBodyLimit(services.uploadLimits) });
  const armor = new ApolloArmor({
    // Suggestions help people exploring the graph in the playground.
    blockFieldSuggestion: { enabled: false },
    // The deepest useful query (a number's owner's forwarding numbers, via a
    // queue's numbers) is 8 levels; 10 leaves room without allowing fan-out.
    maxDepth: { n: 10 },
    maxAliases: { n: 20 },
    maxDirectives: { n: 30 },
    maxTokens: { n: 4000 },
    costLimit: { maxCost: 20_000 },
  });
  const protection = armor.protect();
  // graphql-armor's typings name @apollo/server's CommonJS build and ours the
  // ES module build: the same plugin interface, declared twice.
  const armorPlugins = protection.plugins as unknown as ApolloServerPlugin<GraphContext>[];
  const schema = buildSchema();
  const verifier = options.auth?.mode === 'jwt' ? new TokenVerifier(options.auth) : null;
  const http = options.http ?? { introspection: true, playground: true, corsOrigins: [] };
  const apollo = new ApolloServer<GraphContext>({
    schema,
    introspection: http.introspection,
    logger: stderrLogger,
    formatError,
    validationRules: protection.validationRules,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // Apollo's landing pages load from a CDN (and in production advertise the endpoint): our own page, or none.
    plugins: [
      ...armorPlugins,
      scopePlugin<GraphContext>(schema),
      // Before the response cache: it must see the partial-result errors to leave such answers out.
      partialResultsPlugin<GraphContext>(),
      ...(options.responseCacheBytes !== 0 ? [responseCachePlugin<GraphContext>({ schema, index: store.inventory, maxBytes: options.responseCacheBytes ?? 32 * 2 ** 20 })] : []),
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  // Once shutdown begins, every response says `Connection: close`, so a
  // keep-alive client's socket ends with its last answer instead of holding
  // the server open.
  let closing = false;
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  // No CORS headers unless origins are allowed: browsers then keep other sites' pages out.
  if (http.corsOrigins.length > 0) {
    await app.register(fastifyCors, { origin: http.corsOrigins, methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', ACTOR_HEADER] });
  }
  if (http.playground) {
    registerPlaygroundAssets(app);
    // Browsers opening /graphql get the playground; everything else is GraphQL.
    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'GET' || request.url.split('?')[0] !== GRAPHQL_PATH) return;
      if (!wantsPlayground(request.headers.accept, request.url.includes('?'))) return;
      return reply.type('text/html; charset=utf-8').send(playgroundPage(GRAPHQL_PATH));
    });
  }
  registerMultipartUploads(app, { path: GRAPHQL_PATH, limits: services.uploadLimits });
  await app.register(fastifyApollo(apollo), {
    path: GRAPHQL_PATH,
    // With authentication on, no resolver runs (and no provider is called) without a verified token.
    context: async (request) => createContext(services, request, verifier && (await authenticate(verifier, request.headers.authorization))),
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  const readiness = new ReadinessProbe(options.backends);
  app.get('/readyz', async (_request, reply) => {
    const report = await readiness.check();
    return reply.code(report.ready ? 200 : 503).send(report);
  });

  return {
    app,
    apollo,
    services,
    recover,
    async listen(port, host = '127.0.0.1') {
      const address = await app.listen({ port, host });
      // The sync starts with serving: a server that cannot listen never calls providers in the background.
      if (options.syncSchedule !== false) sync.start();
      return `${address.replace('[::1]', 'localhost')}${GRAPHQL_PATH}`;
    },
    async close() {
      closing = true;
      clearInterval(sweep);
      clearInterval(renewal);
      await sync.stop();
      const deadline = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      deadline.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(deadline);
        await services.store.close();
      }
    },
  };
}

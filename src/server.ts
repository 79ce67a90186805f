import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import Fastify, { type FastifyInstance } from 'fastify';
import { SharedCache } from './cache/shared-cache.js';
import type { Backends } from './backends.js';
import type { UploadLimits } from './config.js';
import { Store } from './store/index.js';
import { Catalog } from './graph/catalog.js';
import { createContext, type GraphContext, type GraphServices } from './graph/context.js';
import { formatError, partialResultsPlugin } from './graph/errors.js';
import { Paginator } from './graph/pagination.js';
import { buildSchema } from './graph/schema.js';
import { playgroundPage, registerPlaygroundAssets, wantsPlayground } from './playground/index.js';
import { ReadinessProbe } from './readiness.js';

export const GRAPHQL_PATH = '/graphql';

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
  /** The SQLite file of the journal, history and uploads (`:memory:` for a throwaway one). */
  databasePath: string;
  uploadLimits?: UploadLimits;
}

export interface Server {
  app: FastifyInstance;
  apollo: ApolloServer<GraphContext>;
  services: GraphServices;
  /** Listens on `port` (0 = ephemeral) and resolves to the GraphQL URL. */
  listen(port: number, host?: string): Promise<string>;
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
  const services: GraphServices = {
    clients: options.backends.clients,
    cache,
    catalog: new Catalog(options.backends.clients, cache, { ...(options.ringcxAccountIds && { ringcxAccountIds: options.ringcxAccountIds }) }),
    paginator: new Paginator(options.cursorSecret),
    store: Store.open(options.databasePath),
    uploadLimits: options.uploadLimits ?? { maxBytes: 20 * 1024 * 1024, maxRows: 200_000 },
  };

  // On close, drop idle keep-alive sockets but let requests in flight finish.
  const app = Fastify({ logger: false, forceCloseConnections: 'idle' });
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
  const apollo = new ApolloServer<GraphContext>({
    schema: buildSchema(),
    logger: stderrLogger,
    formatError,
    validationRules: protection.validationRules,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // Our own GraphiQL page replaces Apollo's landing page, which loads from a CDN.
    plugins: [...armorPlugins, partialResultsPlugin<GraphContext>(), fastifyApolloDrainPlugin(app)],
  });
  await apollo.start();

  // Once shutdown begins, every response says `Connection: close`, so a
  // keep-alive client's socket ends with its last answer instead of holding
  // the server open.
  let closing = false;
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  registerPlaygroundAssets(app);
  // Browsers opening /graphql get the playground; everything else is GraphQL.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || request.url.split('?')[0] !== GRAPHQL_PATH) return;
    if (!wantsPlayground(request.headers.accept, request.url.includes('?'))) return;
    return reply.type('text/html; charset=utf-8').send(playgroundPage(GRAPHQL_PATH));
  });
  await app.register(fastifyApollo(apollo), {
    path: GRAPHQL_PATH,
    context: async (request) => createContext(services, request),
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
    async listen(port, host = '127.0.0.1') {
      const address = await app.listen({ port, host });
      return `${address.replace('[::1]', 'localhost')}${GRAPHQL_PATH}`;
    },
    async close() {
      closing = true;
      const deadline = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      deadline.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(deadline);
        services.store.close();
      }
    },
  };
}

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { ProviderName } from '../../src/providers/core/errors.js';
import { FaultConfigError, Faults } from './faults.js';
import { RateLimiter } from './rate-limiter.js';
import { RequestStats, toOpenApiPath } from './stats.js';

/** What the shared sandbox machinery gives each provider's routes. */
export interface SandboxKit {
  faults: Faults;
  limiter: RateLimiter;
}

/**
 * One embedded provider: its routes and in-memory state. The core server adds
 * what every provider shares: stats, faults and the `/__sandbox/` control plane.
 */
export interface SandboxProvider {
  readonly name: ProviderName;
  /**
   * The groups the provider's rate limits count in (the names it passes to
   * `kit.faults.rateLimit`); `rateLimits` in a fault config may name only these.
   */
  readonly rateLimitGroups: readonly string[];
  /** Answers with this provider's own error body (each provider has its own shape). */
  sendError(reply: FastifyReply, status: number, message: string, code?: string): FastifyReply;
  /** Registers the provider's API routes (and any provider-specific control routes). */
  register(app: FastifyInstance, kit: SandboxKit): void;
  /** Restores the seed state. */
  reset(): void;
}

export interface SandboxServerOptions {
  host?: string;
  /** 0 (default) picks an ephemeral port. */
  port?: number;
}

const CONTROL_PREFIX = '/__sandbox/';

/**
 * An HTTP server speaking one provider's contract. Requests pass through, in
 * order: stats (every API request counts, even ones later refused), injected
 * faults (latency, hang, reset, error), then the provider's own auth, rate
 * limiting and handler. A `drop` fault acts last: the request is handled in
 * full and its answer, whatever it is, is thrown away with the connection.
 */
export class SandboxServer {
  readonly stats = new RequestStats();
  readonly faults: Faults;
  readonly limiter = new RateLimiter();
  /** Requests a `drop` fault picked; their answer never leaves (see the onSend hook). */
  private readonly dropping = new WeakSet<FastifyRequest>();

  private constructor(
    readonly provider: SandboxProvider,
    readonly app: FastifyInstance,
  ) {
    this.faults = new Faults(provider.rateLimitGroups);
  }

  /** Starts `provider` on a loopback port and resolves once it is listening. */
  static async start(provider: SandboxProvider, options: SandboxServerOptions = {}): Promise<SandboxServer> {
    const app = Fastify({
      logger: false,
      // Hung requests (an injected fault) must not keep close() waiting.
      forceCloseConnections: true,
      bodyLimit: 20 * 1024 * 1024,
      // Providers differ in trailing slashes. Path parameters may be long:
      // RingCentral's batch GET puts up to 30 comma-separated ids in one.
      routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    });
    const server = new SandboxServer(provider, app);
    server.install();
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    return server;
  }

  /** `http://127.0.0.1:<port>`: the host root, so paths are the provider's own. */
  get baseUrl(): string {
    const address = this.app.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  /** Back to the seed state: provider data, counters, faults and rate windows. */
  reset(): void {
    this.provider.reset();
    this.stats.reset();
    this.faults.clear();
    this.limiter.reset();
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  private install(): void {
    const { app, provider } = this;

    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith(CONTROL_PREFIX)) return;
      const template = request.routeOptions.url;
      this.stats.record(request.method, template);
      const route = `${request.method} ${template === undefined ? request.url.split('?')[0] : toOpenApiPath(template)}`;

      const delay = this.faults.delayFor(route);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

      const action = this.faults.actionFor(route);
      switch (action.kind) {
        case 'pass':
          return;
        case 'hang':
          // Take the response away from fastify and never answer.
          reply.hijack();
          return reply;
        case 'reset':
          reply.hijack();
          request.raw.socket.resetAndDestroy();
          return reply;
        case 'drop':
          // Let the provider apply the request; onSend loses the answer.
          this.dropping.add(request);
          return;
        case 'error':
          if (action.retryAfterSeconds !== undefined) reply.header('retry-after', String(action.retryAfterSeconds));
          return provider.sendError(reply, action.status, action.message, action.code);
      }
    });

    // Runs before fastify writes the status line, so the client gets nothing
    // back; fastify's own write afterwards goes to a destroyed socket and is
    // discarded.
    app.addHook('onSend', async (request, _reply, payload) => {
      if (this.dropping.has(request)) request.raw.socket.destroy();
      return payload;
    });

    app.setNotFoundHandler((request, reply) => {
      provider.sendError(reply, 404, `No route for ${request.method} ${request.url.split('?')[0]}`);
    });
    app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      provider.sendError(reply, status, status === 500 ? 'Internal server error' : error.message);
    });

    app.get(`${CONTROL_PREFIX}stats`, async () => ({ ...this.stats.snapshot(), rateLimited: this.limiter.refused }));
    app.post(`${CONTROL_PREFIX}reset`, async () => {
      this.reset();
      return { reset: true };
    });
    app.get(`${CONTROL_PREFIX}faults`, async () => this.faults.describe());
    app.delete(`${CONTROL_PREFIX}faults`, async () => {
      this.faults.clear();
      return this.faults.describe();
    });
    app.post(`${CONTROL_PREFIX}faults`, async (request, reply) => {
      try {
        this.faults.configure(request.body);
        return this.faults.describe();
      } catch (error) {
        if (error instanceof FaultConfigError) return reply.code(400).send({ error: error.message });
        throw error;
      }
    });

    provider.register(app, { faults: this.faults, limiter: this.limiter });
  }
}

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FastifyReply } from 'fastify';
import { HttpClient, type HttpClientOptions } from '../../../src/providers/core/http.js';
import { ProviderError } from '../../../src/providers/core/errors.js';
import { SandboxServer, type SandboxProvider } from '../../../sandbox/core/server.js';
import { injectFaults, sandboxStats } from '../../support/sandbox.js';

/**
 * A minimal provider: enough routes to exercise the machinery every real
 * provider shares (stats, faults, retries, error mapping, token renewal).
 */
function echoProvider(): SandboxProvider & { validToken: string } {
  const provider = {
    name: 'ringyo' as const,
    rateLimitGroups: [],
    validToken: 'token-1',
    sendError(reply: FastifyReply, status: number, message: string, code?: string) {
      return reply.code(status).send({ error: { code: code ?? `E${status}`, message } });
    },
    register(app: Parameters<SandboxProvider['register']>[0]) {
      app.get('/items/:id', async (request, reply) => {
        const auth = request.headers.authorization;
        if (auth !== `Bearer ${provider.validToken}`) return reply.code(401).type('text/plain').send('Jwt is expired');
        return { id: (request.params as { id: string }).id };
      });
      app.post('/items', async () => ({ created: true }));
      app.get('/whoami', async (request) => ({ userAgent: request.headers['user-agent'] }));
      app.post('/search', async () => ({ records: [] }));
      app.get('/leaky', async (_request, reply) =>
        reply.code(400).send({ error: { code: 'BAD', message: 'token token-1 is not allowed here' } }),
      );
    },
    reset() {},
  };
  return provider;
}

describe('HttpClient against a sandbox server', () => {
  let server: SandboxServer;
  let provider: ReturnType<typeof echoProvider>;
  let token: string;
  let renewals: number;

  const client = (overrides: Partial<HttpClientOptions> = {}) =>
    new HttpClient({
      provider: 'ringyo',
      baseUrl: server.baseUrl,
      timeoutMs: 300,
      retry: { limit: 2, backoffLimitMs: 20, maxRetryAfterMs: 2000, fallbackRetryAfterMs: 50 },
      authorize: (headers) => {
        headers.authorization = `Bearer ${token}`;
      },
      secrets: () => [token],
      mapError: ({ body }) => {
        const error = (body as { error?: { code?: string; message?: string } } | string | null) ?? {};
        if (typeof error === 'string') return { message: error };
        return { message: error.error?.message ?? 'unknown', providerCode: error.error?.code };
      },
      isExpiredToken: ({ body }) => body === 'Jwt is expired',
      onExpiredToken: () => {
        renewals += 1;
        token = provider.validToken;
      },
      ...overrides,
    });

  beforeAll(async () => {
    provider = echoProvider();
    server = await SandboxServer.start(provider);
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    server.reset();
    token = 'token-1';
    renewals = 0;
  });

  it('counts requests by method and route template, not by URL, and ignores the control plane', async () => {
    const http = client();
    await http.request('GET', '/items/1');
    await http.request('GET', '/items/2');
    await http.request('POST', '/items', { json: {} });
    expect(await sandboxStats(server.baseUrl)).toEqual({
      rateLimited: 0,
      total: 3,
      byRoute: { 'GET /items/{id}': 2, 'POST /items': 1 },
    });
  });

  it('sends the Switchboard User-Agent', async () => {
    const { body } = await client().request<{ userAgent: string }>('GET', '/whoami');
    expect(body.userAgent).toMatch(/^Switchboard\/\d+\.\d+\.\d+ \(.+\)$/);
  });

  it('retries an idempotent GET after a 503, honouring Retry-After', async () => {
    await injectFaults(server.baseUrl, {
      rules: [{ match: 'GET /items/*', error: { status: 503, retryAfterSeconds: 0.2 }, times: 2 }],
    });
    const started = Date.now();
    const result = await client().request('GET', '/items/7');
    expect(result.body).toEqual({ id: '7' });
    expect((await sandboxStats(server.baseUrl)).byRoute['GET /items/{id}']).toBe(3);
    // Two waits of Retry-After (0.2 s each), not got's 20 ms backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
  });

  it('never retries a POST that creates something', async () => {
    await injectFaults(server.baseUrl, { rules: [{ match: 'POST /items', error: { status: 503 } }] });
    await expect(client().request('POST', '/items', { json: {} })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      status: 503,
      retryable: true,
    });
    expect((await sandboxStats(server.baseUrl)).byRoute['POST /items']).toBe(1);
  });

  it('retries a read-only POST marked idempotent', async () => {
    await injectFaults(server.baseUrl, { rules: [{ match: 'POST /search', error: { status: 502 }, times: 1 }] });
    await expect(client().request('POST', '/search', { json: {}, idempotent: true })).resolves.toMatchObject({ status: 200 });
    expect((await sandboxStats(server.baseUrl)).byRoute['POST /search']).toBe(2);
  });

  it.each([
    [401, 'UNAUTHENTICATED', false],
    [403, 'FORBIDDEN', false],
    [404, 'NOT_FOUND', false],
    [409, 'CONFLICT', false],
    [400, 'BAD_REQUEST', false],
    [500, 'UNAVAILABLE', true],
  ])('maps %i to %s', async (status, code, retryable) => {
    await injectFaults(server.baseUrl, { rules: [{ match: 'POST /items', error: { status, code: `P${status}`, message: 'nope' } }] });
    const error = await client().request('POST', '/items', { json: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'ringyo', status, code, providerCode: `P${status}`, retryable, operation: 'POST /items' });
    expect((error as Error).message).toBe(`ringyo POST /items failed with ${status}: nope`);
  });

  it('gives up on a 429 after the retry limit and reports how long to wait', async () => {
    await injectFaults(server.baseUrl, { rules: [{ match: 'GET /items/*', error: { status: 429, retryAfterSeconds: 0.05 } }] });
    const error = await client().request('GET', '/items/1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryable: true, retryAfterMs: 50 });
    expect((await sandboxStats(server.baseUrl)).byRoute['GET /items/{id}']).toBe(3);
  });

  it('stops sending to a rate-limited group instead of hammering, while other groups go on', async () => {
    await injectFaults(server.baseUrl, { rules: [{ match: 'GET /items/*', error: { status: 429, retryAfterSeconds: 30 }, times: 1 }] });
    const http = client();
    await expect(http.request('GET', '/items/1', { rateGroup: 'Heavy' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // Retry-After (30 s) exceeds what we wait inside one call: no retry was sent.
    expect((await sandboxStats(server.baseUrl)).byRoute['GET /items/{id}']).toBe(1);

    const blocked = await http.request('GET', '/items/2', { rateGroup: 'Heavy' }).catch((e: unknown) => e);
    expect(blocked).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    expect((blocked as ProviderError).retryAfterMs).toBeGreaterThan(25_000);
    expect((await sandboxStats(server.baseUrl)).byRoute['GET /items/{id}']).toBe(1);

    await expect(http.request('GET', '/items/3', { rateGroup: 'Light' })).resolves.toMatchObject({ status: 200 });
  });

  it('times out a hung request, retrying a GET, and reports TIMEOUT', async () => {
    await injectFaults(server.baseUrl, { rules: [{ match: 'GET /items/*', hang: true }] });
    const error = await client({ retry: { limit: 1, backoffLimitMs: 10, maxRetryAfterMs: 1000, fallbackRetryAfterMs: 10 } })
      .request('GET', '/items/1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, status: undefined });
    expect((error as Error).message).toBe('ringyo GET /items/1 did not answer within 300 ms');
    expect((await sandboxStats(server.baseUrl)).byRoute['GET /items/{id}']).toBe(2);
  });

  it('reports a reset connection as NETWORK and does not retry a POST', async () => {
    await injectFaults(server.baseUrl, { rules: [{ match: 'POST /items', reset: true }] });
    const error = await client().request('POST', '/items', { json: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true });
    expect((error as Error).message).toMatch(/^ringyo POST \/items failed: connection error \(ECONNRESET\)$/);
    expect((await sandboxStats(server.baseUrl)).byRoute['POST /items']).toBe(1);
  });

  it('renews an expired token once and replays the call', async () => {
    token = 'stale';
    const result = await client().request('GET', '/items/9');
    expect(result.body).toEqual({ id: '9' });
    expect(renewals).toBe(1);
    expect((await sandboxStats(server.baseUrl)).byRoute['GET /items/{id}']).toBe(2);
  });

  it('never puts a credential in an error message or its serialised form', async () => {
    const error = (await client().request('GET', '/leaky').catch((e: unknown) => e)) as ProviderError;
    expect(error.message).toBe('ringyo GET /leaky failed with 400: token [redacted] is not allowed here');
    expect(JSON.stringify(error)).not.toContain('token-1');
    expect(JSON.stringify(error.cause ?? null)).not.toContain('token-1');
  });

  it('adds latency with jitter', async () => {
    await injectFaults(server.baseUrl, { rules: [{ match: 'GET /items/*', latencyMs: 150, jitterMs: 50 }] });
    const started = Date.now();
    await client().request('GET', '/items/1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});

describe('sandbox control plane', () => {
  let server: SandboxServer;
  beforeAll(async () => {
    server = await SandboxServer.start(echoProvider());
  });
  afterAll(async () => server.close());

  it.each([
    [{ rules: 'x' }, 'rules must be an array'],
    [{ rules: [{ error: { status: 200 } }] }, 'rules[0].error.status must be a number between 400 and 599'],
    [{ rules: [{ hang: true, reset: true }] }, 'rules[0] sets more than one of hang, reset, drop and error'],
    [{ rules: [{ match: 'GET /x' }] }, 'rules[0] does nothing: set latencyMs, jitterMs, error, hang, reset or drop'],
    [{ rules: [{ drop: 'yes' }] }, 'rules[0].drop must be a boolean'],
    [{ rules: [{ rate: 2, hang: true }] }, 'rules[0].rate must be a number between 0 and 1'],
    [{ rules: [{ hang: true, typo: 1 }] }, 'rules[0]: unknown field "typo"'],
    [{ rateLimits: { '*': { limit: -1 } } }, 'rateLimits.*.limit must be a number between 0 and 1000000'],
    [{ rateLimits: { Heavy: { limit: 1 } } }, 'rateLimits.Heavy: unknown rate-limit group (expected *)'],
    [{ surprise: true }, 'unknown field "surprise" (expected rules, rateLimits)'],
  ])('rejects %j naming the field', async (body, error) => {
    const response = await fetch(`${server.baseUrl}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error });
  });

  it('answers unknown routes with the provider error body and counts them', async () => {
    server.reset();
    const response = await fetch(`${server.baseUrl}/nowhere?x=1`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'E404', message: 'No route for GET /nowhere' } });
    expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 1, byRoute: { 'GET <unmatched>': 1 } });
  });

  it('reset zeroes counters and clears faults', async () => {
    await injectFaults(server.baseUrl, { rules: [{ hang: true }] });
    await fetch(`${server.baseUrl}/__sandbox/reset`, { method: 'POST' });
    const faults = await (await fetch(`${server.baseUrl}/__sandbox/faults`)).json();
    expect(faults).toEqual({ rules: [], rateLimits: {} });
    expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 0, byRoute: {} });
  });
});

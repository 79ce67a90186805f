import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FastifyReply } from 'fastify';
import { ProviderError } from '../../../src/providers/core/errors.js';
import { RingyoClient, type RingyoClientOptions } from '../../../src/providers/ringyo/index.js';
import { SandboxServer, type SandboxProvider } from '../../../sandbox/core/server.js';
import { createRingyoSandbox, type RingyoSandbox } from '../../../sandbox/ringyo/index.js';
import { createWorld, type World } from '../../../sandbox/seed/world.js';
import { injectFaults, sandboxStats } from '../../support/sandbox.js';
import { collect } from '../../support/collect.js';

const LIST = 'GET /v1/phone-numbers';
const SHOW = 'GET /v1/phone-numbers/{phone_number_id}';
const TEST_RETRY = { limit: 2, backoffLimitMs: 20, maxRetryAfterMs: 2_000, fallbackRetryAfterMs: 50 };


async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

// 250 Ringyo numbers, so that listing takes three pages of 100.
const WORLD_SCALE = 2.5;

describe('RingyoClient against the Ringyo sandbox', () => {
  let world: World;
  let sandbox: RingyoSandbox;
  let server: SandboxServer;

  const client = (overrides: Partial<RingyoClientOptions> = {}) =>
    new RingyoClient({ baseUrl: server.baseUrl, apiKey: sandbox.credentials.apiKey, timeoutMs: 300, retry: TEST_RETRY, ...overrides });

  const raw = async (path: string): Promise<Response> =>
    fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${sandbox.credentials.apiKey}` } });

  beforeAll(async () => {
    world = createWorld({ seed: 1, scale: WORLD_SCALE });
    sandbox = createRingyoSandbox(world);
    server = await SandboxServer.start(sandbox);
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  describe('listPhoneNumbers', () => {
    it('pages through every number by cursor, 100 at a time, keeping each record as sent', async () => {
      const numbers = await collect(client().listPhoneNumbers());
      expect(numbers).toHaveLength(250);
      expect(new Set(numbers.map((n) => n.phone_number))).toEqual(new Set(world.ringyo.numbers.map((n) => n.e164)));
      const firstPage = (await (await raw('/v1/phone-numbers?limit=100')).json()) as { data: unknown[] };
      expect(numbers.slice(0, 100)).toEqual(firstPage.data);
      expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 4, byRoute: { [LIST]: 4 } });
    });

    it('passes the status and country filters', async () => {
      const pending = await collect(client().listPhoneNumbers({ status: 'pending' }));
      const total = ((await (await raw('/v1/phone-numbers?status=pending')).json()) as { total: number }).total;
      expect(pending.length).toBe(total);
      expect(pending.length).toBeGreaterThan(0);
      expect(pending.every((n) => n.status === 'pending' && n.default_agent_id === null)).toBe(true);

      const uk = await collect(client().listPhoneNumbers({ country: 'GB' }));
      expect(uk.map((n) => n.phone_number).sort()).toEqual(world.ringyo.numbers.filter((n) => n.country === 'GB').map((n) => n.e164).sort());
    });

    it('reports the refused parameter', async () => {
      const error = await failure(collect(client().listPhoneNumbers({ country: 'XX' })));
      expect(error).toMatchObject({ provider: 'ringyo', code: 'BAD_REQUEST', status: 400, providerCode: 'invalid_country', retryable: false });
      expect(error.message).toBe('ringyo GET /v1/phone-numbers failed with 400: Country code XX is not valid (parameter: country)');
    });
  });

  describe('getPhoneNumber', () => {
    it('returns the bare object, with stats and recent calls when asked', async () => {
      const [first] = await collect(client().listPhoneNumbers({ status: 'active' }));
      server.reset();
      const plain = await client().getPhoneNumber(first!.id);
      expect(plain).toEqual({ ...first, updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
      const detailed = await client().getPhoneNumber(first!.id, { include: ['stats', 'recent_calls'] });
      expect(detailed).toEqual({ ...plain, stats: expect.any(Object), recent_calls: expect.any(Array) });
      expect(detailed.stats!.calls_this_month).toBeLessThanOrEqual(detailed.stats!.total_calls);
      for (const call of detailed.recent_calls!) expect(call.id).toMatch(/^call_/);
      expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 2, byRoute: { [SHOW]: 2 } });
    });

    it('maps 404 to NOT_FOUND without retrying', async () => {
      const error = await failure(client().getPhoneNumber('pn_nope'));
      expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, providerCode: 'not_found', retryable: false });
      expect(error.message).toBe('ringyo GET /v1/phone-numbers/pn_nope failed with 404: Phone number pn_nope not found');
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(1);
    });
  });

  describe('errors', () => {
    it('maps a wrong key to UNAUTHENTICATED, without retrying or quoting the key', async () => {
      const error = await failure(client({ apiKey: 'vb_live_not-the-right-key' }).getPhoneNumber('pn_x'));
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, providerCode: 'unauthorized', retryable: false });
      expect(error.message).toBe('ringyo GET /v1/phone-numbers/pn_x failed with 401: Invalid or missing API key');
      expect((await sandboxStats(server.baseUrl)).total).toBe(1);
    });

    it('maps 403 to FORBIDDEN', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: SHOW, error: { status: 403, message: 'Key lacks phone_numbers:read' } }] });
      const error = await failure(client().getPhoneNumber('pn_x'));
      expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403, providerCode: 'forbidden' });
      expect(error.message).toBe('ringyo GET /v1/phone-numbers/pn_x failed with 403: Key lacks phone_numbers:read');
    });

    it('stops before the limit when a response says none remain, and resumes after X-RateLimit-Reset', async () => {
      await injectFaults(server.baseUrl, { rateLimits: { api: { limit: 2, windowSeconds: 1 } } });
      const api = client();
      await api.getPhoneNumber('pn_a').catch(() => undefined);
      await api.getPhoneNumber('pn_b').catch(() => undefined);
      // The second response said 0 remaining: the third waits for the window instead of drawing a 429.
      expect(await failure(api.getPhoneNumber('pn_c'))).toMatchObject({ code: 'NOT_FOUND' });
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(3);
    });

    it('after a 429, waits until X-RateLimit-Reset and retries once', async () => {
      await injectFaults(server.baseUrl, { rateLimits: { api: { limit: 1, windowSeconds: 1 } } });
      await raw('/v1/phone-numbers/pn_spent');
      expect(await failure(client().getPhoneNumber('pn_c'))).toMatchObject({ code: 'NOT_FOUND' });
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(3);
    });

    it('fails fast with RATE_LIMITED when the reset is further away than we wait', async () => {
      await injectFaults(server.baseUrl, { rateLimits: { api: { limit: 1, windowSeconds: 30 } } });
      await raw('/v1/phone-numbers/pn_spent');
      const error = await failure(client().getPhoneNumber('pn_c'));
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
      expect(error.retryAfterMs).toBeGreaterThan(25_000);
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(2);
    });

    it('retries a 5xx honouring Retry-After', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: LIST, error: { status: 503, retryAfterSeconds: 0.1 }, times: 2 }] });
      const started = Date.now();
      expect(await collect(client().listPhoneNumbers({ country: 'CA' }))).toHaveLength(world.ringyo.numbers.filter((n) => n.country === 'CA').length);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect((await sandboxStats(server.baseUrl)).byRoute[LIST]).toBe(3);
    });

    it('gives up on a persistent 500 with UNAVAILABLE after the retry limit', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: SHOW, error: { status: 500 } }] });
      const error = await failure(client().getPhoneNumber('pn_x'));
      expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 500, providerCode: 'internal_error', retryable: true });
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(3);
    });

    it('times out a hung request and reports TIMEOUT', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: SHOW, hang: true }] });
      const error = await failure(client({ retry: { ...TEST_RETRY, limit: 1 } }).getPhoneNumber('pn_x'));
      expect(error).toMatchObject({ code: 'TIMEOUT', status: undefined });
      expect(error.message).toBe('ringyo GET /v1/phone-numbers/pn_x did not answer within 300 ms');
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(2);
    });

    it('retries a reset connection and reports NETWORK', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: LIST, reset: true }] });
      expect(await failure(collect(client().listPhoneNumbers()))).toMatchObject({ code: 'NETWORK', retryable: true });
      expect((await sandboxStats(server.baseUrl)).byRoute[LIST]).toBe(3);
    });

    it('never puts the API key in an error', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: SHOW, error: { status: 400, message: `bad key ${sandbox.credentials.apiKey}` } }] });
      const error = await failure(client().getPhoneNumber('pn_x'));
      expect(error.message).toBe('ringyo GET /v1/phone-numbers/pn_x failed with 400: bad key [redacted]');
      expect(JSON.stringify({ error, cause: error.cause, stack: error.stack })).not.toContain(sandbox.credentials.apiKey);
    });
  });
});

describe('RingyoClient against the introduction page’s envelopes', () => {
  let sandbox: RingyoSandbox;
  let server: SandboxServer;

  beforeAll(async () => {
    sandbox = createRingyoSandbox(createWorld({ seed: 1, scale: WORLD_SCALE }), { envelopes: 'intro' });
    server = await SandboxServer.start(sandbox);
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  it('pages by offset and unwraps {data} on a single number', async () => {
    const api = new RingyoClient({ baseUrl: server.baseUrl, apiKey: sandbox.credentials.apiKey, timeoutMs: 500, retry: TEST_RETRY });
    const numbers = await collect(api.listPhoneNumbers());
    expect(numbers).toHaveLength(250);
    expect(new Set(numbers.map((n) => n.id)).size).toBe(250);
    const one = await api.getPhoneNumber(numbers[7]!.id, { include: ['stats'] });
    expect(one).toMatchObject({ ...numbers[7], stats: expect.any(Object) });
    expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 4, byRoute: { [LIST]: 3, [SHOW]: 1 } });
  });
});

/** A Ringyo that keeps answering the same offset, to check the client notices the loop. */
function loopingProvider(): SandboxProvider {
  return {
    name: 'ringyo',
    rateLimitGroups: [],
    sendError(reply: FastifyReply, status: number, message: string) {
      return reply.code(status).send({ error: { code: 'error', message, details: {} } });
    },
    register(app) {
      app.get('/v1/phone-numbers', async () => ({
        data: [{ id: 'pn_1', phone_number: '+14155550100', status: 'active', capabilities: { voice: true, sms: false } }],
        pagination: { total: 2, limit: 100, offset: 0, has_more: true },
      }));
    },
    reset() {},
  };
}

describe('RingyoClient with a looping list', () => {
  let server: SandboxServer;
  beforeAll(async () => {
    server = await SandboxServer.start(loopingProvider());
  });
  afterAll(async () => server.close());

  it('stops with INVALID_RESPONSE instead of paging forever', async () => {
    const api = new RingyoClient({ baseUrl: server.baseUrl, apiKey: 'vb_live_x', timeoutMs: 500, retry: TEST_RETRY });
    const error = await failure(collect(api.listPhoneNumbers()));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', retryable: false });
    expect(error.message).toBe('ringyo GET /v1/phone-numbers returned a body we cannot use: the list pointed back to a page it already returned ({"offset":1})');
    expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 2, byRoute: { [LIST]: 2 } });
  });
});

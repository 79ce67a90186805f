import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SandboxServer } from '../../../sandbox/core/server.js';
import { createRingyoSandbox, type RingyoSandbox } from '../../../sandbox/ringyo/index.js';
import { createWorld, type World } from '../../../sandbox/seed/world.js';
import { injectFaults, sandboxStats } from '../../support/sandbox.js';

interface Reply {
  status: number;
  headers: Headers;
  body: any; // raw provider JSON, inspected field by field
}

const LIST_KEYS = ['id', 'phone_number', 'friendly_name', 'country', 'region', 'capabilities', 'status', 'default_agent_id', 'created_at'];
const REQUEST_ID = /^req_[0-9a-f]{16}$/;

describe('Ringyo sandbox', () => {
  let world: World;
  let sandbox: RingyoSandbox;
  let server: SandboxServer;

  const call = async (path: string, authorization: string | null = `Bearer ${sandbox.credentials.apiKey}`): Promise<Reply> => {
    const response = await fetch(`${server.baseUrl}${path}`, { headers: authorization === null ? {} : { authorization } });
    return { status: response.status, headers: response.headers, body: await response.json() };
  };
  const all = async (): Promise<Record<string, any>[]> => (await call('/v1/phone-numbers?limit=100')).body.data;

  beforeAll(async () => {
    world = createWorld({ seed: 1, scale: 1 });
    sandbox = createRingyoSandbox(world);
    server = await SandboxServer.start(sandbox);
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  it('issues a vb_live_ key', () => {
    expect(sandbox.credentials.apiKey).toMatch(/^vb_live_[a-z0-9]{32}$/);
  });

  it.each([
    ['no header', null],
    ['a wrong key', 'Bearer vb_live_wrong'],
    ['Basic auth', () => `Basic ${Buffer.from(`${sandbox.credentials.apiKey}:`).toString('base64')}`],
  ])('refuses %s with Ringyo’s error envelope', async (_label, header) => {
    const reply = await call('/v1/phone-numbers', typeof header === 'function' ? header() : header);
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({
      error: { code: 'unauthorized', message: 'Invalid or missing API key', details: {} },
      meta: { request_id: expect.stringMatching(REQUEST_ID) },
    });
    expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 1, byRoute: { 'GET /v1/phone-numbers': 1 } });
  });

  describe('rate limit', () => {
    it('reports limit, remaining and reset (epoch seconds) on every response', async () => {
      const first = await call('/v1/phone-numbers?limit=1');
      const second = await call('/v1/phone-numbers/pn_missing');
      expect(first.headers.get('x-ratelimit-limit')).toBe('300');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('299');
      expect(second.headers.get('x-ratelimit-remaining')).toBe('298');
      const reset = Number(first.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThan(Date.now() / 1000);
      expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 61);
    });

    it('answers 429 in the error envelope once the key’s window is spent', async () => {
      await injectFaults(server.baseUrl, { rateLimits: { api: { limit: 1, windowSeconds: 30 } } });
      expect((await call('/v1/phone-numbers?limit=1')).status).toBe(200);
      const refused = await call('/v1/phone-numbers?limit=1');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(refused.headers.get('retry-after')).toBeNull();
      expect(refused.body).toEqual({
        error: { code: 'rate_limit_exceeded', message: expect.stringMatching(/^Rate limit exceeded\. Try again in (29|30) seconds\.$/), details: {} },
        meta: { request_id: expect.stringMatching(REQUEST_ID) },
      });
    });
  });

  describe('GET /v1/phone-numbers', () => {
    it('returns 20 by default in the documented list shape, without updated_at or stats', async () => {
      const reply = await call('/v1/phone-numbers');
      expect(Object.keys(reply.body)).toEqual(['data', 'has_more', 'next_cursor', 'total']);
      expect(reply.body).toMatchObject({ has_more: true, total: 100 });
      expect(reply.body.data).toHaveLength(20);
      for (const n of reply.body.data) expect(Object.keys(n)).toEqual(LIST_KEYS);
    });

    it('pages by cursor over the same records in the same order', async () => {
      const everything = await all();
      const paged: unknown[] = [];
      let cursor: string | null = null;
      do {
        const reply: Reply = await call(`/v1/phone-numbers?limit=30${cursor ? `&cursor=${cursor}` : ''}`);
        paged.push(...reply.body.data);
        cursor = reply.body.next_cursor;
        expect(reply.body.has_more).toBe(cursor !== null);
      } while (cursor);
      expect(paged).toEqual(everything);
      expect(everything.map((n) => n.created_at)).toEqual(everything.map((n) => n.created_at).sort());
    });

    it('filters by status and country (case-insensitively), totals counting the filtered set', async () => {
      const everything = await all();
      const reply = await call('/v1/phone-numbers?status=active&country=us&limit=100');
      const expected = everything.filter((n) => n.status === 'active' && n.country === 'US');
      expect(reply.body).toEqual({ data: expected, has_more: false, next_cursor: null, total: expected.length });
    });

    it.each([
      ['limit=0', 'invalid_parameter', 'limit must be an integer between 1 and 100', { parameter: 'limit' }],
      ['limit=101', 'invalid_parameter', 'limit must be an integer between 1 and 100', { parameter: 'limit' }],
      ['limit=ten', 'invalid_parameter', 'limit must be an integer between 1 and 100', { parameter: 'limit' }],
      ['status=deleted', 'invalid_parameter', 'status must be one of active, pending, inactive', { parameter: 'status', allowed: ['active', 'pending', 'inactive'] }],
      ['country=XX', 'invalid_country', 'Country code XX is not valid', { parameter: 'country' }],
      ['country=USA', 'invalid_country', 'Country code USA is not valid', { parameter: 'country' }],
      ['cursor=nonsense', 'invalid_cursor', 'The pagination cursor is invalid', { parameter: 'cursor' }],
      [`cursor=${Buffer.from(JSON.stringify({ after: 'pn_unknown' })).toString('base64url')}`, 'invalid_cursor', 'The pagination cursor is invalid', { parameter: 'cursor' }],
      ['limit=1&limit=2', 'invalid_parameter', 'limit must be given once', { parameter: 'limit' }],
    ])('refuses %s naming the parameter', async (query, code, message, details) => {
      const reply = await call(`/v1/phone-numbers?${query}`);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: { code, message, details }, meta: { request_id: expect.stringMatching(REQUEST_ID) } });
    });
  });

  describe('GET /v1/phone-numbers/{id}', () => {
    it('returns the bare object with updated_at, and stats or recent calls only when included', async () => {
      const [first] = await all();
      const plain = await call(`/v1/phone-numbers/${first!.id}`);
      expect(plain.body).toEqual({ ...first, updated_at: expect.any(String) });
      expect(Object.keys(plain.body)).toEqual([...LIST_KEYS, 'updated_at']);
      const withStats = await call(`/v1/phone-numbers/${first!.id}?include=stats`);
      expect(Object.keys(withStats.body)).toEqual([...LIST_KEYS.slice(0, -1), 'stats', 'created_at', 'updated_at']);
      const both = await call(`/v1/phone-numbers/${first!.id}?include=stats,recent_calls`);
      expect(Object.keys(both.body.stats)).toEqual(['total_calls', 'total_minutes', 'calls_this_month', 'minutes_this_month']);
      expect(Array.isArray(both.body.recent_calls)).toBe(true);
    });

    it('refuses an unknown include, and answers 404 in the envelope', async () => {
      const [first] = await all();
      expect((await call(`/v1/phone-numbers/${first!.id}?include=stats,transcripts`)).body.error).toEqual({
        code: 'invalid_parameter',
        message: 'include accepts stats, recent_calls; got transcripts',
        details: { parameter: 'include', allowed: ['stats', 'recent_calls'] },
      });
      const missing = await call('/v1/phone-numbers/pn_nope');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toEqual({ code: 'not_found', message: 'Phone number pn_nope not found', details: {} });
    });
  });

  describe('seed data', () => {
    it('holds every world number, mostly active, with agents and stats that fit the status', async () => {
      const everything = await all();
      expect(everything.map((n) => n.phone_number).sort()).toEqual(world.ringyo.numbers.map((n) => n.e164).sort());
      expect(new Set(everything.map((n) => n.id)).size).toBe(100);
      for (const n of everything) expect(n.id).toMatch(/^pn_[a-z0-9]{12}$/);

      const by = (status: string) => everything.filter((n) => n.status === status);
      expect(by('active').length).toBeGreaterThan(70);
      expect(by('pending').length).toBeGreaterThan(0);
      expect(by('inactive').length).toBeGreaterThan(0);
      expect(by('active').length + by('pending').length + by('inactive').length).toBe(100);
      expect(by('pending').every((n) => n.default_agent_id === null)).toBe(true);
      const agents = new Set(everything.map((n) => n.default_agent_id).filter((a) => a !== null));
      expect(agents.size).toBeGreaterThanOrEqual(5);
      for (const agent of agents) expect(agent).toMatch(/^agent_[a-z0-9]{10}$/);

      const shared = new Set(world.ringyo.sharedWithRingCentral.map((n) => n.e164));
      for (const n of everything.filter((x) => shared.has(x.phone_number))) {
        expect(n).toMatchObject({ status: 'active', default_agent_id: expect.stringMatching(/^agent_/) });
        expect(n.friendly_name).toMatch(/\(via RingCentral\)$/);
      }
      for (const n of everything) {
        if (n.country === 'GB') expect(n.region).toBe('ENG');
        else expect(n.region).toMatch(/^[A-Z]{2}$/);
      }
    });

    it('keeps stats consistent with each status', async () => {
      const everything = await all();
      for (const n of everything) {
        const { body } = await call(`/v1/phone-numbers/${n.id}?include=stats,recent_calls`);
        expect(body.created_at <= body.updated_at).toBe(true);
        const s = body.stats;
        expect(s.calls_this_month).toBeLessThanOrEqual(s.total_calls);
        expect(s.minutes_this_month).toBeLessThanOrEqual(s.total_minutes);
        if (n.status === 'pending') expect(s).toEqual({ total_calls: 0, total_minutes: 0, calls_this_month: 0, minutes_this_month: 0 });
        if (n.status !== 'active') expect(body.recent_calls).toEqual([]);
        for (const c of body.recent_calls) expect([c.from_number, c.to_number]).toContain(n.phone_number);
      }
    });

    it('is the same for the same seed and after a reset', async () => {
      const before = await all();
      const again = createRingyoSandbox(createWorld({ seed: 1, scale: 1 }));
      const other = await SandboxServer.start(again);
      try {
        const response = await fetch(`${other.baseUrl}/v1/phone-numbers?limit=100`, { headers: { authorization: `Bearer ${again.credentials.apiKey}` } });
        expect(((await response.json()) as { data: unknown[] }).data).toEqual(before);
      } finally {
        await other.close();
      }
      server.reset();
      expect(await all()).toEqual(before);
    });
  });

  it('writes injected faults and unknown routes in the error envelope', async () => {
    await injectFaults(server.baseUrl, { rules: [{ match: 'GET /v1/phone-numbers', error: { status: 502 } }] });
    expect(await call('/v1/phone-numbers')).toMatchObject({
      status: 502,
      body: { error: { code: 'bad_gateway', message: 'Injected fault: 502', details: {} }, meta: { request_id: expect.stringMatching(REQUEST_ID) } },
    });
    expect(await call('/v1/agents')).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: 'No route for GET /v1/agents' } } });
  });
});

describe('Ringyo sandbox speaking the introduction page’s envelopes', () => {
  let sandbox: RingyoSandbox;
  let server: SandboxServer;
  const call = async (path: string) => {
    const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${sandbox.credentials.apiKey}` } });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    sandbox = createRingyoSandbox(createWorld({ seed: 1, scale: 1 }), { envelopes: 'intro' });
    server = await SandboxServer.start(sandbox);
  });
  afterAll(async () => server.close());

  it('pages by limit and offset under pagination, and wraps one number in {data, meta}', async () => {
    const page = await call('/v1/phone-numbers?limit=30&offset=90');
    expect(Object.keys(page.body)).toEqual(['data', 'pagination']);
    expect(page.body.pagination).toEqual({ total: 100, limit: 30, offset: 90, has_more: false });
    expect(page.body.data).toHaveLength(10);
    const one = await call(`/v1/phone-numbers/${page.body.data[0].id}`);
    expect(one.body).toEqual({ data: { ...page.body.data[0], updated_at: expect.any(String) }, meta: { request_id: expect.stringMatching(REQUEST_ID) } });
    expect((await call('/v1/phone-numbers?offset=-1')).body.error).toEqual({
      code: 'invalid_parameter',
      message: 'offset must be an integer between 0 and 1000000',
      details: { parameter: 'offset' },
    });
  });
});

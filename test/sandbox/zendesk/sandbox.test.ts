import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SandboxServer } from '../../../sandbox/core/server.js';
import { createWorld, type World } from '../../../sandbox/seed/world.js';
import { createZendeskSandbox, type ZendeskSandbox } from '../../../sandbox/zendesk/index.js';
import { injectFaults, sandboxStats } from '../../support/sandbox.js';

const TALK = '/api/v2/channels/voice';

interface Reply {
  status: number;
  headers: Headers;
  body: any; // raw provider JSON, inspected field by field
}

describe('Zendesk sandbox', () => {
  let world: World;
  let sandbox: ZendeskSandbox;
  let server: SandboxServer;
  let basic: string;

  const call = async (path: string, init: { method?: string; body?: unknown; authorization?: string | null } = {}): Promise<Reply> => {
    const headers: Record<string, string> = {};
    const authorization = init.authorization === undefined ? `Basic ${basic}` : init.authorization;
    if (authorization !== null) headers.authorization = authorization;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json');
    return { status: response.status, headers: response.headers, body: json ? JSON.parse(text) : text };
  };

  beforeAll(async () => {
    world = createWorld({ seed: 1, scale: 1 });
    sandbox = createZendeskSandbox(world);
    server = await SandboxServer.start(sandbox);
    basic = Buffer.from(`${sandbox.credentials.email}/token:${sandbox.credentials.apiToken}`).toString('base64');
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  describe('authentication', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');

    it.each([
      ['no header', null],
      ['password Basic', () => `Basic ${b64(`${sandbox.credentials.email}:${sandbox.credentials.apiToken}`)}`],
      ['a wrong token', () => `Basic ${b64(`${sandbox.credentials.email}/token:${sandbox.credentials.apiToken.slice(1)}x`)}`],
      ['another agent', () => `Basic ${b64(`someone@else.example/token:${sandbox.credentials.apiToken}`)}`],
      ['a Bearer token', () => `Bearer ${sandbox.credentials.apiToken}`],
    ])('refuses %s with Zendesk’s 401', async (_label, header) => {
      const reply = await call(`${TALK}/phone_numbers`, { authorization: typeof header === 'function' ? header() : header });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: "Couldn't authenticate you" });
      expect(reply.headers.get('www-authenticate')).toBe('Basic realm="Web Password"');
      expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 1, byRoute: { [`GET ${TALK}/phone_numbers`]: 1 } });
    });

    it('matches the email case-insensitively', async () => {
      const upper = Buffer.from(`${sandbox.credentials.email.toUpperCase()}/token:${sandbox.credentials.apiToken}`).toString('base64');
      expect((await call(`${TALK}/ivr`, { authorization: `Basic ${upper}` })).status).toBe(200);
    });
  });

  describe('phone number lists', () => {
    it('serves the same list with and without the .json suffix, and the same number by id', async () => {
      const plain = await call(`${TALK}/phone_numbers?per_page=5`);
      const suffixed = await call(`${TALK}/phone_numbers.json?per_page=5`);
      expect(suffixed.body.phone_numbers).toEqual(plain.body.phone_numbers);
      const id = plain.body.phone_numbers[0].id as number;
      expect((await call(`${TALK}/phone_numbers/${id}.json`)).body).toEqual((await call(`${TALK}/phone_numbers/${id}`)).body);
      // Links keep the form that was asked for.
      expect(suffixed.body.next_page).toBe(`${server.baseUrl}${TALK}/phone_numbers.json?per_page=5&page=2`);
      expect(plain.body.next_page).toBe(`${server.baseUrl}${TALK}/phone_numbers?per_page=5&page=2`);
    });

    it('pages by offset with full-URL links and a total count, capping per_page at 100', async () => {
      const first = await call(`${TALK}/phone_numbers?per_page=500`);
      expect(first.body.phone_numbers).toHaveLength(100);
      expect(first.body).toMatchObject({ count: 300, previous_page: null, next_page: `${server.baseUrl}${TALK}/phone_numbers?per_page=500&page=2` });
      const last = await call(`${TALK}/phone_numbers?page=3`);
      expect(last.body).toMatchObject({ count: 300, next_page: null, previous_page: `${server.baseUrl}${TALK}/phone_numbers?page=2` });
      expect(last.body.phone_numbers).toHaveLength(100);
      const beyond = await call(`${TALK}/phone_numbers?page=100`);
      expect(beyond.body).toMatchObject({ phone_numbers: [], next_page: null, count: 300 });
    });

    it('refuses offset pages past the first 10,000 records with a 400', async () => {
      const reply = await call(`${TALK}/phone_numbers?page=101&per_page=100`);
      const description = 'Offset pagination is limited to the first 10000 records. Use cursor pagination (page[size]) to go further.';
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        error: 'InvalidPaginationParameter',
        description,
        details: { page: [{ description, error: 'InvalidPaginationParameter' }] },
      });
    });

    it.each([
      ['page=0', 'page', 'page must be a positive integer'],
      ['per_page=ten', 'per_page', 'per_page must be a positive integer'],
      ['page[size]=101', 'page[size]', 'page[size] must be less than or equal to 100'],
      ['page[after]=bogus', 'page[after]', 'page[after] is not a valid cursor'],
      ['page=1&page=2', 'page', 'page must be given once'],
    ])('refuses %s naming the parameter', async (query, name, description) => {
      const reply = await call(`${TALK}/phone_numbers?${query}`);
      expect(reply.status).toBe(400);
      expect(reply.body.details).toEqual({ [name]: [{ description, error: expect.any(String) }] });
      expect(reply.body.description).toBe(description);
    });

    it('pages by cursor forwards and backwards over the same records', async () => {
      const ids = (body: { phone_numbers: { id: number }[] }) => body.phone_numbers.map((n) => n.id);
      const all = ids((await call(`${TALK}/phone_numbers?per_page=100`)).body).concat(
        ids((await call(`${TALK}/phone_numbers?page=2`)).body),
        ids((await call(`${TALK}/phone_numbers?page=3`)).body),
      );
      const first = await call(`${TALK}/phone_numbers?page[size]=100`);
      expect(ids(first.body)).toEqual(all.slice(0, 100));
      expect(first.body.meta.has_more).toBe(true);
      const second = await call(new URL(first.body.links.next).pathname + new URL(first.body.links.next).search);
      expect(ids(second.body)).toEqual(all.slice(100, 200));
      const third = await call(`${TALK}/phone_numbers?page[size]=100&page[after]=${second.body.meta.after_cursor}`);
      expect(ids(third.body)).toEqual(all.slice(200));
      expect(third.body.meta.has_more).toBe(false);
      expect(third.body.links.next).not.toBeNull();
      const back = await call(`${TALK}/phone_numbers?page[size]=100&page[before]=${third.body.meta.before_cursor}`);
      expect(ids(back.body)).toEqual(all.slice(100, 200));
      expect(back.body.meta.has_more).toBe(true);
      expect(Object.keys(first.body).sort()).toEqual(['links', 'meta', 'phone_numbers']);
    });

    it('returns the observed reduced fields in minimal mode', async () => {
      const reply = await call(`${TALK}/phone_numbers?minimal_mode=true&per_page=2`);
      for (const n of reply.body.phone_numbers) {
        expect(Object.keys(n)).toEqual([
          'id', 'country_code', 'external', 'nickname', 'display_number', 'capabilities', 'sms_enabled', 'priority', 'outbound_enabled', 'line_type',
        ]);
      }
    });
  });

  describe('seed data', () => {
    it('holds every world number once, formatted the Zendesk way', async () => {
      const numbers = (
        await Promise.all([1, 2, 3].map((page) => call(`${TALK}/phone_numbers?page=${page}`)))
      ).flatMap((r) => r.body.phone_numbers as Record<string, any>[]);
      expect(numbers.map((n) => n.number).sort()).toEqual(world.zendesk.numbers.map((n) => n.e164).sort());
      const ids = numbers.map((n) => n.id as number);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      for (const n of numbers) {
        expect(String(n.id)).toMatch(/^\d{14}$/);
        if (n.number.startsWith('+1')) expect(n.display_number).toMatch(/^\+1 \(\d{3}\) \d{3}-\d{4}$/);
        else expect(n.display_number).toMatch(/^\+44 (20 \d{4} \d{4}|161 \d{3} \d{4})$/);
        expect(n.name).toBe(n.nickname ?? n.display_number);
      }
      const external = numbers.filter((n) => n.external);
      expect(external.map((n) => n.number).sort()).toEqual(world.zendesk.sharedWithRingCentral.map((n) => n.e164).sort());
      for (const n of external) expect(n).toMatchObject({ group_ids: [], ivr_id: null, voice_enabled: false });

      const own = numbers.filter((n) => !n.external);
      const toGroups = own.filter((n) => n.group_ids.length > 0);
      const toIvr = own.filter((n) => n.ivr_id !== null);
      const unrouted = own.filter((n) => n.group_ids.length === 0 && n.ivr_id === null);
      expect(toGroups.length).toBeGreaterThan(own.length * 0.7);
      expect(toIvr.length).toBeGreaterThan(10);
      expect(unrouted.length).toBeGreaterThan(0);
      expect(toGroups.length + toIvr.length + unrouted.length).toBe(own.length);
      for (const n of toGroups) expect(n.group_ids).toContain(n.default_group_id);

      const groups = (await call('/api/v2/groups')).body.groups as { id: number; name: string }[];
      const emea = groups.find((g) => g.name === 'EMEA Support')!.id;
      for (const n of own.filter((x) => x.country_code === 'GB' && x.group_ids.length > 0)) expect(n.group_ids[0]).toBe(emea);
    });

    it('is the same for the same seed, different for another, and scales', async () => {
      const again = createZendeskSandbox(createWorld({ seed: 1, scale: 1 }));
      const other = createZendeskSandbox(createWorld({ seed: 2, scale: 1 }));
      const bigger = createZendeskSandbox(createWorld({ seed: 1, scale: 2 }));
      const servers = await Promise.all([again, other, bigger].map((p) => SandboxServer.start(p)));
      try {
        const list = async (s: SandboxServer, p: ZendeskSandbox) => {
          const auth = Buffer.from(`${p.credentials.email}/token:${p.credentials.apiToken}`).toString('base64');
          const r = await fetch(`${s.baseUrl}${TALK}/phone_numbers?per_page=100`, { headers: { authorization: `Basic ${auth}` } });
          return (await r.json()) as { phone_numbers: unknown[]; count: number };
        };
        expect((await list(servers[0]!, again)).phone_numbers).toEqual((await call(`${TALK}/phone_numbers?per_page=100`)).body.phone_numbers);
        expect(again.credentials).toEqual(sandbox.credentials);
        expect((await list(servers[1]!, other)).phone_numbers).not.toEqual((await call(`${TALK}/phone_numbers?per_page=100`)).body.phone_numbers);
        expect((await list(servers[2]!, bigger)).count).toBe(600);
      } finally {
        await Promise.all(servers.map((s) => s.close()));
      }
    });

    it('lists groups with exclude_deleted and by cursor', async () => {
      expect((await call('/api/v2/groups.json')).body.count).toBe(13);
      const live = await call('/api/v2/groups?exclude_deleted=true');
      expect(live.body.count).toBe(12);
      expect(live.body.groups.every((g: { deleted: boolean }) => !g.deleted)).toBe(true);
      const page = await call('/api/v2/groups?page[size]=5');
      expect(page.body.groups).toHaveLength(5);
      expect(page.body.meta.has_more).toBe(true);
    });
  });

  describe('search', () => {
    it.each([
      ['', 'country', "Country can't be blank", 'BlankValue'],
      ['country=ZZ', 'country', 'Country ZZ is not a valid ISO 3166 country code', 'InvalidValue'],
      ['country=GB&area_code=020', 'area_code', 'Area code is only supported for US and CA numbers', 'InvalidValue'],
      ['country=US&contains=12-34', 'contains', 'Contains may only use up to 10 characters from 0-9, a-z and *', 'InvalidValue'],
      ['country=US&toll_free=yes', 'toll_free', 'Toll free must be true or false', 'InvalidValue'],
    ])('refuses %j naming %s', async (query, field, description, error) => {
      const reply = await call(`${TALK}/phone_numbers/search?${query}`);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error, description, details: { [field]: [{ description, error }] } });
    });

    it('answers the same query with the same numbers and tokens', async () => {
      const a = await call(`${TALK}/phone_numbers/search?country=US&contains=2*2`);
      const b = await call(`${TALK}/phone_numbers/search.json?country=US&contains=2*2`);
      expect(b.body).toEqual(a.body);
      expect(a.body).toMatchObject({ next_page: null, previous_page: null, count: a.body.phone_numbers.length });
      for (const n of a.body.phone_numbers) expect(n.number.slice(2)).toMatch(/2\d2/);
    });

    it('has no stock outside the US, Canada and the UK', async () => {
      expect((await call(`${TALK}/phone_numbers/search?country=FR`)).body).toEqual({ phone_numbers: [], next_page: null, previous_page: null, count: 0 });
    });
  });

  describe('provisioning and updates', () => {
    const firstNumber = async () => (await call(`${TALK}/phone_numbers?per_page=1`)).body.phone_numbers[0] as { id: number; number: string };

    it('refuses a body without the phone_number wrapper', async () => {
      for (const [method, path] of [['POST', `${TALK}/phone_numbers`], ['PUT', `${TALK}/phone_numbers/${(await firstNumber()).id}`]] as const) {
        const reply = await call(path, { method, body: { nickname: 'x', token: 'y' } });
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual({
          error: 'ParameterMissing',
          description: 'param is missing or the value is empty: phone_number',
          details: { phone_number: [{ description: 'Phone number must be an object wrapping the attributes', error: 'BlankValue' }] },
        });
      }
    });

    it('refuses ids sent as strings, deleted groups, and a default group outside the groups', async () => {
      const { id } = await firstNumber();
      const groups = (await call('/api/v2/groups')).body.groups as { id: number; deleted: boolean }[];
      const [a, b] = groups.filter((g) => !g.deleted);
      const deleted = groups.find((g) => g.deleted)!;
      const put = (attributes: Record<string, unknown>) => call(`${TALK}/phone_numbers/${id}`, { method: 'PUT', body: { phone_number: attributes } });

      expect((await put({ group_ids: [String(a!.id)] })).body.details).toEqual({
        group_ids: [{ description: 'Group ids must be a list of group ids', error: 'InvalidValue' }],
      });
      expect((await put({ group_ids: [deleted.id] })).body.details).toEqual({
        group_ids: [{ description: `Group ids ${deleted.id} is not a valid group`, error: 'InvalidValue' }],
      });
      const outside = await put({ group_ids: [a!.id], default_group_id: b!.id });
      expect(outside.status).toBe(422);
      expect(outside.body.details).toEqual({
        default_group_id: [{ description: `Default group ${b!.id} must be one of the number's groups`, error: 'InvalidValue' }],
      });
      // Nothing changed on refusal.
      expect((await call(`${TALK}/phone_numbers/${id}`)).body.phone_number).toEqual(
        (await call(`${TALK}/phone_numbers?per_page=1`)).body.phone_numbers[0],
      );
    });

    it('moves the default group with the groups, stores failover numbers as E.164 and ignores read-only attributes', async () => {
      const { id, number } = await firstNumber();
      const groups = ((await call('/api/v2/groups?exclude_deleted=true')).body.groups as { id: number }[]).map((g) => g.id);
      const reply = await call(`${TALK}/phone_numbers/${id}`, {
        method: 'PUT',
        body: { phone_number: { group_ids: [groups[3], groups[4]], failover_number: '(415) 867-5309', number: '+10000000000', external: true } },
      });
      expect(reply.status).toBe(200);
      expect(reply.body.phone_number).toMatchObject({
        id,
        number,
        external: false,
        group_ids: [groups[3], groups[4]],
        default_group_id: groups[3],
        failover_number: '+14158675309',
      });
    });

    it('releases numbers, and reset brings back the seed account', async () => {
      const before = (await call(`${TALK}/phone_numbers?per_page=100`)).body;
      const { id } = await firstNumber();
      expect((await call(`${TALK}/phone_numbers/${id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await call(`${TALK}/phone_numbers/${id}`, { method: 'DELETE' })).body).toEqual({ error: 'RecordNotFound', description: 'Not found' });
      const offer = (await call(`${TALK}/phone_numbers/search?country=US`)).body.phone_numbers[0];
      expect((await call(`${TALK}/phone_numbers`, { method: 'POST', body: { phone_number: { token: offer.token } } })).status).toBe(201);
      server.reset();
      expect((await call(`${TALK}/phone_numbers?per_page=100`)).body).toEqual(before);
    });
  });

  describe('rate limits and faults', () => {
    it('reports the account limit on every response', async () => {
      const first = await call(`${TALK}/ivr`);
      const second = await call('/api/v2/groups');
      expect([first.headers.get('x-rate-limit'), first.headers.get('x-rate-limit-remaining')]).toEqual(['400', '399']);
      expect([second.headers.get('x-rate-limit'), second.headers.get('x-rate-limit-remaining')]).toEqual(['400', '398']);
    });

    it('answers over the limit with a plain-text 429 and Retry-After', async () => {
      await injectFaults(server.baseUrl, { rateLimits: { account: { limit: 1, windowSeconds: 30 } } });
      expect((await call(`${TALK}/ivr`)).status).toBe(200);
      const refused = await call(`${TALK}/ivr`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(refused.headers.get('retry-after')).toMatch(/^(29|30)$/);
      expect(refused.headers.get('x-rate-limit-remaining')).toBe('0');
      expect(refused.body).toMatch(/^Number of allowed API requests per minute exceeded\. Retry after (29|30) seconds\.$/);
    });

    it('applies the Talk limit to Talk endpoints only', async () => {
      await injectFaults(server.baseUrl, { rateLimits: { talk: { limit: 1, windowSeconds: 300 } } });
      expect((await call(`${TALK}/ivr`)).status).toBe(200);
      const refused = await call(`${TALK}/phone_numbers`);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatch(/^Talk API rate limit exceeded\. Retry after \d+ seconds\.$/);
      expect((await call('/api/v2/groups')).status).toBe(200);
    });

    it('writes injected faults in Zendesk’s error shapes', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: `GET ${TALK}/ivr`, error: { status: 503, message: 'Maintenance' } }] });
      expect(await call(`${TALK}/ivr`)).toMatchObject({ status: 503, body: { error: 'ServiceUnavailable', description: 'Maintenance' } });
      const unknown = await call('/api/v2/tickets');
      expect(unknown).toMatchObject({ status: 404, body: { error: 'InvalidEndpoint', description: 'No route for GET /api/v2/tickets' } });
    });
  });
});

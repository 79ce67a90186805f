import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SandboxServer } from '../../../sandbox/core/server.js';
import { createRingCxSandbox } from '../../../sandbox/ringcx/index.js';
import { createWorld } from '../../../sandbox/seed/world.js';
import { injectFaults, resetSandbox, sandboxStats } from '../../support/sandbox.js';
import { RC_OWNER, RC_TOKEN, startRingCx, TNM, type RingCxHarness } from '../../providers/ringcx/support.js';

type Row = {
  dnis: string;
  dnisE164: string;
  dnisState: string;
  active: boolean;
  carrier: string;
  dnisManagedByRC: boolean;
  assignedDnis?: { endPointType: string; endPointId: string };
};
type V2 = { entries: Record<string, { name: string; records: Row[] }>; totalCount: number };
type Json = Record<string, unknown>;

const V2_SEARCH = '/voice/api/v2/admin/utilities/tnManager/searchDnis';
const EXCHANGE = '/api/auth/login/rc/accesstoken';

async function form(baseUrl: string, path: string, fields: Record<string, string>, query = ''): Promise<{ status: number; body: Json; type: string | null }> {
  const response = await fetch(`${baseUrl}${path}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, body: (await response.json()) as Json, type: response.headers.get('content-type') };
}

function jwtPayload(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Json;
}

describe('RingCX sandbox seed', () => {
  let rcx: RingCxHarness;
  let rows: (Row & { accountId: string })[];
  beforeAll(async () => {
    rcx = await startRingCx();
    const v2 = (await rcx.raw('POST', V2_SEARCH, {})).body as V2;
    rows = Object.entries(v2.entries).flatMap(([accountId, e]) => e.records.map((r) => ({ ...r, accountId })));
  });
  afterAll(async () => rcx.close());

  it('spreads the world pool over three sub-accounts', () => {
    const world = createWorld({ seed: 1, scale: 1 });
    expect(rows).toHaveLength(world.ringcx.pool.length);
    expect(new Set(rows.map((r) => r.dnisE164))).toEqual(new Set(world.ringcx.pool.map((n) => n.e164)));
    expect(rcx.sandbox.accountIds).toEqual(['15300001', '15300002', '15300003']);
    const per = (id: string) => rows.filter((r) => r.accountId === id).length;
    expect([per('15300001'), per('15300002'), per('15300003')]).toEqual([861, 739, 400]);
  });

  it('writes DNIS as E.164 digits without "+" (UK included)', () => {
    expect(rows.every((r) => r.dnisE164 === `+${r.dnis}` && /^\d{11,12}$/.test(r.dnis))).toBe(true);
    expect(rows.some((r) => r.dnis.startsWith('44'))).toBe(true);
  });

  it('assigns most numbers, mostly to queues, and leaves about 12% unassigned', () => {
    const by = (type: string | undefined) => rows.filter((r) => r.assignedDnis?.endPointType === type).length;
    const unassigned = rows.filter((r) => !r.assignedDnis);
    expect({ GATE: by('GATE'), VISUAL_IVR: by('VISUAL_IVR'), CLOUD_PROFILE: by('CLOUD_PROFILE'), TRAC_NUMBER: by('TRAC_NUMBER'), none: unassigned.length }).toEqual({
      GATE: 1447,
      VISUAL_IVR: 176,
      CLOUD_PROFILE: 102,
      TRAC_NUMBER: 29,
      none: 246,
    });
    expect(unassigned.filter((r) => !r.active)).toHaveLength(40);
    expect(rows.filter((r) => r.dnisState === 'INACTIVE')).toHaveLength(40);
  });

  it('keeps the numbers shared with RingCentral as ordinary pool members', () => {
    const shared = new Set(createWorld({ seed: 1, scale: 1 }).ringcx.sharedWithRingCentral.map((n) => n.e164));
    const sharedRows = rows.filter((r) => shared.has(r.dnisE164));
    expect(sharedRows).toHaveLength(60);
    expect(sharedRows.every((r) => r.dnisManagedByRC && r.carrier === 'RingCentral')).toBe(true);
    expect(sharedRows.filter((r) => r.assignedDnis).length).toBeGreaterThan(40);
  });

  it('has 40 queues in 9 groups, 8 cloud route profiles in 4 groups and 6 tracking groups', async () => {
    let gates = 0;
    let groups = 0;
    let profiles = 0;
    let cloudGroups = 0;
    let tracGroups = 0;
    const tracNumbers: Json[] = [];
    for (const account of rcx.sandbox.accountIds) {
      const gateGroups = (await rcx.raw('GET', `/voice/api/v1/admin/accounts/${account}/gateGroups/withChildren`)).body as { gates: unknown[] }[];
      groups += gateGroups.length;
      gates += gateGroups.reduce((n, g) => n + g.gates.length, 0);
      const cloud = (await rcx.raw('GET', `/voice/api/v2-skinny/admin/accounts/${account}/cloudRouteProfileGroups/withChildren`)).body as { cloudRouteProfiles: unknown[] }[];
      cloudGroups += cloud.length;
      profiles += cloud.reduce((n, g) => n + g.cloudRouteProfiles.length, 0);
      const trac = (await rcx.raw('GET', `/voice/api/v1/admin/accounts/${account}/tracGroups/withChildren`)).body as { tracNumbers: Json[] }[];
      tracGroups += trac.length;
      expect(trac.every((g) => g.tracNumbers.length >= 4 && g.tracNumbers.length <= 8)).toBe(true);
      tracNumbers.push(...trac.flatMap((g) => g.tracNumbers));
    }
    expect({ gates, groups, profiles, cloudGroups, tracGroups, tracNumbers: tracNumbers.length }).toEqual({
      gates: 40,
      groups: 9,
      profiles: 8,
      cloudGroups: 4,
      tracGroups: 6,
      tracNumbers: 29,
    });
    // Each tracking number owns exactly one DNIS, and that DNIS points back at it.
    const owned = tracNumbers.map((t) => (t.assignedDnis as { dnis: string }).dnis);
    expect(new Set(owned).size).toBe(29);
    expect(rows.filter((r) => r.assignedDnis?.endPointType === 'TRAC_NUMBER').map((r) => r.dnis).sort()).toEqual([...owned].sort());
  });

  it('is deterministic for a seed and scales with the world', async () => {
    const again = createRingCxSandbox(createWorld({ seed: 1, scale: 1 }), { verifyRingCentralToken: () => null });
    expect(again.credentials).toEqual(rcx.sandbox.credentials);
    const server = await SandboxServer.start(again);
    const small = await SandboxServer.start(createRingCxSandbox(createWorld({ seed: 1, scale: 0.25 }), { verifyRingCentralToken: () => null }));
    try {
      const search = async (s: SandboxServer, token: string) =>
        (await (await fetch(`${s.baseUrl}${V2_SEARCH}`, { method: 'POST', headers: { 'x-auth-token': token, 'content-type': 'application/json' }, body: '{}' })).json()) as V2;
      expect(await search(server, again.credentials.apiToken)).toEqual((await rcx.raw('POST', V2_SEARCH, {})).body);
      expect((await search(small, (small.provider as typeof again).credentials.apiToken)).totalCount).toBe(500);
    } finally {
      await server.close();
      await small.close();
    }
  });
});

describe('RingCX sandbox auth', () => {
  let rcx: RingCxHarness;
  beforeAll(async () => {
    rcx = await startRingCx({ tokenTtlSeconds: 300 });
  });
  afterAll(async () => rcx.close());
  beforeEach(async () => resetSandbox(rcx.baseUrl));

  it('exchanges a RingCentral token sent as a form body for AccessTokenUserDetails with a 5-minute JWT', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { status, body } = await form(rcx.baseUrl, EXCHANGE, { rcAccessToken: RC_TOKEN, rcTokenType: 'Bearer', includeRefresh: 'true' });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      mainAccountId: '15300000',
      adminId: 1101,
      adminUrl: '/voice/admin/',
      agentUrl: '/voice/agent/',
      ssoLogin: true,
      refreshToken: expect.stringMatching(/^rcx-rt-/),
    });
    expect((body.agentDetails as Json[]).map((a) => [a.accountId, a.rcUserId])).toEqual([
      ['15300001', 62001001],
      ['15300002', 62001001],
      ['15300003', 62001001],
    ]);
    const claims = jwtPayload(body.accessToken as string);
    expect(claims).toMatchObject({ sub: '1101', mainAccountId: '15300000', rcAccountId: RC_OWNER.accountId, rcUserId: RC_OWNER.ownerId });
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
    expect(claims.iat as number).toBeGreaterThanOrEqual(before);
  });

  it('accepts the spec\'s query parameters too, and omits the refresh token unless asked', async () => {
    const query = `?rcAccessToken=${RC_TOKEN}&rcTokenType=Bearer`;
    const response = await fetch(`${rcx.baseUrl}${EXCHANGE}${query}`, { method: 'POST' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body.accessToken).toEqual(expect.any(String));
    expect(body).not.toHaveProperty('refreshToken');
  });

  it('validates the exchange and refuses unknown RingCentral tokens', async () => {
    expect(await form(rcx.baseUrl, EXCHANGE, { rcTokenType: 'Bearer' })).toMatchObject({
      status: 400,
      body: { errorCode: 'validation.exception', validationErrors: [{ attributeName: 'rcAccessToken', message: 'must not be blank' }] },
    });
    expect(await form(rcx.baseUrl, EXCHANGE, { rcAccessToken: RC_TOKEN, rcTokenType: 'Basic' })).toMatchObject({
      status: 400,
      body: { validationErrors: [{ attributeName: 'rcTokenType', message: 'must be "Bearer"', value: 'Basic' }] },
    });
    expect(await form(rcx.baseUrl, EXCHANGE, { rcAccessToken: 'someone-elses-token' })).toMatchObject({
      status: 401,
      body: { errorCode: 'invalid.rc.token.exception', requestUri: `${EXCHANGE} - POST` },
    });
  });

  it('limits the exchange to 5 requests a minute, with no Retry-After', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i += 1) {
      last = await fetch(`${rcx.baseUrl}${EXCHANGE}?rcAccessToken=${RC_TOKEN}`, { method: 'POST' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.headers.get('retry-after')).toBeNull();
    expect(await last!.json()).toMatchObject({ errorCode: 'too.many.requests.exception', details: 'The token exchange allows 5 requests per 60 s' });
  });

  it('rotates refresh tokens: each refresh returns a new pair and the old refresh token dies', async () => {
    const login = await form(rcx.baseUrl, EXCHANGE, { rcAccessToken: RC_TOKEN, includeRefresh: 'true' });
    const first = login.body.refreshToken as string;
    const refreshed = await form(rcx.baseUrl, '/api/auth/token/refresh', { refresh_token: first });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(first);
    expect(refreshed.body.accessToken).not.toBe(login.body.accessToken);
    expect(await form(rcx.baseUrl, '/api/auth/token/refresh', { refresh_token: first })).toMatchObject({
      status: 401,
      body: { errorCode: 'invalid.refresh.token.exception' },
    });
    expect((await form(rcx.baseUrl, '/api/auth/token/refresh', { refresh_token: refreshed.body.refreshToken as string })).status).toBe(200);
  });

  it('answers an expired token with a plain-text 401 "Jwt is expired", and bad credentials with the JSON body', async () => {
    const { body } = await form(rcx.baseUrl, EXCHANGE, { rcAccessToken: RC_TOKEN });
    const call = (headers: Record<string, string>) => fetch(`${rcx.baseUrl}/voice/api/v1/admin/accounts`, { headers });
    expect((await call({ authorization: `Bearer ${body.accessToken as string}` })).status).toBe(200);
    await fetch(`${rcx.baseUrl}/__sandbox/tokens/expire`, { method: 'POST' });
    const expired = await call({ authorization: `Bearer ${body.accessToken as string}` });
    expect([expired.status, expired.headers.get('content-type'), await expired.text()]).toEqual([401, 'text/plain', 'Jwt is expired']);

    const bogus = await call({ authorization: 'Bearer not-a-ringcx-token' });
    expect([bogus.status, ((await bogus.json()) as Json).errorCode]).toEqual([401, 'invalid.token.exception']);
    const none = await call({});
    expect(await none.json()).toMatchObject({ errorCode: 'unauthorized.exception', generalMessage: 'Full authentication is required to access this resource' });
  });

  it('counts the per-credential limit per admin, across token refreshes', async () => {
    await injectFaults(rcx.baseUrl, { rateLimits: { default: { limit: 2, windowSeconds: 60 } } });
    const login = await form(rcx.baseUrl, EXCHANGE, { rcAccessToken: RC_TOKEN, includeRefresh: 'true' });
    const refreshed = await form(rcx.baseUrl, '/api/auth/token/refresh', { refresh_token: login.body.refreshToken as string });
    const call = (token: string) => fetch(`${rcx.baseUrl}/voice/api/v1/admin/accounts`, { headers: { authorization: `Bearer ${token}` } });
    const statuses = [
      (await call(login.body.accessToken as string)).status,
      (await call(refreshed.body.accessToken as string)).status,
      (await call(refreshed.body.accessToken as string)).status,
    ];
    expect(statuses).toEqual([200, 200, 429]);
    // The API token is a different credential with its own budget.
    expect((await rcx.raw('GET', '/voice/api/v1/admin/accounts')).status).toBe(200);
  });
});

describe('RingCX sandbox contract details', () => {
  let rcx: RingCxHarness;
  beforeAll(async () => {
    rcx = await startRingCx();
  });
  afterAll(async () => rcx.close());
  beforeEach(async () => resetSandbox(rcx.baseUrl));

  const errorOf = async (method: string, path: string, body?: unknown) => {
    const { status, body: error } = await rcx.raw(method, path, body);
    return { status, ...(error as Json) };
  };

  it('answers unknown routes, unknown accounts and bad ids with RingCX error bodies', async () => {
    expect(await errorOf('GET', '/voice/api/v1/admin/nowhere')).toMatchObject({
      status: 404,
      errorCode: 'resource.not.found.exception',
      generalMessage: 'No route for GET /voice/api/v1/admin/nowhere',
      requestUri: '/voice/api/v1/admin/nowhere - GET',
    });
    expect(await errorOf('GET', '/voice/api/v1/admin/accounts/15399999/tracGroups/withChildren')).toMatchObject({ status: 404, errorCode: 'account.not.found.exception' });
    expect(await errorOf('GET', '/voice/api/v1/admin/accounts/15300001/gateGroups/abc/gates')).toMatchObject({
      status: 400,
      errorCode: 'method.argument.type.mismatch',
      details: 'gateGroupId: "abc" is not an integer',
    });
    expect(await sandboxStats(rcx.baseUrl)).toMatchObject({ byRoute: { 'GET <unmatched>': 1 } });
  });

  it('gives injected faults the RingCX body', async () => {
    await injectFaults(rcx.baseUrl, { rules: [{ match: 'GET /voice/api/v1/admin/accounts', error: { status: 503 } }] });
    expect(await errorOf('GET', '/voice/api/v1/admin/accounts')).toEqual({
      status: 503,
      errorCode: 'service.unavailable.exception',
      generalMessage: 'Injected fault: 503',
      details: '',
      requestUri: '/voice/api/v1/admin/accounts - GET',
      timestamp: expect.any(Number),
    });
  });

  it('reports malformed JSON and bad bodies naming the fields', async () => {
    const malformed = await fetch(`${rcx.baseUrl}${TNM}/assignedDnis/gates/40101`, {
      method: 'PUT',
      headers: { 'x-auth-token': rcx.apiToken, 'content-type': 'application/json' },
      body: '[{"dnis": ',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errorCode: 'http.message.not.readable.exception', generalMessage: 'Malformed request body' });

    expect(await errorOf('PUT', `${TNM}/assignedDnis/gates/40101`, { dnis: '14155550100' })).toMatchObject({
      status: 400,
      validationErrors: [{ attributeName: '(body)', message: 'must be an array of AssignedDnis' }],
    });
    expect(await errorOf('PUT', `${TNM}/assignedDnis/gates/40101`, [{ dnis: '14155550100', isActive: 'yes' }, { dnis: '+1 415 555 0100' }])).toMatchObject({
      status: 400,
      validationErrors: [
        { attributeName: '[0].isActive', message: 'must be a boolean', value: 'yes' },
        { attributeName: '[1].dnis', message: 'appears more than once in the request', value: '14155550100' },
      ],
    });
    expect(await errorOf('POST', `${TNM}/search`, { product: 'QUEUE', objectId: 1 })).toMatchObject({
      status: 400,
      validationErrors: [{ attributeName: 'product', message: expect.stringMatching(/^must be one of ACCOUNT, ACD/) }],
    });
    expect(await errorOf('POST', `${TNM}/search?page=-1`, {})).toMatchObject({ status: 400, validationErrors: [{ attributeName: 'page', message: 'must be an integer >= 0' }] });
  });

  it('caps maxRows at 1000 and defaults to 100 rows per page', async () => {
    const capped = (await rcx.raw('POST', `${TNM}/search?maxRows=5000`, {})).body as { records: unknown[]; maxRows: number; page: number };
    expect([capped.records.length, capped.maxRows, capped.page]).toEqual([1000, 1000, 0]);
    const defaults = (await rcx.raw('POST', `${TNM}/search?count=true`, {})).body as { records: unknown[]; totalCount: number };
    expect([defaults.records.length, defaults.totalCount]).toEqual([100, 2000]);
  });

  it('filters search by product and destination group', async () => {
    const body = (await rcx.raw('POST', `${TNM}/search?maxRows=1000`, { product: 'ACD', groupId: 1205 })).body as { records: { assignedDnis: { gate: { gateGroupId: number } } }[] };
    expect(body.records.length).toBeGreaterThan(50);
    expect(body.records.every((r) => r.assignedDnis.gate.gateGroupId === 1205)).toBe(true);
    const chat = (await rcx.raw('POST', `${TNM}/search`, { product: 'CHAT_QUEUE' })).body as { records: unknown[] };
    expect(chat.records).toEqual([]);
  });

  it('refuses the doc-style TracNumber fields with a pointer to the spec\'s', async () => {
    expect(await errorOf('POST', '/voice/api/v1/admin/accounts/15300001/tracGroups/801/tracNumbers', { description: 'x', dnis: '14155550100', active: true, recordCall: 2 })).toMatchObject({
      status: 400,
      validationErrors: [
        { attributeName: 'recordCall', message: 'must be an integer between 0 and 1', value: '2' },
        { attributeName: 'dnis', message: 'is not a TracNumber field; use assignedDnis.dnis' },
        { attributeName: 'active', message: 'is not a TracNumber field; use assignedDnis.isActive' },
      ],
    });
  });

  it('moves a tracking number to another DNIS, freeing the old one', async () => {
    const group = ((await rcx.raw('GET', '/voice/api/v1/admin/accounts/15300001/tracGroups/withChildren')).body as { tracNumbers: { tracId: number; assignedDnis: { dnis: string } }[] }[])[0]!;
    const trac = group.tracNumbers[0]!;
    const v2 = (await rcx.raw('POST', V2_SEARCH, { accountIds: ['15300001'], dnisState: 'UNASSIGNED' })).body as V2;
    const free = v2.entries['15300001']!.records[0]!.dnis;
    const moved = (await rcx.raw('PUT', `/voice/api/v1/admin/accounts/15300001/tracGroups/801/tracNumbers/${trac.tracId}`, { assignedDnis: { dnis: free } })).body as Json;
    expect((moved.assignedDnis as Json).dnis).toBe(free);
    expect(await errorOf('GET', `${TNM}/assignedDnis/${trac.assignedDnis.dnis}`)).toMatchObject({ status: 404, errorCode: 'dnis.not.assigned.exception' });
  });

  it('validates the upload request', async () => {
    const upload = async (query: string, body: FormData | string, type?: string) => {
      const response = await fetch(`${rcx.baseUrl}${TNM}/uploadDnisPool${query}`, {
        method: 'POST',
        headers: { 'x-auth-token': rcx.apiToken, ...(type && { 'content-type': type }) },
        body,
      });
      return { status: response.status, ...((await response.json()) as Json) };
    };
    const file = (text: string, field = 'file') => {
      const data = new FormData();
      data.append(field, new Blob([text], { type: 'text/csv' }), 'pool.csv');
      return data;
    };
    expect(await upload('', file('dnis,reservedAccountId\n'))).toMatchObject({ status: 400, validationErrors: [{ attributeName: 'fileType', message: 'must not be null' }] });
    expect(await upload('?fileType=TAB', file('dnis,reservedAccountId\n'))).toMatchObject({ status: 400, validationErrors: [{ attributeName: 'fileType', value: 'TAB' }] });
    expect(await upload('?fileType=COMMA&quoteCharacter=%22%22', file('dnis,reservedAccountId\n'))).toMatchObject({ status: 400, validationErrors: [{ attributeName: 'quoteCharacter' }] });
    expect(await upload('?fileType=COMMA', 'dnis,reservedAccountId\n', 'text/plain')).toMatchObject({ status: 400, errorCode: 'multipart.exception' });
    expect(await upload('?fileType=COMMA', file('dnis,reservedAccountId\n', 'upload'))).toMatchObject({ status: 400, errorCode: 'missing.request.part.exception' });
    expect(await upload('?fileType=COMMA', file(''))).toMatchObject({ status: 400, errorCode: 'dnis.upload.empty.file' });
    expect(await upload('?fileType=COMMA', file('dnis,reservedAccountId\n"14155550100,15300001\n'))).toMatchObject({
      status: 400,
      errorCode: 'dnis.upload.parse.exception',
      details: 'Quote Not Closed: the parsing is finished with an opening quote at line 2',
    });
    expect(await upload('?fileType=COMMA', file('dnis,reservedAccountId\n'))).toMatchObject({
      status: 200,
      records: [],
      uploadStatus: { validated: true, totalRecords: 0, validRecords: 0, errorMessage: [] },
    });
  });

  it('restores the exact seed state on reset', async () => {
    const before = (await rcx.raw('POST', V2_SEARCH, {})).body;
    const v2 = before as V2;
    const free = v2.entries['15300002']!.records.find((r) => r.dnisState === 'UNASSIGNED')!.dnis;
    expect((await rcx.raw('PUT', `${TNM}/assignedDnis/gates/40104`, [{ dnis: free }])).status).toBe(200);
    expect((await rcx.raw('DELETE', `${TNM}/dnisPool/${v2.entries['15300003']!.records[0]!.dnis}`)).status).toBe(200);
    expect((await rcx.raw('POST', `${TNM}/dnisPool`, [{ dnis: '14155550160', reservedAccountId: '15300001' }])).status).toBe(200);
    expect((await rcx.raw('POST', V2_SEARCH, {})).body).not.toEqual(before);
    await resetSandbox(rcx.baseUrl);
    expect((await rcx.raw('POST', V2_SEARCH, {})).body).toEqual(before);
  });
});

describe('RingCX sandbox faults', () => {
  let rcx: RingCxHarness;
  let queued: string[];
  beforeAll(async () => {
    rcx = await startRingCx();
    const v2 = (await rcx.raw('POST', V2_SEARCH, {})).body as V2;
    queued = Object.values(v2.entries)
      .flatMap((e) => e.records)
      .filter((r) => r.assignedDnis?.endPointType === 'GATE')
      .map((r) => r.dnis);
  });
  afterAll(async () => rcx.close());
  beforeEach(async () => resetSandbox(rcx.baseUrl));

  const DELETE_ASSIGNMENT = `DELETE ${TNM}/assignedDnis/{dnis}`;
  const postFaults = async (body: unknown) => {
    const response = await fetch(`${rcx.baseUrl}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };

  it('drops the answer to a DELETE it applied: the client sees a socket error, the assignment is gone', async () => {
    const dnis = queued[0]!;
    expect((await rcx.raw('GET', `${TNM}/assignedDnis/${dnis}`)).status).toBe(200);
    await injectFaults(rcx.baseUrl, { rules: [{ match: DELETE_ASSIGNMENT, drop: true }] });

    await expect(rcx.raw('DELETE', `${TNM}/assignedDnis/${dnis}`)).rejects.toThrow('fetch failed');

    expect(await rcx.raw('GET', `${TNM}/assignedDnis/${dnis}`)).toMatchObject({ status: 404, body: { errorCode: 'dnis.not.assigned.exception' } });
    // One DELETE reached the provider: the state change is not a retry's.
    expect((await sandboxStats(rcx.baseUrl)).byRoute[DELETE_ASSIGNMENT]).toBe(1);
  });

  it('drops only as many answers as `times` says', async () => {
    const [first, second] = [queued[0]!, queued[1]!];
    await injectFaults(rcx.baseUrl, { rules: [{ match: DELETE_ASSIGNMENT, drop: true, times: 1 }] });

    await expect(rcx.raw('DELETE', `${TNM}/assignedDnis/${first}`)).rejects.toThrow('fetch failed');
    expect(await rcx.raw('DELETE', `${TNM}/assignedDnis/${second}`)).toMatchObject({ status: 200, body: true });

    for (const dnis of [first, second]) expect((await rcx.raw('GET', `${TNM}/assignedDnis/${dnis}`)).status).toBe(404);
  });

  it('lets the first `after` matching requests pass, then fires: an outage that starts mid-way', async () => {
    const dnis = queued[0]!;
    await injectFaults(rcx.baseUrl, { rules: [{ match: `GET ${TNM}/assignedDnis/{dnis}`, error: { status: 503, message: 'down' }, after: 2 }] });
    for (const expected of [200, 200, 503, 503]) expect((await rcx.raw('GET', `${TNM}/assignedDnis/${dnis}`)).status).toBe(expected);
  });

  it('counts `after` and `times` for a rule that only delays: the second request alone is slow', async () => {
    const dnis = queued[0]!;
    await injectFaults(rcx.baseUrl, { rules: [{ match: `GET ${TNM}/assignedDnis/{dnis}`, latencyMs: 1000, after: 1, times: 1 }] });
    const timed = async () => {
      const started = performance.now();
      await rcx.raw('GET', `${TNM}/assignedDnis/${dnis}`);
      return performance.now() - started;
    };
    const [first, second, third] = [await timed(), await timed(), await timed()];
    // Only the delay's presence is checked (>= 1 s), never a speed: the others have none to wait out.
    expect(second).toBeGreaterThanOrEqual(1000);
    expect([first, third].every((ms) => ms < 1000)).toBe(true);
  });

  it('refuses a rule that both drops and hangs, naming the rule, and keeps the faults it had', async () => {
    await injectFaults(rcx.baseUrl, { rules: [{ match: DELETE_ASSIGNMENT, latencyMs: 10 }] });
    expect(await postFaults({ rules: [{ latencyMs: 5 }, { match: DELETE_ASSIGNMENT, drop: true, hang: true }] })).toEqual({
      status: 400,
      body: { error: 'rules[1] sets more than one of hang, reset, drop and error' },
    });
    const kept = (await (await fetch(`${rcx.baseUrl}/__sandbox/faults`)).json()) as { rules: Json[] };
    expect(kept.rules).toEqual([expect.objectContaining({ match: DELETE_ASSIGNMENT, latencyMs: 10, drop: false })]);
  });

  it('refuses a rate limit for a group RingCX lacks, naming it and listing the groups it has', async () => {
    expect(await postFaults({ rateLimits: { default: { limit: 5 }, Heavy: { limit: 1 } } })).toEqual({
      status: 400,
      body: { error: 'rateLimits.Heavy: unknown rate-limit group (expected default, auth, *)' },
    });
    expect((await postFaults({ rateLimits: { auth: { limit: 1 }, '*': { limit: 100 } } })).status).toBe(200);
  });
});

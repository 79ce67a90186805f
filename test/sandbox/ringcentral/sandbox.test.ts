import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { buildRingCentralSeed } from '../../../sandbox/ringcentral/seed.js';
import { createWorld } from '../../../sandbox/seed/world.js';
import { injectFaults, resetSandbox, sandboxStats } from '../../support/sandbox.js';
import { JWT_GRANT, startRingCentral, type RingCentralFixture } from '../../providers/ringcentral/fixtures.js';

type Json = Record<string, any>;

describe('RingCentral seed', () => {
  const world = createWorld({ seed: 1, scale: 1 });
  const seed = buildRingCentralSeed(world);
  const byPhone = new Map(seed.data.numbers.map((n) => [n.phoneNumber, n]));
  const extension = (id: string | undefined) => seed.data.extensions.find((e) => e.id === id);

  it('is the same for the same seed and differs for another', () => {
    expect(buildRingCentralSeed(createWorld({ seed: 1, scale: 1 }))).toEqual(seed);
    expect(buildRingCentralSeed(createWorld({ seed: 2, scale: 1 })).data.numbers[0]).not.toEqual(seed.data.numbers[0]);
  });

  it('holds every RingCentral number of the world exactly once', () => {
    const rc = world.ringcentral;
    const expected = [rc.mainNumber, ...rc.own, ...rc.sharedWithRingCx, ...rc.sharedWithZendesk, ...rc.sharedWithRingyo].map((n) => n.e164);
    expect(seed.data.numbers.map((n) => n.phoneNumber).sort()).toEqual(expected.sort());
    expect(seed.data.forwarding.map((f) => f.phoneNumber).sort()).toEqual(rc.forwarding.map((n) => n.e164).sort());
  });

  it('gives each world share its role', () => {
    const rc = world.ringcentral;
    expect(byPhone.get(rc.mainNumber.e164)).toMatchObject({ usageType: 'MainCompanyNumber' });
    expect(seed.data.account.mainNumber).toBe(rc.mainNumber.e164);
    rc.sharedWithRingCx.forEach((n, i) => {
      const number = byPhone.get(n.e164)!;
      // One in four is still a call queue's number, mid-migration to RingCX.
      if (i % 4 === 3) expect({ usageType: number.usageType, owner: extension(number.extensionId)?.type }).toEqual({ usageType: 'DirectNumber', owner: 'Department' });
      else expect(number).toMatchObject({ usageType: 'ContactCenterNumber', contactCenterProvider: { id: '3', name: 'RingCX' } });
    });
    for (const n of [...rc.sharedWithZendesk, ...rc.sharedWithRingyo]) {
      const number = byPhone.get(n.e164)!;
      const owner = extension(number.extensionId);
      expect(number.usageType === 'CompanyNumber' || (number.usageType === 'DirectNumber' && owner?.type === 'Department')).toBe(true);
    }
    const ownUsage: Record<string, number> = {};
    for (const n of rc.own) ownUsage[byPhone.get(n.e164)!.usageType] = (ownUsage[byPhone.get(n.e164)!.usageType] ?? 0) + 1;
    expect(ownUsage).toEqual({ Inventory: 15, CompanyNumber: 20, DirectNumber: 165 });
    const directOwners = new Set(rc.own.map((n) => extension(byPhone.get(n.e164)!.extensionId)?.type).filter(Boolean));
    expect([...directOwners].sort()).toEqual(['Department', 'IvrMenu', 'User']);
  });

  it('spreads 150 extensions over the spec types and statuses, and gives some users two numbers', () => {
    expect(seed.data.extensions).toHaveLength(150);
    expect(seed.ownerId).toBe(seed.data.extensions[0]!.id);
    expect(seed.data.extensions[0]).toMatchObject({ type: 'User', status: 'Enabled', admin: true, extensionNumber: '101' });
    const statuses: Record<string, number> = {};
    for (const e of seed.data.extensions.filter((x) => x.type === 'User')) statuses[e.status] = (statuses[e.status] ?? 0) + 1;
    expect(statuses).toEqual({ Enabled: 109, Disabled: 4, NotActivated: 8, Frozen: 1 });
    const perUser = new Map<string, number>();
    for (const n of seed.data.numbers) if (extension(n.extensionId)?.type === 'User') perUser.set(n.extensionId!, (perUser.get(n.extensionId!) ?? 0) + 1);
    expect([...perUser.values()].filter((count) => count === 2)).toHaveLength(26);
    expect(Math.max(...perUser.values())).toBe(2);
    expect(new Set(seed.data.extensions.map((e) => e.extensionNumber)).size).toBe(150);
    expect(new Set(seed.data.extensions.map((e) => e.contact.email)).size).toBe(150);
  });

  it('gives forwarding numbers only to users, some with call flip', () => {
    expect(seed.data.forwarding.every((f) => extension(f.extensionId)?.type === 'User')).toBe(true);
    const flips = seed.data.forwarding.filter((f) => f.features.includes('CallFlip'));
    expect(flips.length).toBeGreaterThan(20);
    expect(flips.every((f) => /^[1-3]$/.test(f.flipNumber ?? ''))).toBe(true);
  });

  it('scales with the world', () => {
    const small = buildRingCentralSeed(createWorld({ seed: 1, scale: 0.1 }));
    expect(small.data.extensions).toHaveLength(15);
    expect(new Set(small.data.extensions.map((e) => e.type)).size).toBe(10);
    const large = buildRingCentralSeed(createWorld({ seed: 1, scale: 4 }));
    expect(large.data.extensions).toHaveLength(600);
    expect(new Set(large.data.extensions.map((e) => e.extensionNumber)).size).toBe(600);
  });
});

describe('RingCentral sandbox over HTTP', () => {
  let rc: RingCentralFixture;
  let basic: string;

  const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${rc.baseUrl}/restapi/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });
  const jwtGrant = () => token({ grant_type: JWT_GRANT, assertion: rc.sandbox.credentials.jwt });
  const get = (path: string, bearer: string | undefined, headers: Record<string, string> = {}) =>
    fetch(`${rc.baseUrl}${path}`, { headers: { ...(bearer !== undefined && { authorization: bearer }), ...headers } });
  const patch = (path: string, bearer: string, body: string) =>
    fetch(`${rc.baseUrl}${path}`, { method: 'PATCH', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body });

  beforeAll(async () => {
    rc = await startRingCentral();
    basic = Buffer.from(`${rc.sandbox.credentials.clientId}:${rc.sandbox.credentials.clientSecret}`).toString('base64');
  });
  afterAll(async () => rc.close());
  beforeEach(async () => resetSandbox(rc.baseUrl));

  describe('OAuth', () => {
    it('issues a TokenInfo for the JWT grant, with the Auth group headers', async () => {
      const response = await jwtGrant();
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-rate-limit-group')).toBe('auth');
      expect(response.headers.get('x-rate-limit-remaining')).toBe('4');
      expect(await response.json()).toEqual({
        access_token: expect.stringMatching(/^[A-Za-z0-9_-]{60,}$/),
        token_type: 'bearer',
        expires_in: 3600,
        refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{60,}$/),
        refresh_token_expires_in: 604800,
        scope: 'EditAccounts EditExtensions ReadAccounts',
        owner_id: '1877506004',
        endpoint_id: expect.stringMatching(/^[A-Za-z0-9]{22}$/),
        session_id: expect.stringMatching(/^[A-Za-z0-9]{24}$/),
      });
    });

    it('honours a shorter access_token_ttl and rejects one outside 600–3600', async () => {
      const short = (await (await token({ grant_type: JWT_GRANT, assertion: rc.sandbox.credentials.jwt, access_token_ttl: '600' })).json()) as Json;
      expect(short.expires_in).toBe(600);
      const bad = await token({ grant_type: JWT_GRANT, assertion: rc.sandbox.credentials.jwt, access_token_ttl: '30' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: 'invalid_request', errors: [{ errorCode: 'CMN-101', parameterName: 'access_token_ttl' }] });
    });

    it('rotates refresh tokens: each one works once', async () => {
      const first = (await (await jwtGrant()).json()) as Json;
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
      expect(refreshed.status).toBe(200);
      const second = (await refreshed.json()) as Json;
      expect(second.session_id).toBe(first.session_id);
      expect(second.refresh_token).not.toBe(first.refresh_token);
      const reused = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
      expect(reused.status).toBe(400);
      expect(await reused.json()).toEqual({
        error: 'invalid_grant',
        error_description: 'Token is revoked',
        errors: [{ errorCode: 'OAU-211', message: 'Token is revoked' }],
      });
      // The access token issued before the refresh stays valid until it expires.
      expect((await get('/restapi/v1.0/account/~', `Bearer ${first.access_token}`)).status).toBe(200);
    });

    it.each([
      ['no client authentication', { authorization: '' }, {}, 401, 'invalid_client', 'OAU-123'],
      ['a wrong client secret', { authorization: `Basic ${Buffer.from('id:nope').toString('base64')}` }, {}, 401, 'invalid_client', 'OAU-146'],
      ['a wrong JWT', {}, { grant_type: JWT_GRANT, assertion: 'a.b.c' }, 400, 'invalid_grant', 'OAU-140'],
      ['no assertion', {}, { grant_type: JWT_GRANT }, 400, 'invalid_request', 'CMN-101'],
      ['no grant type', {}, {}, 400, 'invalid_request', 'CMN-101'],
      ['the password grant', {}, { grant_type: 'password', username: 'u', password: 'p' }, 400, 'unsupported_grant_type', 'OAU-112'],
      ['an unknown refresh token', {}, { grant_type: 'refresh_token', refresh_token: 'abc' }, 400, 'invalid_grant', 'OAU-211'],
      ['a scope the app lacks', {}, { grant_type: JWT_GRANT, assertion: '<jwt>', scope: 'ReadAccounts SMS' }, 400, 'invalid_scope', 'OAU-117'],
    ])('refuses %s', async (_what, headers, form, status, error, code) => {
      const body = Object.fromEntries(Object.entries(form as Record<string, string>).map(([k, v]) => [k, v === '<jwt>' ? rc.sandbox.credentials.jwt : v]));
      const response = await token(body, headers as Record<string, string>);
      expect(response.status).toBe(status);
      const json = (await response.json()) as Json;
      expect(json).toMatchObject({ error, errors: [{ errorCode: code }] });
      expect(json.error_description).toBe(json.errors[0].message);
    });

    it('accepts only form-encoded bodies', async () => {
      const response = await fetch(`${rc.baseUrl}/restapi/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: JWT_GRANT, assertion: rc.sandbox.credentials.jwt }),
      });
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ error: 'invalid_request', errors: [{ errorCode: 'CMN-104' }] });
    });

    it('revokes a session: its access and refresh tokens stop working', async () => {
      const issued = (await (await jwtGrant()).json()) as Json;
      const revoke = await fetch(`${rc.baseUrl}/restapi/oauth/revoke`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: issued.access_token }),
      });
      expect(revoke.status).toBe(200);
      expect(rc.sandbox.verifyAccessToken(issued.access_token)).toBeNull();
      expect((await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token })).status).toBe(400);
    });
  });

  describe('API authentication', () => {
    it.each([
      ['no Authorization header', undefined, 'OAU-134', 'OAU-134'],
      ['a Basic header', `Basic ${Buffer.from('a:b').toString('base64')}`, 'OAU-151', 'OAU-151'],
      ['a token that is not ours', 'Bearer not-a-ringcentral-token', 'TokenInvalid', 'OAU-149'],
    ])('answers 401 to %s', async (_what, authorization, top, code) => {
      const response = await get('/restapi/v1.0/account/~', authorization);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ errorCode: top, errors: [{ errorCode: code }] });
    });

    it('answers OAU-128 for an expired token and OAU-213 for a revoked one', async () => {
      const issued = (await (await jwtGrant()).json()) as Json;
      await rc.expireTokens();
      const expired = await get('/restapi/v1.0/account/~', `Bearer ${issued.access_token}`);
      expect(expired.status).toBe(401);
      expect(await expired.json()).toEqual({
        errorCode: 'TokenInvalid',
        message: 'Access token expired',
        errors: [{ errorCode: 'OAU-128', message: 'Access token expired' }],
      });

      const live = (await (await jwtGrant()).json()) as Json;
      await fetch(`${rc.baseUrl}/restapi/oauth/revoke`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: live.refresh_token }),
      });
      expect(await (await get('/restapi/v1.0/account/~', `Bearer ${live.access_token}`)).json()).toMatchObject({
        errorCode: 'TokenInvalid',
        errors: [{ errorCode: 'OAU-213', message: 'Token not found' }],
      });
    });

    it('refuses another account with 403 and an unknown route with a RingCentral 404', async () => {
      const bearer = `Bearer ${await rc.rawToken()}`;
      const other = await get('/restapi/v1.0/account/123456789/extension', bearer);
      expect(other.status).toBe(403);
      expect(await other.json()).toMatchObject({ errorCode: 'CMN-408', errors: [{ errorCode: 'CMN-408', parameterName: 'accountId' }] });
      const nowhere = await get('/restapi/v1.0/account/~/nowhere', bearer);
      expect(nowhere.status).toBe(404);
      expect(await nowhere.json()).toEqual({
        errorCode: 'CMN-120',
        message: 'No route for GET /restapi/v1.0/account/~/nowhere',
        errors: [{ errorCode: 'CMN-120', message: 'No route for GET /restapi/v1.0/account/~/nowhere' }],
      });
    });

    it('keeps issued tokens across a data reset', async () => {
      const issued = (await (await jwtGrant()).json()) as Json;
      await resetSandbox(rc.baseUrl);
      expect((await get('/restapi/v1.0/account/~', `Bearer ${issued.access_token}`)).status).toBe(200);
    });
  });

  describe('rate limits', () => {
    it('sends the group headers on every response and a CMN-301 429 with Retry-After when over', async () => {
      await injectFaults(rc.baseUrl, { rateLimits: { Light: { limit: 2, windowSeconds: 60 } } });
      const bearer = `Bearer ${await rc.rawToken()}`;
      const headers = async (response: Response) => [
        response.status,
        response.headers.get('x-rate-limit-group'),
        response.headers.get('x-rate-limit-limit'),
        response.headers.get('x-rate-limit-remaining'),
        response.headers.get('x-rate-limit-window'),
        response.headers.get('retry-after'),
      ];
      expect(await headers(await get('/restapi/v1.0/account/~', bearer))).toEqual([200, 'light', '2', '1', '60', null]);
      expect(await headers(await get('/restapi/v1.0/account/~/extension/999', bearer))).toEqual([404, 'light', '2', '0', '60', null]);
      const refused = await get('/restapi/v1.0/account/~', bearer);
      expect(await headers(refused)).toEqual([429, 'light', '2', '0', '60', '60']);
      expect(await refused.json()).toEqual({
        errorCode: 'CMN-301',
        message: 'Request rate exceeded',
        errors: [{ errorCode: 'CMN-301', message: 'Request rate exceeded' }],
      });
      // Still in the penalty: refused again, whatever the endpoint of the group.
      expect((await get('/restapi/v1.0/account/~/extension/~', bearer)).status).toBe(429);
      // Other groups are counted separately.
      const medium = await get('/restapi/v1.0/account/~/extension?perPage=1', bearer);
      expect(await headers(medium)).toEqual([200, 'medium', '40', '39', '60', null]);
      expect((await get('/restapi/v2/accounts/~/phone-numbers?perPage=1', bearer)).headers.get('x-rate-limit-group')).toBe('heavy');
    });
  });

  describe('reads', () => {
    it('pages with navigation that keeps the filters, and clamps perPage to 1000', async () => {
      const page2 = (await rc.rawGet('/restapi/v1.0/account/~/extension?type=User&perPage=50&page=2')).body as Json;
      expect(page2.paging).toEqual({ page: 2, totalPages: 3, perPage: 50, totalElements: 122, pageStart: 50, pageEnd: 99 });
      expect(page2.navigation).toEqual({
        firstPage: { uri: `${rc.baseUrl}/restapi/v1.0/account/~/extension?type=User&perPage=50&page=1` },
        nextPage: { uri: `${rc.baseUrl}/restapi/v1.0/account/~/extension?type=User&perPage=50&page=3` },
        previousPage: { uri: `${rc.baseUrl}/restapi/v1.0/account/~/extension?type=User&perPage=50&page=1` },
        lastPage: { uri: `${rc.baseUrl}/restapi/v1.0/account/~/extension?type=User&perPage=50&page=3` },
      });
      const big = (await rc.rawGet('/restapi/v1.0/account/~/extension?perPage=5000')).body as Json;
      expect(big.paging).toMatchObject({ perPage: 1000, totalPages: 1 });
      const beyond = (await rc.rawGet('/restapi/v1.0/account/~/extension?page=9')).body as Json;
      expect(beyond.records).toEqual([]);
      expect(beyond.paging).toEqual({ page: 9, totalPages: 2, perPage: 100, totalElements: 150 });
    });

    it.each([
      ['/restapi/v1.0/account/~/extension?page=0', 'page'],
      ['/restapi/v1.0/account/~/extension?type=Robot', 'type'],
      ['/restapi/v1.0/account/~/phone-number?usageType=Inventory', 'usageType'],
      ['/restapi/v2/accounts/~/phone-numbers?tollType=Free', 'tollType'],
      ['/restapi/v2/accounts/~/phone-numbers?phoneNumber=6502', 'phoneNumber'],
    ])('answers 400 naming the parameter for %s', async (path, parameter) => {
      const response = await rc.rawGet(path);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ errorCode: 'CMN-101', parameterName: parameter, errors: [{ errorCode: 'CMN-101', parameterName: parameter }] });
    });

    it('answers a batch of more than 30 ids with CMN-106, and one id with a plain 200 or 404', async () => {
      const ids = Array.from({ length: 31 }, (_, i) => String(1_162_000_004 + i * 1000));
      const tooMany = await rc.rawGet(`/restapi/v1.0/account/~/phone-number/${ids.join(',')}`);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body).toEqual({
        errorCode: 'CMN-106',
        message: 'Batch request is limited to 30 entries',
        errors: [{ errorCode: 'CMN-106', message: 'Batch request is limited to 30 entries' }],
      });
      const missing = await rc.rawGet('/restapi/v1.0/account/~/phone-number/1000000004');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ errorCode: 'CMN-102', parameterName: 'phoneNumberId' });
      const main = ((await rc.rawGet('/restapi/v2/accounts/~/phone-numbers?usageType=MainCompanyNumber')).body as Json).records[0];
      const single = await rc.rawGet(`/restapi/v1.0/account/~/phone-number/${main.id}`);
      expect(single.status).toBe(200);
      expect(single.body).toMatchObject({ id: Number(main.id), phoneNumber: main.phoneNumber, usageType: 'MainCompanyNumber' });
    });

    it('does not show inventory numbers in v1 reads', async () => {
      const inventory = ((await rc.rawGet('/restapi/v2/accounts/~/phone-numbers?usageType=Inventory')).body as Json).records as Json[];
      expect(inventory).toHaveLength(15);
      expect((await rc.rawGet(`/restapi/v1.0/account/~/phone-number/${inventory[0]!.id}`)).status).toBe(404);
    });
  });

  describe('assigning numbers', () => {
    let bearer: string;
    const v2 = async (query: string) => ((await rc.rawGet(`/restapi/v2/accounts/~/phone-numbers?${query}`)).body as Json).records as Json[];
    const extensionsOf = async (type: string) => ((await rc.rawGet(`/restapi/v1.0/account/~/extension?type=${type}`)).body as Json).records as Json[];

    beforeEach(async () => {
      bearer = await rc.rawToken();
    });

    it.each([
      ['a body that is not JSON', '{"usageType":', 'CMN-103', undefined],
      ['no usageType', '{}', 'CMN-101', 'usageType'],
      ['an unknown usageType', '{"usageType":"Inventory"}', 'CMN-101', 'usageType'],
      ['a DirectNumber without extension', '{"usageType":"DirectNumber"}', 'CMN-101', 'extension.id'],
      ['an unknown extension', '{"usageType":"DirectNumber","extension":{"id":"42"}}', 'CMN-102', 'extension.id'],
      ['an extension on a company number', '{"usageType":"CompanyNumber","extension":{"id":"1877506004"}}', 'CMN-101', 'extension'],
      ['an unknown type', '{"usageType":"CompanyNumber","type":"Video"}', 'CMN-101', 'type'],
      ['a cost center', '{"usageType":"CompanyNumber","costCenterId":"77"}', 'CMN-102', 'costCenterId'],
      ['an unknown contact-center provider', '{"usageType":"ContactCenterNumber","contactCenterProvider":{"id":"99"}}', 'CMN-102', 'contactCenterProvider.id'],
    ])('refuses %s with 400 naming the field', async (_what, body, code, parameter) => {
      const [number] = await v2('usageType=Inventory');
      const response = await patch(`/restapi/v2/accounts/~/phone-numbers/${number!.id}`, bearer, body);
      expect(response.status).toBe(400);
      const json = (await response.json()) as Json;
      expect(json.errors[0].errorCode).toBe(code);
      expect(json.errors[0].parameterName).toBe(parameter);
    });

    it('refuses extensions that cannot hold numbers, and unknown or malformed number ids', async () => {
      const [park] = await extensionsOf('ParkLocation');
      const [number] = await v2('usageType=Inventory');
      const response = await patch(`/restapi/v2/accounts/~/phone-numbers/${number!.id}`, bearer, JSON.stringify({ usageType: 'DirectNumber', extension: { id: String(park!.id) } }));
      expect(response.status).toBe(400);
      expect(((await response.json()) as Json).errors[0]).toMatchObject({ parameterName: 'extension.id', message: expect.stringContaining('ParkLocation') });
      expect((await patch('/restapi/v2/accounts/~/phone-numbers/1000000004', bearer, '{"usageType":"CompanyNumber"}')).status).toBe(404);
      expect((await patch('/restapi/v2/accounts/~/phone-numbers/0123', bearer, '{"usageType":"CompanyNumber"}')).status).toBe(400);
    });

    it('makes another number the main company number, demoting the old one, and never orphans the main number', async () => {
      const [oldMain] = await v2('usageType=MainCompanyNumber');
      const [company] = await v2('usageType=CompanyNumber&perPage=1');
      const refused = await patch(`/restapi/v2/accounts/~/phone-numbers/${oldMain!.id}`, bearer, '{"usageType":"CompanyNumber"}');
      expect(refused.status).toBe(400);

      const promoted = await patch(`/restapi/v2/accounts/~/phone-numbers/${company!.id}`, bearer, '{"usageType":"MainCompanyNumber"}');
      expect(promoted.status).toBe(200);
      expect(((await rc.rawGet('/restapi/v1.0/account/~')).body as Json).mainNumber).toBe(company!.phoneNumber);
      expect((await v2('usageType=MainCompanyNumber')).map((n) => n.id)).toEqual([company!.id]);
      expect((await v2(`phoneNumber=${encodeURIComponent(oldMain!.phoneNumber)}`))[0]).toMatchObject({ usageType: 'CompanyNumber' });
    });

    it('defaults the contact-center provider and moves the primary flag with the numbers', async () => {
      const [number] = await v2('usageType=Inventory');
      const cc = await patch(`/restapi/v2/accounts/~/phone-numbers/${number!.id}`, bearer, '{"usageType":"ContactCenterNumber"}');
      expect(await cc.json()).toMatchObject({ usageType: 'ContactCenterNumber', contactCenterProvider: { id: '1', name: 'InContact/North America' } });

      const ownerNumbers = (await v2('usageType=DirectNumber&perPage=1000')).filter((n) => n.extension?.id === '1877506004');
      const primary = ownerNumbers.find((n) => n.primary)!;
      const second = ownerNumbers.find((n) => !n.primary)!;
      const [target] = (await extensionsOf('Voicemail')) as Json[];
      await patch(`/restapi/v2/accounts/~/phone-numbers/${primary.id}`, bearer, JSON.stringify({ usageType: 'DirectNumber', extension: { id: String(target!.id) } }));
      const after = (await v2('usageType=DirectNumber&perPage=1000')).filter((n) => n.extension?.id === '1877506004');
      expect(after).toEqual([{ ...second, primary: true }]);
    });

    it('is undone by a reset', async () => {
      // Leaves rawGet with a live token, so the stats below hold only the read.
      await rc.rawGet('/restapi/v1.0/account/~');
      const [number] = await v2('usageType=Inventory');
      await patch(`/restapi/v2/accounts/~/phone-numbers/${number!.id}`, bearer, '{"usageType":"CompanyNumber"}');
      expect((await v2('usageType=Inventory')).map((n) => n.id)).not.toContain(number!.id);
      await resetSandbox(rc.baseUrl);
      expect((await v2('usageType=Inventory')).map((n) => n.id)).toContain(number!.id);
      expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ 'GET /restapi/v2/accounts/{accountId}/phone-numbers': 1 });
    });
  });
});

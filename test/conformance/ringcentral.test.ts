import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { injectFaults, resetSandbox } from '../support/sandbox.js';
import { Contract, describeWithContracts } from '../support/openapi.js';
import { JWT_GRANT, startRingCentral, type RingCentralFixture } from '../providers/ringcentral/fixtures.js';

type Json = Record<string, any>;

const ACCOUNT = '/restapi/v1.0/account/{accountId}';
const EXTENSIONS = '/restapi/v1.0/account/{accountId}/extension';
const EXTENSION = '/restapi/v1.0/account/{accountId}/extension/{extensionId}';
const EXT_NUMBERS = '/restapi/v1.0/account/{accountId}/extension/{extensionId}/phone-number';
const FORWARDING = '/restapi/v1.0/account/{accountId}/extension/{extensionId}/forwarding-number';
const NUMBERS_V1 = '/restapi/v1.0/account/{accountId}/phone-number';
const NUMBER = '/restapi/v1.0/account/{accountId}/phone-number/{phoneNumberId}';
const NUMBERS_V2 = '/restapi/v2/accounts/{accountId}/phone-numbers';
const ASSIGN = '/restapi/v2/accounts/{accountId}/phone-numbers/{phoneNumberId}';
const TOKEN = '/restapi/oauth/token';

/**
 * Every response the RingCentral client reads, fetched from the sandbox and
 * validated against the official spec extract (Ajv), plus the error bodies
 * the spec declares for those operations.
 */
describeWithContracts('RingCentral sandbox conforms to the OpenAPI extract', () => {
  const contract = new Contract('ringcentral');
  let rc: RingCentralFixture;
  let extensions: Json[];

  const valid = (method: string, path: string, status: number, response: { status: number; body: unknown }) => {
    expect(response.status).toBe(status);
    expect(contract.errors(method, path, status, response.body)).toEqual([]);
  };
  const tokenRequest = async (form: Record<string, string>) => {
    const { clientId, clientSecret } = rc.sandbox.credentials;
    const response = await fetch(`${rc.baseUrl}${TOKEN}`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const patch = async (path: string, body: unknown) => {
    const response = await fetch(`${rc.baseUrl}${path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${await rc.rawToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    rc = await startRingCentral();
    // Walking every extension takes hundreds of Light requests; the limits are not under test here.
    await injectFaults(rc.baseUrl, { rateLimits: { '*': { limit: 1_000_000, windowSeconds: 60 } } });
    extensions = ((await rc.rawGet('/restapi/v1.0/account/~/extension?perPage=1000')).body as Json).records;
  });
  afterAll(async () => rc.close());

  it('POST /restapi/oauth/token: TokenInfo for both grants, OAuth 400 bodies', async () => {
    const issued = await tokenRequest({ grant_type: JWT_GRANT, assertion: rc.sandbox.credentials.jwt });
    valid('POST', TOKEN, 200, issued);
    valid('POST', TOKEN, 200, await tokenRequest({ grant_type: 'refresh_token', refresh_token: (issued.body as Json).refresh_token }));
    valid('POST', TOKEN, 400, await tokenRequest({ grant_type: JWT_GRANT, assertion: 'a.b.c' }));
    valid('POST', TOKEN, 400, await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'spent' }));
    valid('POST', TOKEN, 400, await tokenRequest({ grant_type: 'client_credentials' }));
  });

  it('GET account', async () => {
    valid('GET', ACCOUNT, 200, await rc.rawGet('/restapi/v1.0/account/~'));
  });

  it('GET extension list, with and without filters', async () => {
    valid('GET', EXTENSIONS, 200, await rc.rawGet('/restapi/v1.0/account/~/extension?perPage=1000'));
    valid('GET', EXTENSIONS, 200, await rc.rawGet('/restapi/v1.0/account/~/extension?type=Department&type=IvrMenu&status=Enabled&perPage=5&page=2'));
    valid('GET', EXTENSIONS, 200, await rc.rawGet('/restapi/v1.0/account/~/extension?page=50'));
  });

  it('GET every extension, its numbers and its forwarding numbers', async () => {
    expect(extensions).toHaveLength(150);
    valid('GET', EXTENSION, 200, await rc.rawGet('/restapi/v1.0/account/~/extension/~'));
    for (const extension of extensions) {
      valid('GET', EXTENSION, 200, await rc.rawGet(`/restapi/v1.0/account/~/extension/${extension.id}`));
      valid('GET', EXT_NUMBERS, 200, await rc.rawGet(`/restapi/v1.0/account/~/extension/${extension.id}/phone-number`));
      valid('GET', FORWARDING, 200, await rc.rawGet(`/restapi/v1.0/account/~/extension/${extension.id}/forwarding-number`));
    }
  });

  it('error bodies of the per-extension lists (404, 400)', async () => {
    valid('GET', EXT_NUMBERS, 404, await rc.rawGet('/restapi/v1.0/account/~/extension/999/phone-number'));
    valid('GET', FORWARDING, 404, await rc.rawGet('/restapi/v1.0/account/~/extension/999/forwarding-number'));
    valid('GET', FORWARDING, 400, await rc.rawGet('/restapi/v1.0/account/~/extension/~/forwarding-number?perPage=0'));
    await injectFaults(rc.baseUrl, {
      rateLimits: { '*': { limit: 1_000_000, windowSeconds: 60 } },
      rules: [{ match: `GET ${FORWARDING}`, error: { status: 503 } }],
    });
    const unavailable = await rc.rawGet('/restapi/v1.0/account/~/extension/~/forwarding-number');
    await injectFaults(rc.baseUrl, { rateLimits: { '*': { limit: 1_000_000, windowSeconds: 60 } } });
    valid('GET', FORWARDING, 503, unavailable);
  });

  it('GET v1 phone-number list and each number by id', async () => {
    const list = await rc.rawGet('/restapi/v1.0/account/~/phone-number?perPage=1000');
    valid('GET', NUMBERS_V1, 200, list);
    valid('GET', NUMBERS_V1, 200, await rc.rawGet('/restapi/v1.0/account/~/phone-number?usageType=ContactCenterNumber&paymentType=Local&status=Normal'));
    const records = (list.body as Json).records as Json[];
    for (const usage of ['MainCompanyNumber', 'CompanyNumber', 'DirectNumber', 'ContactCenterNumber']) {
      const record = records.find((r) => r.usageType === usage)!;
      valid('GET', NUMBER, 200, await rc.rawGet(`/restapi/v1.0/account/~/phone-number/${record.id}`));
    }
  });

  it('GET phone-number batch: every 207 part body matches its status', async () => {
    const records = ((await rc.rawGet('/restapi/v1.0/account/~/phone-number?perPage=29')).body as Json).records as Json[];
    const ids = [...records.map((r) => r.id), 1000000004];
    const batch = await rc.rawGet(`/restapi/v1.0/account/~/phone-number/${ids.join(',')}`, { accept: 'application/vnd.ringcentral.multipart+json' });
    expect(batch.status).toBe(207);
    const parts = batch.body as { resourceId: string; status: number; body: unknown }[];
    expect(parts.map((p) => p.status)).toEqual([...Array(29).fill(200), 404]);
    for (const part of parts.filter((p) => p.status === 200)) expect(contract.errors('GET', NUMBER, 200, part.body)).toEqual([]);
    // The by-id operation declares no 404; the platform's NotFound model is the one the sibling list declares.
    expect(contract.errors('GET', EXT_NUMBERS, 404, parts[29]!.body)).toEqual([]);
  });

  it('GET v2 phone-numbers and its declared errors (400, 403, 429, 500, 503)', async () => {
    valid('GET', NUMBERS_V2, 200, await rc.rawGet('/restapi/v2/accounts/~/phone-numbers?perPage=1000'));
    valid('GET', NUMBERS_V2, 200, await rc.rawGet('/restapi/v2/accounts/~/phone-numbers?usageType=Inventory&tollType=Toll'));
    valid('GET', NUMBERS_V2, 400, await rc.rawGet('/restapi/v2/accounts/~/phone-numbers?tollType=Free'));
    valid('GET', NUMBERS_V2, 403, await rc.rawGet('/restapi/v2/accounts/123456789/phone-numbers'));
    for (const status of [500, 503]) {
      await injectFaults(rc.baseUrl, { rateLimits: { '*': { limit: 1_000_000, windowSeconds: 60 } }, rules: [{ match: `GET ${NUMBERS_V2}`, error: { status } }] });
      valid('GET', NUMBERS_V2, status, await rc.rawGet('/restapi/v2/accounts/~/phone-numbers'));
    }
    await injectFaults(rc.baseUrl, { rateLimits: { '*': { limit: 1_000_000, windowSeconds: 60 }, Heavy: { limit: 0, windowSeconds: 60 } } });
    valid('GET', NUMBERS_V2, 429, await rc.rawGet('/restapi/v2/accounts/~/phone-numbers'));
    // The refusal started a Heavy penalty: clear it for the tests that follow.
    await resetSandbox(rc.baseUrl);
    await injectFaults(rc.baseUrl, { rateLimits: { '*': { limit: 1_000_000, windowSeconds: 60 } } });
  });

  it('PATCH v2 phone-number: AccountPhoneNumberInfo, and its declared errors (400, 403, 404)', async () => {
    const inventory = ((await rc.rawGet('/restapi/v2/accounts/~/phone-numbers?usageType=Inventory')).body as Json).records as Json[];
    const user = extensions.find((e) => e.type === 'User' && e.status === 'Enabled' && e.id !== extensions[0]!.id)!;
    const path = `/restapi/v2/accounts/~/phone-numbers/${inventory[0]!.id}`;
    valid('PATCH', ASSIGN, 200, await patch(path, { usageType: 'DirectNumber', extension: { id: String(user.id) }, type: 'VoiceOnly' }));
    valid('PATCH', ASSIGN, 200, await patch(path, { usageType: 'ContactCenterNumber', contactCenterProvider: { id: '3', name: 'RingCX' } }));
    valid('PATCH', ASSIGN, 200, await patch(path, { usageType: 'CompanyNumber' }));
    valid('PATCH', ASSIGN, 400, await patch(path, { usageType: 'DirectNumber', extension: { id: '42' } }));
    valid('PATCH', ASSIGN, 400, await patch(path, {}));
    valid('PATCH', ASSIGN, 403, await patch(`/restapi/v2/accounts/123456789/phone-numbers/${inventory[0]!.id}`, { usageType: 'CompanyNumber' }));
    valid('PATCH', ASSIGN, 404, await patch('/restapi/v2/accounts/~/phone-numbers/1000000004', { usageType: 'CompanyNumber' }));
  });
});

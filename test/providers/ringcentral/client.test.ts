import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FastifyReply } from 'fastify';
import { ProviderError } from '../../../src/providers/core/errors.js';
import { RingCentralClient, type PhoneNumberLookup } from '../../../src/providers/ringcentral/index.js';
import { SandboxServer, type SandboxProvider } from '../../../sandbox/core/server.js';
import { injectFaults, resetSandbox, sandboxStats } from '../../support/sandbox.js';
import { startRingCentral, type RingCentralFixture } from './fixtures.js';
import { collect } from '../../support/collect.js';

const TOKEN = 'POST /restapi/oauth/token';
const ACCOUNT = 'GET /restapi/v1.0/account/{accountId}';
const EXTENSIONS = 'GET /restapi/v1.0/account/{accountId}/extension';
const EXTENSION = 'GET /restapi/v1.0/account/{accountId}/extension/{extensionId}';
const EXT_NUMBERS = 'GET /restapi/v1.0/account/{accountId}/extension/{extensionId}/phone-number';
const FORWARDING = 'GET /restapi/v1.0/account/{accountId}/extension/{extensionId}/forwarding-number';
const NUMBERS_V1 = 'GET /restapi/v1.0/account/{accountId}/phone-number';
const NUMBER_BY_ID = 'GET /restapi/v1.0/account/{accountId}/phone-number/{phoneNumberId}';
const NUMBERS_V2 = 'GET /restapi/v2/accounts/{accountId}/phone-numbers';
const ASSIGN = 'PATCH /restapi/v2/accounts/{accountId}/phone-numbers/{phoneNumberId}';

const OWNER_ID = '1877506004';


describe('RingCentralClient against the sandbox', () => {
  let rc: RingCentralFixture;
  let client: RingCentralClient;
  let origin: string;

  beforeAll(async () => {
    rc = await startRingCentral();
    origin = rc.baseUrl;
  });
  afterAll(async () => rc.close());
  beforeEach(async () => {
    await resetSandbox(rc.baseUrl);
    client = rc.client();
  });

  describe('reads', () => {
    it('reads the account', async () => {
      expect(await client.getAccount()).toEqual({
        id: '925786193004',
        uri: `${origin}/restapi/v1.0/account/925786193004`,
        mainNumber: '+16022526441',
        status: 'Confirmed',
        setupWizardState: 'Completed',
        federated: false,
        operator: { id: OWNER_ID, uri: `${origin}/restapi/v1.0/account/925786193004/extension/${OWNER_ID}`, extensionNumber: '101' },
        serviceInfo: {
          brand: { id: '1210', name: 'RingCentral' },
          servicePlan: { id: '19427', name: 'RingEX Advanced', edition: 'Advanced' },
          billingPlan: { id: '29426', name: 'Monthly-109.98-Advanced 5', type: 'Regular' },
        },
      });
      expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ [TOKEN]: 1, [ACCOUNT]: 1 });
    });

    it('pages through every extension, one Medium request per page', async () => {
      const extensions = await collect(client.listExtensions({ perPage: 40 }));
      expect(extensions).toHaveLength(150);
      expect(new Set(extensions.map((e) => e.id)).size).toBe(150);
      expect(extensions.every((e) => typeof e.id === 'string' && /^\d+$/.test(e.id))).toBe(true);
      expect((await sandboxStats(rc.baseUrl)).byRoute[EXTENSIONS]).toBe(4);
      const counts: Record<string, number> = {};
      for (const e of extensions) counts[e.type] = (counts[e.type] ?? 0) + 1;
      expect(counts).toEqual({
        User: 122,
        Department: 12,
        IvrMenu: 5,
        Announcement: 2,
        Voicemail: 2,
        ParkLocation: 2,
        ApplicationExtension: 2,
        SharedLinesGroup: 1,
        PagingOnly: 1,
        GroupCallPickup: 1,
      });
    });

    it('filters extensions by repeated type and status values', async () => {
      const queues = await collect(client.listExtensions({ type: ['Department', 'IvrMenu'], status: ['Enabled'] }));
      expect(queues.map((e) => e.type).sort()).toEqual([...Array(12).fill('Department'), ...Array(5).fill('IvrMenu')]);
      expect(queues.find((e) => e.name === 'Customer Support')).toMatchObject({
        type: 'Department',
        status: 'Enabled',
        callQueueInfo: expect.objectContaining({ slaGoal: expect.any(Number) }),
      });
      const inactive = await collect(client.listExtensions({ type: ['User'], status: ['Disabled', 'NotActivated', 'Frozen'] }));
      expect(inactive.map((e) => e.status).sort()).toEqual([...Array(4).fill('Disabled'), 'Frozen', ...Array(8).fill('NotActivated')]);
      expect((await sandboxStats(rc.baseUrl)).byRoute[EXTENSIONS]).toBe(2);
    });

    it('reads one extension, with ~ meaning the token owner', async () => {
      expect(await client.getExtension('~')).toEqual({
        id: OWNER_ID,
        uri: `${origin}/restapi/v1.0/account/925786193004/extension/${OWNER_ID}`,
        extensionNumber: '101',
        name: 'Tomasz Wright',
        type: 'User',
        status: 'Enabled',
        hidden: false,
        creationTime: '2021-03-16T13:41:08.000Z',
        contact: {
          firstName: 'Tomasz',
          lastName: 'Wright',
          company: 'Bluebird Health Partners',
          jobTitle: 'IT Administrator',
          email: 'tomasz.wright@bluebirdhealthpartners.example.com',
          mobilePhone: '+13059351578',
          department: 'Operations',
        },
        permissions: { admin: { enabled: true }, internationalCalling: { enabled: true } },
        account: { id: '925786193004', uri: `${origin}/restapi/v1.0/account/925786193004` },
      });
      await expect(client.getExtension(OWNER_ID)).resolves.toMatchObject({ id: OWNER_ID });
    });

    it('maps an unknown extension to NOT_FOUND with the provider code', async () => {
      const error = await client.getExtension('999').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, providerCode: 'CMN-102', retryable: false });
      expect((error as Error).message).toBe(
        'ringcentral GET /restapi/v1.0/account/~/extension/999 failed with 404: Resource for parameter [extensionId] is not found',
      );
      // 404 is final: one request, no retry.
      expect((await sandboxStats(rc.baseUrl)).byRoute[EXTENSION]).toBe(1);
    });

    it('pages through the v1 company numbers (Heavy), without inventory', async () => {
      const numbers = await collect(client.listAccountPhoneNumbers({ perPage: 100 }));
      expect(numbers).toHaveLength(296);
      expect((await sandboxStats(rc.baseUrl)).byRoute[NUMBERS_V1]).toBe(3);
      const usage: Record<string, number> = {};
      for (const n of numbers) usage[n.usageType] = (usage[n.usageType] ?? 0) + 1;
      expect(usage).toEqual({ DirectNumber: 205, ContactCenterNumber: 45, CompanyNumber: 45, MainCompanyNumber: 1 });
      expect(numbers.find((n) => n.usageType === 'MainCompanyNumber')).toMatchObject({ phoneNumber: '+16022526441' });
      expect(numbers.filter((n) => n.extension).every((n) => typeof n.extension!.id === 'string')).toBe(true);
    });

    it('filters v1 numbers: contact-center numbers are RingCX numbers', async () => {
      const numbers = await collect(client.listAccountPhoneNumbers({ usageType: ['ContactCenterNumber'] }));
      expect(numbers).toHaveLength(45);
      expect(numbers.every((n) => n.contactCenterProvider?.name === 'RingCX' && n.extension === undefined)).toBe(true);
      const tollFree = await collect(client.listAccountPhoneNumbers({ paymentType: ['TollFree'], usageType: ['DirectNumber'] }));
      expect(tollFree.length).toBeGreaterThan(0);
      expect(tollFree.every((n) => n.paymentType === 'TollFree' && n.usageType === 'DirectNumber')).toBe(true);
    });

    it('pages through the v2 numbers (no navigation: paging decides), inventory included', async () => {
      const numbers = await collect(client.listPhoneNumbersV2({ perPage: 150 }));
      expect(numbers).toHaveLength(311);
      expect((await sandboxStats(rc.baseUrl)).byRoute[NUMBERS_V2]).toBe(3);
      const inventory = numbers.filter((n) => n.usageType === 'Inventory');
      expect(inventory).toHaveLength(15);
      expect(inventory.every((n) => n.extension === undefined && n.type === undefined)).toBe(true);
      const direct = numbers.find((n) => n.usageType === 'DirectNumber')!;
      expect(direct.extension).toEqual({ id: expect.stringMatching(/^\d+$/), extensionNumber: expect.stringMatching(/^\d{3}$/) });
    });

    it('filters v2 numbers by usage type and exact or wildcard number', async () => {
      expect(await collect(client.listPhoneNumbersV2({ usageType: ['Inventory'] }))).toHaveLength(15);
      const [main] = await collect(client.listPhoneNumbersV2({ phoneNumber: '+16022526441' }));
      expect(main).toEqual({
        id: expect.stringMatching(/^\d+$/),
        phoneNumber: '+16022526441',
        tollType: 'Toll',
        usageType: 'MainCompanyNumber',
        type: 'VoiceFax',
        status: expect.stringMatching(/^(Normal|PortedIn)$/),
        byocNumber: false,
        activationStatus: 'Active',
      });
      const similar = await collect(client.listPhoneNumbersV2({ phoneNumber: '+1602252644*' }));
      expect(similar.map((n) => n.phoneNumber)).toContain('+16022526441');
    });

    it("lists an extension's own numbers (the main number first for users) and its forwarding numbers", async () => {
      const numbers = await collect(client.listExtensionPhoneNumbers('~'));
      expect(numbers.map((n) => [n.phoneNumber, n.usageType, n.extension?.id, n.primary, n.features])).toEqual([
        ['+16022526441', 'MainCompanyNumber', undefined, false, ['CallerId']],
        ['+13059370181', 'DirectNumber', OWNER_ID, true, ['CallerId', 'SmsSender', 'MmsSender', 'InternationalSmsSender']],
        ['+18887877238', 'DirectNumber', OWNER_ID, false, ['CallerId']],
      ]);
      const forwarding = await collect(client.listForwardingNumbers('~'));
      expect(forwarding).toEqual([
        {
          id: '2005364008',
          uri: `${origin}/restapi/v1.0/account/925786193004/extension/${OWNER_ID}/forwarding-number/2005364008`,
          phoneNumber: '+13059351578',
          label: 'Mobile Phone',
          type: 'Mobile',
          features: ['CallForwarding'],
        },
        {
          id: '2007100008',
          uri: `${origin}/restapi/v1.0/account/925786193004/extension/${OWNER_ID}/forwarding-number/2007100008`,
          phoneNumber: '+15127565516',
          label: 'Home Phone',
          type: 'Home',
          features: ['CallFlip', 'CallForwarding'],
          flipNumber: '2',
        },
      ]);
      expect((await sandboxStats(rc.baseUrl)).byRoute).toMatchObject({ [EXT_NUMBERS]: 1, [FORWARDING]: 1 });
    });

    it('pages an extension list one record at a time when asked', async () => {
      const numbers = await collect(client.listExtensionPhoneNumbers(OWNER_ID, { perPage: 1 }));
      expect(numbers).toHaveLength(3);
      expect((await sandboxStats(rc.baseUrl)).byRoute[EXT_NUMBERS]).toBe(3);
    });
  });

  describe('batch GET of phone numbers', () => {
    let ids: string[];

    beforeAll(async () => {
      ids = (await collect(rc.client().listAccountPhoneNumbers())).map((n) => n.id);
    });

    it('splits 65 ids into ceil(65/30) = 3 requests and answers in the order asked', async () => {
      const wanted = ids.slice(0, 65);
      const results = await client.getPhoneNumbers(wanted);
      expect(results.map((r) => [r.id, r.status])).toEqual(wanted.map((id) => [id, 'found']));
      expect(results.every((r) => r.status === 'found' && r.phoneNumber.id === r.id)).toBe(true);
      expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ [TOKEN]: 1, [NUMBER_BY_ID]: 3 });
    });

    it('sends exactly 30 ids per request at the limit and one request for the 31st', async () => {
      const results = await client.getPhoneNumbers(ids.slice(0, 31));
      expect(results.filter((r) => r.status === 'found')).toHaveLength(31);
      expect((await sandboxStats(rc.baseUrl)).byRoute[NUMBER_BY_ID]).toBe(2);
    });

    it('reports unknown ids (a 207 part with 404) as not found, keeps duplicates, and never sends ids that cannot exist', async () => {
      const asked = [ids[0]!, '1000000004', ids[1]!, ids[0]!, 'not-a-number', '12,34'];
      const results = await client.getPhoneNumbers(asked);
      expect(results.map((r) => [r.id, r.status])).toEqual([
        [ids[0], 'found'],
        ['1000000004', 'notFound'],
        [ids[1], 'found'],
        [ids[0], 'found'],
        ['not-a-number', 'notFound'],
        ['12,34', 'notFound'],
      ]);
      // Three distinct numeric ids: one batch request.
      expect((await sandboxStats(rc.baseUrl)).byRoute[NUMBER_BY_ID]).toBe(1);
    });

    it('handles a lone id, which RingCentral answers as a plain 200 or 404', async () => {
      const [found] = await client.getPhoneNumbers([ids[5]!]);
      expect(found).toMatchObject({ id: ids[5], status: 'found', phoneNumber: { id: ids[5] } });
      expect(await client.getPhoneNumbers(['1000000004'])).toEqual([{ id: '1000000004', status: 'notFound' }]);
      expect(await client.getPhoneNumbers([])).toEqual([]);
      expect((await sandboxStats(rc.baseUrl)).byRoute[NUMBER_BY_ID]).toBe(2);
    });

    it('puts a failed chunk’s error on each of its ids and keeps the other chunks’ results', async () => {
      const wanted = ids.slice(0, 31);
      // Chunks go one after the other: the first (30 ids) fails all three attempts, the lone 31st id is then fine.
      await injectFaults(rc.baseUrl, { rules: [{ match: NUMBER_BY_ID, error: { status: 500, code: 'CMN-203', message: 'Internal Server Error' }, times: 3 }] });
      const results = await client.getPhoneNumbers(wanted);
      const failed = results.slice(0, 30) as Extract<PhoneNumberLookup, { status: 'error' }>[];
      expect(failed.every((r) => r.status === 'error' && r.error.code === 'UNAVAILABLE' && r.error.providerCode === 'CMN-203')).toBe(true);
      expect(results[30]).toMatchObject({ id: wanted[30], status: 'found' });
      // The failing chunk was tried three times (retry limit 2), the lone id once.
      expect((await sandboxStats(rc.baseUrl)).byRoute[NUMBER_BY_ID]).toBe(4);
    });
  });

  describe('assigning numbers', () => {
    const inventoryNumber = async () => (await collect(client.listPhoneNumbersV2({ usageType: ['Inventory'] })))[0]!;
    const enabledUsers = async () => (await collect(client.listExtensions({ type: ['User'], status: ['Enabled'] }))).map((e) => e.id);

    it('moves a number inventory → extension → extension → company, visible in every read', async () => {
      const number = await inventoryNumber();
      const [, alice, bob] = await enabledUsers();
      expect(await client.getPhoneNumbers([number.id])).toEqual([{ id: number.id, status: 'notFound' }]);

      const assigned = await client.assignPhoneNumber(number.id, { usageType: 'DirectNumber', extension: { id: alice! } });
      expect(assigned).toMatchObject({ id: number.id, phoneNumber: number.phoneNumber, usageType: 'DirectNumber', extension: { id: alice } });

      const moved = await client.assignPhoneNumber(number.id, { usageType: 'DirectNumber', extension: { id: bob! } });
      expect(moved).toMatchObject({ usageType: 'DirectNumber', extension: { id: bob } });

      const v2 = await collect(client.listPhoneNumbersV2({ phoneNumber: number.phoneNumber }));
      expect(v2).toEqual([moved]);
      const v1 = (await collect(client.listAccountPhoneNumbers({ usageType: ['DirectNumber'] }))).find((n) => n.id === number.id);
      expect(v1).toMatchObject({ usageType: 'DirectNumber', extension: { id: bob } });
      const [batch] = await client.getPhoneNumbers([number.id]);
      expect(batch).toMatchObject({ status: 'found', phoneNumber: { extension: { id: bob } } });
      expect((await collect(client.listExtensionPhoneNumbers(bob!))).map((n) => n.id)).toContain(number.id);
      expect((await collect(client.listExtensionPhoneNumbers(alice!))).map((n) => n.id)).not.toContain(number.id);

      const company = await client.assignPhoneNumber(number.id, { usageType: 'CompanyNumber' });
      expect(company.usageType).toBe('CompanyNumber');
      expect(company.extension).toBeUndefined();
      expect((await collect(client.listExtensionPhoneNumbers(bob!))).map((n) => n.id)).not.toContain(number.id);
    });

    it('names the bad field of a refused assignment', async () => {
      const number = await inventoryNumber();
      const error = await client.assignPhoneNumber(number.id, { usageType: 'DirectNumber', extension: { id: '424242' } }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'BAD_REQUEST', status: 400, providerCode: 'CMN-102' });
      expect((error as Error).message).toBe(
        `ringcentral PATCH /restapi/v2/accounts/~/phone-numbers/${number.id} failed with 400: Resource for parameter [extension.id] is not found`,
      );
      const noExtension = await client.assignPhoneNumber(number.id, { usageType: 'DirectNumber' }).catch((e: unknown) => e);
      expect(noExtension).toMatchObject({ code: 'BAD_REQUEST', providerCode: 'CMN-101' });
      expect((noExtension as Error).message).toContain('extension.id');
    });

    it('maps an unknown number to NOT_FOUND', async () => {
      const error = await client.assignPhoneNumber('1000000004', { usageType: 'CompanyNumber' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, providerCode: 'CMN-102' });
    });

    it('never resends a PATCH, even after a 503 or a reset connection', async () => {
      const number = await inventoryNumber();
      await injectFaults(rc.baseUrl, { rules: [{ match: ASSIGN, error: { status: 503, retryAfterSeconds: 0 } }] });
      await expect(client.assignPhoneNumber(number.id, { usageType: 'CompanyNumber' })).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503 });
      await injectFaults(rc.baseUrl, { rules: [{ match: ASSIGN, reset: true }] });
      await expect(client.assignPhoneNumber(number.id, { usageType: 'CompanyNumber' })).rejects.toMatchObject({ code: 'NETWORK' });
      expect((await sandboxStats(rc.baseUrl)).byRoute[ASSIGN]).toBe(2);
    });
  });

  describe('failures', () => {
    it.each([
      [401, 'OAU-151', 'UNAUTHENTICATED', false],
      [403, 'CMN-408', 'FORBIDDEN', false],
      [404, 'CMN-102', 'NOT_FOUND', false],
      [400, 'CMN-101', 'BAD_REQUEST', false],
      [429, 'CMN-301', 'RATE_LIMITED', true],
      [500, 'CMN-203', 'UNAVAILABLE', true],
      [503, 'CMN-201', 'UNAVAILABLE', true],
    ])('maps %i %s to %s', async (status, providerCode, code, retryable) => {
      await injectFaults(rc.baseUrl, { rules: [{ match: ASSIGN, error: { status, code: providerCode, message: 'Nope' } }] });
      const error = await client.assignPhoneNumber('1000000004', { usageType: 'CompanyNumber' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ provider: 'ringcentral', status, code, providerCode, retryable, operation: 'PATCH /restapi/v2/accounts/~/phone-numbers/1000000004' });
      expect((error as Error).message).toBe(`ringcentral PATCH /restapi/v2/accounts/~/phone-numbers/1000000004 failed with ${status}: Nope`);
      expect((await sandboxStats(rc.baseUrl)).byRoute[ASSIGN]).toBe(1);
    });

    it('does not renew the token for a 401 that is not about the token', async () => {
      await injectFaults(rc.baseUrl, { rules: [{ match: ACCOUNT, error: { status: 401, code: 'OAU-151', message: 'Authorization method not supported' } }] });
      await expect(client.getAccount()).rejects.toMatchObject({ code: 'UNAUTHENTICATED', providerCode: 'OAU-151' });
      expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ [TOKEN]: 1, [ACCOUNT]: 1 });
    });

    it('retries a GET after 5xx, honouring Retry-After, and gives up after the retry limit', async () => {
      await injectFaults(rc.baseUrl, { rules: [{ match: ACCOUNT, error: { status: 503, retryAfterSeconds: 0.1 }, times: 2 }] });
      const started = Date.now();
      await expect(client.getAccount()).resolves.toMatchObject({ id: '925786193004' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect((await sandboxStats(rc.baseUrl)).byRoute[ACCOUNT]).toBe(3);

      await injectFaults(rc.baseUrl, { rules: [{ match: ACCOUNT, error: { status: 500 } }] });
      await expect(client.getAccount()).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 500, providerCode: 'CMN-203' });
      expect((await sandboxStats(rc.baseUrl)).byRoute[ACCOUNT]).toBe(6);
    });

    it('times out a hung request, retrying it, and reports TIMEOUT', async () => {
      await injectFaults(rc.baseUrl, { rules: [{ match: EXTENSION, hang: true }] });
      const error = await client.getExtension('~').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, status: undefined });
      expect((error as Error).message).toBe('ringcentral GET /restapi/v1.0/account/~/extension/~ did not answer within 300 ms');
      expect((await sandboxStats(rc.baseUrl)).byRoute[EXTENSION]).toBe(3);
    });

    it('retries a GET whose connection was reset', async () => {
      await injectFaults(rc.baseUrl, { rules: [{ match: EXTENSION, reset: true, times: 1 }] });
      await expect(client.getExtension('~')).resolves.toMatchObject({ id: OWNER_ID });
      expect((await sandboxStats(rc.baseUrl)).byRoute[EXTENSION]).toBe(2);
    });
  });
});

/**
 * A provider that answers 2xx with bodies RingCentral would never send, to
 * show those become INVALID_RESPONSE rather than half-parsed records.
 */
function brokenRingCentral(): SandboxProvider {
  return {
    name: 'ringcentral',
    rateLimitGroups: [],
    sendError(reply: FastifyReply, status: number, message: string, code?: string) {
      return reply.code(status).send({ errors: [{ errorCode: code ?? 'CMN-101', message }] });
    },
    register(app) {
      app.post('/restapi/oauth/token', async () => ({ access_token: 'x-token', token_type: 'bearer', expires_in: 3600, refresh_token: 'r', scope: '' }));
      app.get('/restapi/v1.0/account/:accountId', async () => ({ uri: 'https://platform.example/restapi/v1.0/account/1' }));
      app.get('/restapi/v1.0/account/:accountId/extension', async () => ({ records: [{ id: 1, type: 'User' }, { name: 'no id' }], navigation: {} }));
      app.get('/restapi/v2/accounts/:accountId/phone-numbers', async () => ({ records: 'not a list', paging: { perPage: 100 } }));
    },
    reset() {},
  };
}

describe('RingCentralClient with a body it cannot use', () => {
  let server: SandboxServer;
  let client: RingCentralClient;

  beforeAll(async () => {
    server = await SandboxServer.start(brokenRingCentral());
    client = new RingCentralClient({ baseUrl: server.baseUrl, clientId: 'id', clientSecret: 'secret', jwt: 'a.b.c', timeoutMs: 300 });
  });
  afterAll(async () => server.close());

  it.each([
    ['an account without an id', () => client.getAccount(), 'GET /restapi/v1.0/account/~', 'account has no usable id'],
    ['an extension without an id', () => collect(client.listExtensions()), 'GET /restapi/v1.0/account/~/extension', 'extension has no usable id'],
    ['a list without records', () => collect(client.listPhoneNumbersV2()), 'GET /restapi/v2/accounts/~/phone-numbers', 'list response has no records array'],
  ])('reports %s as INVALID_RESPONSE', async (_what, call, operation, detail) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', operation, retryable: false });
    expect((error as Error).message).toBe(`ringcentral ${operation} returned a body we cannot use: ${detail}`);
  });
});

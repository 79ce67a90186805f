import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ProviderError } from '../../../src/providers/core/errors.js';
import { RingCxClient } from '../../../src/providers/ringcx/index.js';
import { injectFaults, resetSandbox, sandboxStats } from '../../support/sandbox.js';
import { startRingCx, type RingCxHarness } from './support.js';

const EXCHANGE = 'POST /api/auth/login/rc/accesstoken';
const REFRESH = 'POST /api/auth/token/refresh';
const ACCOUNTS = 'GET /voice/api/v1/admin/accounts';

async function expireTokens(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/__sandbox/tokens/expire`, { method: 'POST' });
  return ((await response.json()) as { expired: number }).expired;
}

describe('RingCX client authentication (RingCentral token exchange)', () => {
  let rcx: RingCxHarness;
  beforeAll(async () => {
    rcx = await startRingCx();
  });
  afterAll(async () => rcx.close());
  beforeEach(async () => resetSandbox(rcx.baseUrl));

  it('exchanges the RingCentral token once and reuses the RingCX token', async () => {
    const { client, rcTokenCalls } = rcx.rcClient();
    const first = await client.listAccounts();
    await client.listAccounts();
    expect(first.map((a) => a.accountId)).toEqual(['15300001', '15300002', '15300003']);
    expect(rcTokenCalls()).toBe(1);
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 0, total: 3, byRoute: { [ACCOUNTS]: 2, [EXCHANGE]: 1 } });
  });

  it('makes concurrent callers share one exchange (the endpoint allows 5 a minute)', async () => {
    const { client, rcTokenCalls } = rcx.rcClient();
    const results = await Promise.all(Array.from({ length: 12 }, () => client.listAccounts()));
    expect(results.every((accounts) => accounts.length === 3)).toBe(true);
    expect(rcTokenCalls()).toBe(1);
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 0, total: 13, byRoute: { [ACCOUNTS]: 12, [EXCHANGE]: 1 } });
  });

  it('renews with the refresh token when the access token expires mid-run, losing no call', async () => {
    const { client, rcTokenCalls } = rcx.rcClient();
    await client.listAccounts();
    // Tokens survive resets (they are credentials, not seed data), so earlier
    // tests' tokens are expired too.
    expect(await expireTokens(rcx.baseUrl)).toBeGreaterThanOrEqual(1);

    // The client still believes its token is good (its `exp` is minutes away);
    // RingCX answers 401 "Jwt is expired", the client refreshes and replays.
    const afterExpiry = await client.listAccounts();
    expect(afterExpiry).toHaveLength(3);
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 0, total: 5, byRoute: { [ACCOUNTS]: 3, [EXCHANGE]: 1, [REFRESH]: 1 } });

    // Refresh tokens rotate and the first one is now dead: a second expiry is
    // only survived without a new exchange if the client kept the newest one.
    await expireTokens(rcx.baseUrl);
    await client.listAccounts();
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 0, total: 8, byRoute: { [ACCOUNTS]: 5, [EXCHANGE]: 1, [REFRESH]: 2 } });
    expect(rcTokenCalls()).toBe(1);
  });

  it('renews once for many concurrent calls that all meet the expired token', async () => {
    const { client } = rcx.rcClient();
    await client.listAccounts();
    await expireTokens(rcx.baseUrl);
    const results = await Promise.all(Array.from({ length: 5 }, () => client.listTnManagerAccounts()));
    expect(results.every((accounts) => accounts.length === 3)).toBe(true);
    const stats = await sandboxStats(rcx.baseUrl);
    expect(stats.byRoute[EXCHANGE]).toBe(1);
    expect(stats.byRoute[REFRESH]).toBe(1);
    // 5 refused with 401, 5 replayed.
    expect(stats.byRoute['GET /voice/api/v1/admin/utilities/tnManager/accounts']).toBe(10);
  });

  it('falls back to a new exchange when the refresh fails (and never retries either POST)', async () => {
    const { client, rcTokenCalls } = rcx.rcClient();
    await client.listAccounts();
    await expireTokens(rcx.baseUrl);
    await injectFaults(rcx.baseUrl, { rules: [{ match: REFRESH, error: { status: 503 } }] });
    await expect(client.listAccounts()).resolves.toHaveLength(3);
    expect(rcTokenCalls()).toBe(2);
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 0, total: 6, byRoute: { [ACCOUNTS]: 3, [EXCHANGE]: 2, [REFRESH]: 1 } });
  });

  it('reports an unverifiable RingCentral token as UNAUTHENTICATED without leaking it', async () => {
    const client = new RingCxClient({
      baseUrl: rcx.baseUrl,
      auth: { kind: 'ringcentral', ringCentralAccessToken: async () => 'rc-revoked-token-77' },
      timeoutMs: 1000,
    });
    const error = (await client.listAccounts().catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      provider: 'ringcx',
      code: 'UNAUTHENTICATED',
      status: 401,
      providerCode: 'invalid.rc.token.exception',
      operation: 'POST /api/auth/login/rc/accesstoken',
      retryable: false,
    });
    expect(error.message).toBe(
      'ringcx POST /api/auth/login/rc/accesstoken failed with 401: RingCentral access token is invalid or expired: The RingCentral token could not be verified',
    );
    expect(JSON.stringify(error)).not.toContain('rc-revoked-token-77');
    // The API call itself was never sent.
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 0, total: 1, byRoute: { [EXCHANGE]: 1 } });
  });

  it('reports a failing RingCentral token source as UNAUTHENTICATED and sends nothing', async () => {
    const client = new RingCxClient({
      baseUrl: rcx.baseUrl,
      auth: {
        kind: 'ringcentral',
        ringCentralAccessToken: async () => {
          throw new Error('RingCentral JWT grant refused');
        },
      },
    });
    await expect(client.listAccounts()).rejects.toMatchObject({
      provider: 'ringcx',
      code: 'UNAUTHENTICATED',
      message: 'ringcx token exchange failed: no RingCentral access token available',
    });
    expect((await sandboxStats(rcx.baseUrl)).total).toBe(0);
  });
});

describe('RingCX client authentication (short-lived tokens)', () => {
  let rcx: RingCxHarness;
  beforeAll(async () => {
    // 20 s tokens are inside the client's 30 s renewal margin: every call after
    // the first must renew before sending, never meeting a 401.
    rcx = await startRingCx({ tokenTtlSeconds: 20 });
  });
  afterAll(async () => rcx.close());

  it('renews proactively from the JWT exp claim, before RingCX refuses the token', async () => {
    const { client } = rcx.rcClient();
    await client.listAccounts();
    await client.listAccounts();
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 0, total: 4, byRoute: { [ACCOUNTS]: 2, [EXCHANGE]: 1, [REFRESH]: 1 } });
  });
});

describe('RingCX client authentication (permanent API token)', () => {
  let rcx: RingCxHarness;
  beforeAll(async () => {
    rcx = await startRingCx();
  });
  afterAll(async () => rcx.close());
  beforeEach(async () => resetSandbox(rcx.baseUrl));

  it('sends X-Auth-Token and never exchanges', async () => {
    const accounts = await rcx.client().listAccounts();
    expect(accounts.map((a) => a.accountName)).toEqual(['Brightline Patient Access', 'Brightline Billing & Claims', 'Brightline Pharmacy']);
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 0, total: 1, byRoute: { [ACCOUNTS]: 1 } });
  });

  it('maps a wrong API token to UNAUTHENTICATED, does not retry or renew, and redacts the token', async () => {
    const token = 'rcx-api-not-the-right-token';
    const error = (await rcx.client({ auth: { kind: 'apiToken', token } }).listAccounts().catch((e: unknown) => e)) as ProviderError;
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, providerCode: 'invalid.token.exception', retryable: false });
    expect(error.message).toBe('ringcx GET /voice/api/v1/admin/accounts failed with 401: Invalid API token: The X-Auth-Token is not valid');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(token);
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 0, total: 1, byRoute: { [ACCOUNTS]: 1 } });
  });
});

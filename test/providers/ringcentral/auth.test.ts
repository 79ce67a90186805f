import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ProviderError } from '../../../src/providers/core/errors.js';
import { injectFaults, resetSandbox, sandboxStats } from '../../support/sandbox.js';
import { JWT_GRANT, startRingCentral, type RingCentralFixture } from './fixtures.js';

const TOKEN = 'POST /restapi/oauth/token';
const EXTENSION = 'GET /restapi/v1.0/account/{accountId}/extension/{extensionId}';
const ACCOUNT = 'GET /restapi/v1.0/account/{accountId}';

describe('RingCentral client authentication', () => {
  let rc: RingCentralFixture;

  beforeAll(async () => {
    rc = await startRingCentral();
  });
  afterAll(async () => rc.close());
  beforeEach(async () => resetSandbox(rc.baseUrl));

  it('logs in once with the JWT grant however many callers start at the same time', async () => {
    const client = rc.client();
    const extensions = await Promise.all(Array.from({ length: 10 }, () => client.getExtension('~')));
    expect(new Set(extensions.map((e) => e.id))).toEqual(new Set(['1877506004']));
    expect(await sandboxStats(rc.baseUrl)).toEqual({ rateLimited: 0, total: 11, byRoute: { [TOKEN]: 1, [EXTENSION]: 10 } });
    expect(await rc.grantTypes()).toEqual([JWT_GRANT]);
  });

  it('keeps using a token that has time left', async () => {
    const client = rc.client();
    await client.getAccount();
    await client.getAccount();
    await client.getExtension('~');
    expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ [TOKEN]: 1, [ACCOUNT]: 2, [EXTENSION]: 1 });
  });

  it('hands out the token it uses, which the sandbox (and so RingCX) accepts until it expires', async () => {
    const client = rc.client();
    const token = await client.accessToken();
    expect(rc.sandbox.verifyAccessToken(token)).toEqual({ ownerId: '1877506004', accountId: rc.sandbox.accountId });
    await rc.expireTokens();
    expect(rc.sandbox.verifyAccessToken(token)).toBeNull();
  });

  it('renews a token that expires mid-run with one refresh, and every in-flight call still succeeds', async () => {
    const client = rc.client();
    await client.getAccount();
    await rc.expireTokens();

    const extensions = await Promise.all(Array.from({ length: 8 }, () => client.getExtension('~')));
    expect(extensions.map((e) => e.extensionNumber)).toEqual(Array(8).fill('101'));
    // Eight calls refused with OAU-128, one refresh shared by all, eight replays.
    expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ [TOKEN]: 2, [ACCOUNT]: 1, [EXTENSION]: 16 });
    expect(await rc.grantTypes()).toEqual([JWT_GRANT, 'refresh_token']);

    await client.getAccount();
    expect((await sandboxStats(rc.baseUrl)).byRoute[TOKEN]).toBe(2);
  });

  it('falls back to a JWT login when the refresh is refused', async () => {
    const client = rc.client();
    await client.getAccount();
    await rc.expireTokens();
    await injectFaults(rc.baseUrl, { rules: [{ match: TOKEN, error: { status: 400, code: 'OAU-211', message: 'Token is revoked' }, times: 1 }] });

    await expect(client.getExtension('~')).resolves.toMatchObject({ id: '1877506004' });
    // login, refused refresh, fresh login; the API call was refused once and replayed once.
    expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ [TOKEN]: 3, [ACCOUNT]: 1, [EXTENSION]: 2 });
    expect(await rc.grantTypes()).toEqual([JWT_GRANT, JWT_GRANT]);
  });

  it('never resends a refresh (its token may already be spent) and logs in instead', async () => {
    const client = rc.client();
    await client.getAccount();
    await rc.expireTokens();
    await injectFaults(rc.baseUrl, { rules: [{ match: TOKEN, error: { status: 503, retryAfterSeconds: 0 }, times: 1 }] });

    await expect(client.getExtension('~')).resolves.toMatchObject({ id: '1877506004' });
    // login, one refresh answered 503 and not retried, login.
    expect((await sandboxStats(rc.baseUrl)).byRoute[TOKEN]).toBe(3);
    expect(await rc.grantTypes()).toEqual([JWT_GRANT, JWT_GRANT]);
  });

  it('retries the JWT login after a 503, honouring Retry-After', async () => {
    await injectFaults(rc.baseUrl, { rules: [{ match: TOKEN, error: { status: 503, retryAfterSeconds: 0.1 }, times: 1 }] });
    const started = Date.now();
    await rc.client().getAccount();
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ [TOKEN]: 2, [ACCOUNT]: 1 });
  });

  it('reports wrong client credentials as UNAUTHENTICATED without calling the API or leaking the secret', async () => {
    const secret = 'not-the-secret-at-all';
    const error = (await rc.client({ clientSecret: secret }).getAccount().catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'ringcentral', code: 'UNAUTHENTICATED', status: 401, providerCode: 'OAU-146', retryable: false });
    expect(error.message).toBe('ringcentral POST /restapi/oauth/token failed with 401: Invalid client credentials');
    expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ [TOKEN]: 1 });
    const basic = Buffer.from(`${rc.sandbox.credentials.clientId}:${secret}`).toString('base64');
    for (const text of [error.message, JSON.stringify(error), String(error.cause)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(basic);
    }
  });

  it('reports a wrong JWT credential as UNAUTHENTICATED (invalid_grant) and does not retry it', async () => {
    const error = await rc.client({ jwt: 'eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl' }).getAccount().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 400, providerCode: 'OAU-140' });
    expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ [TOKEN]: 1 });
  });

  it('scrubs the JWT, the client secret and tokens from every error message', async () => {
    const { jwt, clientSecret } = rc.sandbox.credentials;
    await injectFaults(rc.baseUrl, {
      rules: [{ match: TOKEN, error: { status: 400, code: 'OAU-140', message: `assertion ${jwt} rejected for ${clientSecret}` }, times: 1 }],
    });
    const client = rc.client();
    const error = (await client.getAccount().catch((e: unknown) => e)) as ProviderError;
    expect(error.message).toBe('ringcentral POST /restapi/oauth/token failed with 400: assertion [redacted] rejected for [redacted]');

    const token = await client.accessToken();
    await injectFaults(rc.baseUrl, { rules: [{ match: ACCOUNT, error: { status: 400, code: 'CMN-101', message: `bad token ${token}` } }] });
    const apiError = (await client.getAccount().catch((e: unknown) => e)) as ProviderError;
    expect(apiError.message).toBe('ringcentral GET /restapi/v1.0/account/~ failed with 400: bad token [redacted]');
    expect(JSON.stringify(apiError)).not.toContain(token);
  });

  it('stops asking for tokens while the Auth group is rate limited', async () => {
    await injectFaults(rc.baseUrl, { rateLimits: { Auth: { limit: 1, windowSeconds: 60 } } });
    await rc.client().getAccount();

    // Another client instance (no shared state) gets the 429 and then keeps quiet.
    const second = rc.client({ retry: { limit: 2, backoffLimitMs: 20, maxRetryAfterMs: 2_000, fallbackRetryAfterMs: 50 } });
    const first = (await second.getAccount().catch((e: unknown) => e)) as ProviderError;
    expect(first).toMatchObject({ code: 'RATE_LIMITED', status: 429, providerCode: 'CMN-301', retryAfterMs: 60_000 });
    const again = (await second.getExtension('~').catch((e: unknown) => e)) as ProviderError;
    expect(again).toMatchObject({ code: 'RATE_LIMITED', status: undefined });
    expect(again.message).toBe('ringcentral asked us to pause Auth requests; not sending until the window passes');
    expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ [TOKEN]: 2, [ACCOUNT]: 1 });
  });
});

describe('RingCentral proactive token renewal', () => {
  let rc: RingCentralFixture;

  // Tokens live 30 s here, less than the client's 60 s renewal margin, so
  // every use finds the token due and renews it before sending.
  beforeAll(async () => {
    rc = await startRingCentral({ tokenTtlSeconds: 30 });
  });
  afterAll(async () => rc.close());
  beforeEach(async () => resetSandbox(rc.baseUrl));

  it('renews with the refresh grant before the token expires, so no call is ever refused', async () => {
    const client = rc.client();
    await client.getAccount();
    await client.getAccount();
    await client.getAccount();
    expect(await rc.grantTypes()).toEqual([JWT_GRANT, 'refresh_token', 'refresh_token']);
    // No 401 and no replay: exactly one request per call.
    expect((await sandboxStats(rc.baseUrl)).byRoute).toEqual({ [TOKEN]: 3, [ACCOUNT]: 3 });
  });

  it('does not renew early when the margin is shorter than the lifetime', async () => {
    const client = rc.client({ tokenRenewBeforeMs: 5_000 });
    await client.getAccount();
    await client.getAccount();
    expect(await rc.grantTypes()).toEqual([JWT_GRANT]);
  });
});

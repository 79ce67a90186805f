import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ProviderError } from '../../../src/providers/core/errors.js';
import { injectFaults, resetSandbox, sandboxStats } from '../../support/sandbox.js';
import { startRingCentral, type RingCentralFixture } from './fixtures.js';

const ACCOUNT = 'GET /restapi/v1.0/account/{accountId}';
const EXTENSION = 'GET /restapi/v1.0/account/{accountId}/extension/{extensionId}';
const NUMBERS_V1 = 'GET /restapi/v1.0/account/{accountId}/phone-number';
const NUMBERS_V2 = 'GET /restapi/v2/accounts/{accountId}/phone-numbers';

async function drain<T>(iterator: AsyncIterable<T>): Promise<number> {
  let count = 0;
  for await (const _ of iterator) count += 1;
  return count;
}

describe('RingCentral throttling groups', () => {
  let rc: RingCentralFixture;

  beforeAll(async () => {
    rc = await startRingCentral();
  });
  afterAll(async () => rc.close());
  beforeEach(async () => resetSandbox(rc.baseUrl));

  it('stops sending Heavy requests when the window is spent, so the penalty is never triggered', async () => {
    await injectFaults(rc.baseUrl, { rateLimits: { Heavy: { limit: 2, windowSeconds: 60 } } });
    const client = rc.client();
    expect(await drain(client.listAccountPhoneNumbers())).toBe(296);
    // This response says X-Rate-Limit-Remaining: 0.
    expect(await drain(client.listPhoneNumbersV2())).toBe(311);

    // The third Heavy call fails fast without being sent; a 429 now would
    // start a 60 s penalty that every further request restarts.
    const error = (await drain(client.listAccountPhoneNumbers()).catch((e: unknown) => e)) as ProviderError;
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: undefined, retryable: true });
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.message).toBe('ringcentral asked us to pause Heavy requests; not sending until the window passes');

    // Light calls are a different group and go on.
    await expect(client.getExtension('~')).resolves.toMatchObject({ extensionNumber: '101' });
    const stats = await sandboxStats(rc.baseUrl);
    expect(stats.byRoute[NUMBERS_V1]! + stats.byRoute[NUMBERS_V2]!).toBe(2);
    expect(stats.byRoute[EXTENSION]).toBe(1);
  });

  it('after a 429 keeps the whole group quiet for Retry-After instead of restarting the penalty', async () => {
    await injectFaults(rc.baseUrl, { rateLimits: { Heavy: { limit: 0, windowSeconds: 60 } } });
    const client = rc.client();
    const first = (await drain(client.listPhoneNumbersV2()).catch((e: unknown) => e)) as ProviderError;
    // Retry-After (60 s) is beyond what one call waits, so it is not retried either.
    expect(first).toMatchObject({ code: 'RATE_LIMITED', status: 429, providerCode: 'CMN-301', retryAfterMs: 60_000 });

    for (const call of [() => drain(client.listPhoneNumbersV2()), () => drain(client.listAccountPhoneNumbers())]) {
      await expect(call()).rejects.toMatchObject({ code: 'RATE_LIMITED', status: undefined });
    }
    expect((await sandboxStats(rc.baseUrl)).byRoute).toMatchObject({ [NUMBERS_V2]: 1 });
    expect((await sandboxStats(rc.baseUrl)).byRoute[NUMBERS_V1]).toBeUndefined();
    await expect(client.getAccount()).resolves.toMatchObject({ id: rc.sandbox.accountId });
  });

  it('waits out a short Retry-After inside the call and then succeeds', async () => {
    await injectFaults(rc.baseUrl, { rules: [{ match: ACCOUNT, error: { status: 429, code: 'CMN-301', retryAfterSeconds: 0.15 }, times: 1 }] });
    const started = Date.now();
    await expect(rc.client().getAccount()).resolves.toMatchObject({ id: rc.sandbox.accountId });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await sandboxStats(rc.baseUrl)).byRoute[ACCOUNT]).toBe(2);
  });

  it('counts every user and group separately: a spent Light window does not stop Medium calls', async () => {
    await injectFaults(rc.baseUrl, { rateLimits: { Light: { limit: 1, windowSeconds: 60 } } });
    const client = rc.client();
    await client.getAccount();
    await expect(client.getExtension('~')).rejects.toMatchObject({ code: 'RATE_LIMITED', status: undefined });
    expect(await drain(client.listExtensions())).toBe(150);
    expect((await sandboxStats(rc.baseUrl)).byRoute).toMatchObject({ [ACCOUNT]: 1, 'GET /restapi/v1.0/account/{accountId}/extension': 1 });
    expect((await sandboxStats(rc.baseUrl)).byRoute[EXTENSION]).toBeUndefined();
  });
});

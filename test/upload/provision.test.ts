import { beforeEach, expect, it } from '@jest/globals';
import { ProviderError, type ProviderErrorCode } from '../../src/providers/core/errors.js';
import type { DnisPool, DnisPoolInput, TnManagerSearchCriteria } from '../../src/providers/ringcx/index.js';
import type { Store } from '../../src/store/index.js';
import { provision, type ProvisionApi, type ProvisionTuning } from '../../src/upload/provision.js';
import { describeEachEngine } from './engines.js';

/**
 * A RingCX DNIS pool that behaves like the contract says `POST dnisPool`
 * does (all or nothing: 400 for one refused entry, 409 for one existing), and
 * records every call with the DNIS it carried.
 */
class FakePool implements ProvisionApi {
  readonly pool = new Map<string, DnisPool>();
  readonly calls: string[] = [];
  /** DNIS RingCX refuses (400) although our validation accepted them. */
  readonly refused = new Set<string>();
  /** Runs before each POST is handled: a place for someone else's change, or a failure. */
  beforeCreate: (records: DnisPoolInput[]) => void = () => {};

  async createDnisPool(records: DnisPoolInput[]): Promise<DnisPool[]> {
    this.calls.push(`POST ${range(records.map((r) => r.dnis))}`);
    this.beforeCreate(records);
    const refused = records.filter((r) => this.refused.has(r.dnis));
    if (refused.length > 0) throw failure('BAD_REQUEST', `The request failed validation (${refused.map((r) => r.dnis).join(', ')} is not a valid phone number)`);
    const existing = records.filter((r) => this.pool.has(r.dnis));
    if (existing.length > 0) throw failure('CONFLICT', `DNIS already exists: Already in the DNIS pool: ${existing.map((r) => r.dnis).join(', ')}`);
    return records.map((r) => this.add(r));
  }

  async searchDnisPoolPage(criteria: TnManagerSearchCriteria): Promise<{ records: DnisPool[] }> {
    this.calls.push(`SEARCH ${range(criteria.dnis ?? [])}`);
    return { records: (criteria.dnis ?? []).flatMap((d) => this.pool.get(d) ?? []) };
  }

  add(record: DnisPoolInput): DnisPool {
    const { assignedDnis: _assigned, ...fields } = record;
    const stored: DnisPool = { ...fields, dnisE164: `+${record.dnis}`, lastModifiedBy: 'api' };
    this.pool.set(record.dnis, stored);
    return stored;
  }
}

function failure(code: ProviderErrorCode, message: string, extra: { retryAfterMs?: number } = {}): ProviderError {
  return new ProviderError({ provider: 'ringcx', code, message, ...extra });
}

/** `a..b (n)` for a list of DNIS: enough to tell the batches apart. */
function range(dnis: string[]): string {
  return dnis.length === 1 ? dnis[0]! : `${dnis[0]}..${dnis.at(-1)} (${dnis.length})`;
}

const ACCOUNT = '15300001';
const dnisOf = (i: number) => `1720400${String(i).padStart(4, '0')}`;

describeEachEngine('provision', (engine) => {
  let store: Store;
  let ringcx: FakePool;
  let slept: number[];
  const UPLOAD = 'upload-1';

  /** An upload whose rows 2..n+1 are valid and new (PENDING), plus an INVALID row the second phase must not touch. */
  const pending = async (count: number) => {
    await store.uploads.begin({ id: UPLOAD, idempotencyKey: null, dryRun: false, actor: 'tester' });
    await store.uploads.appendRows(UPLOAD, [
      ...Array.from({ length: count }, (_, i) => ({
        line: i + 2,
        phoneNumber: `+${dnisOf(i + 1)}`,
        status: 'PENDING' as const,
        message: null,
        payload: { dnis: dnisOf(i + 1), reservedAccountId: ACCOUNT },
      })),
      { line: count + 2, phoneNumber: null, status: 'INVALID' as const, message: 'phoneNumber is required.' },
    ]);
  };
  const run = (tuning: Partial<ProvisionTuning> = {}) =>
    provision({
      uploadId: UPLOAD,
      actor: 'tester',
      uploads: store.uploads,
      ringcx,
      tuning: { sleep: async (ms) => void slept.push(ms), ...tuning },
    });
  const report = async () => (await store.uploads.reportPage(UPLOAD, { afterLine: 0, limit: 5000 })).rows;
  const statuses = async () => (await report()).map((r) => `${r.line} ${r.status}`);
  const audited = async () =>
    (await store.db.selectFrom('audit').select('phone_number').where('subject', '=', UPLOAD).where('operation', '=', 'uploadPhoneNumbers').orderBy('id').execute()).map(
      (r) => r.phone_number,
    );

  beforeEach(async () => {
    store = await engine.fresh();
    ringcx = new FakePool();
    slept = [];
  });

  it('sends the pending rows in file order, 500 to a POST, and records an audit entry per number', async () => {
    await pending(1200);
    await run();
    expect(ringcx.calls).toEqual([
      `POST ${dnisOf(1)}..${dnisOf(500)} (500)`,
      `POST ${dnisOf(501)}..${dnisOf(1000)} (500)`,
      `POST ${dnisOf(1001)}..${dnisOf(1200)} (200)`,
    ]);
    expect(await store.uploads.countTotals(UPLOAD)).toEqual({ rows: 1201, created: 1200, exists: 0, duplicate: 0, invalid: 1, failed: 0 });
    expect(await audited()).toHaveLength(1200);
    expect((await audited())[0]).toBe(`+${dnisOf(1)}`);
    const entry = (await store.audit.forNumber(`+${dnisOf(7)}`, { limit: 5 })).entries[0]!;
    expect(entry).toMatchObject({ actor: 'tester', operation: 'uploadPhoneNumbers', subject: UPLOAD, outcome: 'SUCCEEDED', before: null });
    expect(entry.after).toMatchObject({ dnis: dnisOf(7), reservedAccountId: ACCOUNT, dnisE164: `+${dnisOf(7)}` });
  });

  it('after a 409, re-checks the batch once: rows someone else added are EXISTS, the rest is resent', async () => {
    await pending(3);
    ringcx.beforeCreate = () => {
      if (ringcx.calls.length === 1) ringcx.add({ dnis: dnisOf(2), reservedAccountId: '15300002' });
    };
    await run();
    expect(ringcx.calls).toEqual([`POST ${dnisOf(1)}..${dnisOf(3)} (3)`, `SEARCH ${dnisOf(1)}..${dnisOf(3)} (3)`, `POST ${dnisOf(1)}..${dnisOf(3)} (2)`]);
    expect((await report()).slice(0, 3)).toEqual([
      { line: 2, phoneNumber: `+${dnisOf(1)}`, status: 'CREATED', message: null },
      { line: 3, phoneNumber: `+${dnisOf(2)}`, status: 'EXISTS', message: 'Added to the RingCX DNIS pool by someone else during the upload; left as it is.' },
      { line: 4, phoneNumber: `+${dnisOf(3)}`, status: 'CREATED', message: null },
    ]);
    expect(await audited()).toEqual([`+${dnisOf(1)}`, `+${dnisOf(3)}`]);
  });

  it('fails a batch whose 409 the re-check cannot explain, rather than resending it forever', async () => {
    await pending(2);
    ringcx.beforeCreate = () => {
      throw failure('CONFLICT', 'conflict.exception');
    };
    await run();
    expect(ringcx.calls).toEqual([`POST ${dnisOf(1)}..${dnisOf(2)} (2)`, `SEARCH ${dnisOf(1)}..${dnisOf(2)} (2)`]);
    expect((await report())[0]).toMatchObject({ status: 'FAILED', message: 'RingCX refused it: conflict.exception' });
  });

  it('after a 400, halves the batch until the refused row stands alone; the others are created', async () => {
    await pending(8);
    ringcx.refused.add(dnisOf(6));
    await run();
    expect(ringcx.calls).toEqual([
      `POST ${dnisOf(1)}..${dnisOf(8)} (8)`,
      `POST ${dnisOf(1)}..${dnisOf(4)} (4)`,
      `POST ${dnisOf(5)}..${dnisOf(8)} (4)`,
      `POST ${dnisOf(5)}..${dnisOf(6)} (2)`,
      `POST ${dnisOf(5)}`,
      `POST ${dnisOf(6)}`,
      `POST ${dnisOf(7)}..${dnisOf(8)} (2)`,
    ]);
    expect(await statuses()).toEqual(['2 CREATED', '3 CREATED', '4 CREATED', '5 CREATED', '6 CREATED', '7 FAILED', '8 CREATED', '9 CREATED', '10 INVALID']);
    expect((await report())[5]!.message).toBe(`RingCX refused it: The request failed validation (${dnisOf(6)} is not a valid phone number)`);
  });

  it('stops halving when the budget is spent and fails what is left of the batch', async () => {
    await pending(8);
    ringcx.refused.add(dnisOf(6));
    await run({ splitBudget: 2 });
    expect(ringcx.calls).toEqual([`POST ${dnisOf(1)}..${dnisOf(8)} (8)`, `POST ${dnisOf(1)}..${dnisOf(4)} (4)`, `POST ${dnisOf(5)}..${dnisOf(8)} (4)`]);
    expect((await statuses()).slice(0, 8)).toEqual(['2 CREATED', '3 CREATED', '4 CREATED', '5 CREATED', '6 FAILED', '7 FAILED', '8 FAILED', '9 FAILED']);
    expect((await report())[4]!.message).toMatch(/^RingCX refused the batch of 4 rows this row was sent in: /);
  });

  it('waits out a 429 (Retry-After when given) and resends the same batch', async () => {
    await pending(3);
    let limited = 2;
    ringcx.beforeCreate = () => {
      if (limited-- > 0) throw failure('RATE_LIMITED', 'Too many requests', limited === 1 ? { retryAfterMs: 1500 } : {});
    };
    await run({ rateLimitWaitMs: 7000 });
    expect(slept).toEqual([1500, 7000]);
    expect(ringcx.calls).toHaveLength(3);
    expect((await store.uploads.countTotals(UPLOAD)).created).toBe(3);
  });

  it('gives up on the rate limit past the waiting budget: that batch fails and the rest is not sent', async () => {
    await pending(5);
    ringcx.beforeCreate = () => {
      throw failure('RATE_LIMITED', 'Too many requests');
    };
    await run({ batchSize: 2, rateLimitWaitMs: 4000, maxRateLimitWaitMs: 10_000 });
    expect(slept).toEqual([4000, 4000]);
    expect(ringcx.calls).toHaveLength(3);
    expect((await report()).slice(0, 5).map((r) => r.message)).toEqual([
      "RingCX's rate limit: Too many requests",
      "RingCX's rate limit: Too many requests",
      "Not sent: RingCX's rate limit was still reached after waiting (Too many requests); upload the rest again later.",
      "Not sent: RingCX's rate limit was still reached after waiting (Too many requests); upload the rest again later.",
      "Not sent: RingCX's rate limit was still reached after waiting (Too many requests); upload the rest again later.",
    ]);
  });

  it('after a 5xx, re-checks the batch (it may have been created) and sends no more batches', async () => {
    await pending(5);
    ringcx.beforeCreate = (records) => {
      // RingCX stored the first of them, then failed.
      ringcx.add(records[0]!);
      throw failure('UNAVAILABLE', 'ringcx POST /dnisPool failed with HTTP 503');
    };
    await run({ batchSize: 2 });
    expect(ringcx.calls).toEqual([`POST ${dnisOf(1)}..${dnisOf(2)} (2)`, `SEARCH ${dnisOf(1)}..${dnisOf(2)} (2)`]);
    expect((await report()).slice(0, 5)).toEqual([
      { line: 2, phoneNumber: `+${dnisOf(1)}`, status: 'CREATED', message: 'RingCX answered with an error (ringcx POST /dnisPool failed with HTTP 503), but the number is in the pool.' },
      { line: 3, phoneNumber: `+${dnisOf(2)}`, status: 'FAILED', message: 'RingCX failed: ringcx POST /dnisPool failed with HTTP 503' },
      ...[4, 5, 6].map((line) => ({
        line,
        phoneNumber: `+${dnisOf(line - 1)}`,
        status: 'FAILED',
        message: 'Not sent: RingCX failed an earlier batch (ringcx POST /dnisPool failed with HTTP 503).',
      })),
    ]);
    expect(await audited()).toEqual([`+${dnisOf(1)}`]);
  });

  it('says when the outcome of a timed-out batch cannot be known', async () => {
    await pending(2);
    ringcx.beforeCreate = () => {
      throw failure('TIMEOUT', 'no answer in 10000 ms');
    };
    ringcx.searchDnisPoolPage = async () => {
      throw failure('TIMEOUT', 'no answer in 10000 ms');
    };
    await run();
    expect((await report())[0]!.message).toBe('RingCX failed (no answer in 10000 ms); whether the number was added is unknown, check the pool before uploading it again.');
    expect(await statuses()).toEqual(['2 FAILED', '3 FAILED', '4 INVALID']);
  });

  it('fails the batch and sends no more after an authentication failure', async () => {
    await pending(3);
    ringcx.beforeCreate = () => {
      throw failure('UNAUTHENTICATED', 'Invalid token');
    };
    await run({ batchSize: 1 });
    expect(ringcx.calls).toHaveLength(1);
    expect((await report()).slice(0, 3).map((r) => r.message)).toEqual([
      'RingCX refused it: Invalid token',
      'Not sent: RingCX refused an earlier batch (Invalid token).',
      'Not sent: RingCX refused an earlier batch (Invalid token).',
    ]);
  });
});

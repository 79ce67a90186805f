import { beforeEach, describe, expect, it } from '@jest/globals';
import { AuditLog, Store, UploadStore } from '../../src/store/index.js';
import type { NewUploadRow } from '../../src/store/uploads.js';
import { describeEachEngine } from './engines.js';

const row = (line: number, status: NewUploadRow['status'], phoneNumber: string | null = `+1720500${String(line).padStart(4, '0')}`): NewUploadRow => ({
  line,
  phoneNumber,
  status,
  message: status === 'PENDING' ? null : `${status.toLowerCase()} row`,
  ...(status === 'PENDING' && { payload: { dnis: phoneNumber?.slice(1) } }),
});
const NO_TOTALS = { rows: 0, created: 0, exists: 0, duplicate: 0, invalid: 0, failed: 0 };
const MINUTE = 60_000;

async function count(store: Store, table: 'uploads' | 'upload_rows' | 'audit'): Promise<number> {
  const { n } = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The store's uploads as seen by a server whose clock reads `at`. */
const at = (store: Store, time: Date, staleAfterMs?: number) => new UploadStore(store.db, store.engine, { now: () => time, ...(staleAfterMs && { staleAfterMs }) });

describeEachEngine('UploadStore', (engine) => {
  let store: Store;
  const begin = (id: string, idempotencyKey: string | null = null, uploads = store.uploads) => uploads.begin({ id, idempotencyKey, dryRun: false, actor: 'tester' });

  beforeEach(async () => {
    store = await engine.fresh();
  });

  it('lets one upload hold a key: a second one meets the first, running or done', async () => {
    expect(await begin('a', 'key')).toEqual({ kind: 'started' });
    expect(await begin('b', 'key')).toEqual({ kind: 'conflict', upload: expect.objectContaining({ id: 'a', status: 'running', requestHash: null }) });
    expect(await store.uploads.finish('a', { totals: NO_TOTALS, requestHash: 'h1' })).toBe(true);
    expect(await begin('c', 'key')).toEqual({ kind: 'conflict', upload: expect.objectContaining({ id: 'a', status: 'done', requestHash: 'h1', dryRun: false, totals: NO_TOTALS }) });
    expect(await store.uploads.get('b')).toBeUndefined();
  });

  it('never conflicts uploads without a key', async () => {
    expect([await begin('a'), await begin('b')]).toEqual([{ kind: 'started' }, { kind: 'started' }]);
  });

  it('frees the key of a failed upload: the retry replaces it, rows and all', async () => {
    await begin('a', 'key');
    await store.uploads.appendRows('a', [row(2, 'PENDING')]);
    await store.uploads.fail('a', 'boom');
    expect(await store.uploads.get('a')).toMatchObject({ status: 'failed', detail: 'boom' });
    expect(await count(store, 'upload_rows')).toBe(0);
    expect(await begin('b', 'key')).toEqual({ kind: 'started' });
    expect(await store.uploads.get('a')).toBeUndefined();
    expect(await store.uploads.byKey('key')).toMatchObject({ id: 'b', status: 'running' });
  });

  it('gives a key to exactly one of two stores on one database claiming it at once', async () => {
    const other = await engine.reopen();
    for (let round = 0; round < 20; round += 1) {
      const key = `race-${round}`;
      // Every other round, the key is held by a failed upload both claims try to replace.
      if (round % 2 === 1) {
        await begin(`failed-${round}`, key);
        await store.uploads.fail(`failed-${round}`, 'boom');
      }
      const results = await Promise.all([begin(`a-${round}`, key), begin(`b-${round}`, key, other.uploads), begin(`c-${round}`, key, other.uploads)]);
      const started = results.flatMap((r, i) => (r.kind === 'started' ? [`${'abc'[i]}-${round}`] : []));
      expect(started).toHaveLength(1);
      for (const result of results) if (result.kind === 'conflict') expect(result.upload).toMatchObject({ id: started[0], status: 'running' });
      expect(await store.uploads.byKey(key)).toMatchObject({ id: started[0], status: 'running' });
    }
    expect(await count(store, 'uploads')).toBe(20);
  });

  it('fails an upload left running without a refresh for 10 minutes when its key is asked for again, freeing the key', async () => {
    const start = new Date();
    await begin('a', 'key', at(store, start));
    await store.uploads.appendRows('a', [row(2, 'PENDING'), row(3, 'INVALID')]);
    // Refreshed after 5 minutes: 9 minutes later it is still running somewhere.
    expect(await at(store, new Date(start.getTime() + 5 * MINUTE)).touch('a')).toBe(true);
    expect(await begin('b', 'key', at(store, new Date(start.getTime() + 14 * MINUTE)))).toEqual({ kind: 'conflict', upload: expect.objectContaining({ id: 'a', status: 'running' }) });

    const later = at(store, new Date(start.getTime() + 16 * MINUTE));
    expect(await begin('c', 'key', later)).toEqual({ kind: 'started' });
    expect(await store.uploads.get('a')).toBeUndefined();
    expect(await store.uploads.countTotals('a')).toEqual(NO_TOTALS);
    // The server that ran it, back from its pause, finds it gone and keeps no result.
    expect(await later.touch('a')).toBe(false);
    expect(await later.finish('a', { totals: NO_TOTALS, requestHash: 'h' })).toBe(false);
  });

  it('keeps a running upload refreshed until stopped', async () => {
    let clock = Date.now();
    const uploads = new UploadStore(store.db, store.engine, { now: () => new Date((clock += 1000)), staleAfterMs: 100 });
    await begin('a', 'key', uploads);
    const started = (await store.uploads.get('a'))!.updatedAt;
    const alive = uploads.keepAlive('a');
    try {
      await waitFor(async () => (await store.uploads.get('a'))!.updatedAt > started);
    } finally {
      alive.stop();
    }
  });

  if (engine.name === 'SQLite') {
    it('fails, at the next start, every upload a stopped server left running (an SQLite file has one server)', async () => {
      await begin('a', 'key');
      await store.uploads.appendRows('a', [row(2, 'PENDING'), row(3, 'INVALID')]);
      await engine.close(store);

      const second = await engine.reopen();
      expect(await second.uploads.get('a')).toMatchObject({ status: 'failed', detail: 'the server stopped while this upload was running' });
      expect((await second.uploads.countTotals('a')).rows).toBe(0);
      expect(await begin('b', 'key', second.uploads)).toEqual({ kind: 'started' });
    });
  } else {
    it('leaves, when a replica starts, uploads another replica is running; it fails those abandoned for 10 minutes', async () => {
      const start = new Date();
      await begin('running', 'k1', at(store, start));
      await begin('abandoned', 'k2', at(store, new Date(start.getTime() - 11 * MINUTE)));
      await store.uploads.appendRows('abandoned', [row(2, 'PENDING')]);

      const replica = await engine.reopen();
      expect(await replica.uploads.get('running')).toMatchObject({ status: 'running' });
      expect(await replica.uploads.get('abandoned')).toMatchObject({ status: 'failed', detail: 'the server stopped while this upload was running' });
      expect((await replica.uploads.countTotals('abandoned')).rows).toBe(0);
    });
  }

  describe('rows', () => {
    beforeEach(async () => {
      await begin('u');
      await store.uploads.appendRows('u', [row(2, 'INVALID', '+17205000002'), row(3, 'PENDING', '+17205000002'), row(4, 'DUPLICATE', '+17205000002'), row(5, 'PENDING'), row(7, 'EXISTS')]);
    });

    it('reads back pending rows in file order, in bounded pages, with their payloads', async () => {
      expect(await store.uploads.pendingRows('u', 0, 1)).toEqual([{ line: 3, phoneNumber: '+17205000002', payload: { dnis: '17205000002' } }]);
      expect(await store.uploads.pendingRows('u', 3, 10)).toEqual([{ line: 5, phoneNumber: '+17205000005', payload: { dnis: '17205000005' } }]);
    });

    it('pages the report by line, with or without a status filter, never showing pending rows', async () => {
      expect(await store.uploads.reportPage('u', { afterLine: 0, limit: 2 })).toEqual({
        rows: [
          { line: 2, phoneNumber: '+17205000002', status: 'INVALID', message: 'invalid row' },
          { line: 4, phoneNumber: '+17205000002', status: 'DUPLICATE', message: 'duplicate row' },
        ],
        hasMore: true,
      });
      expect(await store.uploads.reportPage('u', { afterLine: 4, limit: 2 })).toEqual({ rows: [expect.objectContaining({ line: 7 })], hasMore: false });
      expect((await store.uploads.reportPage('u', { afterLine: 0, limit: 5, statuses: ['EXISTS', 'INVALID'] })).rows.map((r) => r.line)).toEqual([2, 7]);
      expect(await store.uploads.countRows('u')).toBe(3);
      expect(await store.uploads.countRows('u', ['DUPLICATE'])).toBe(1);
      expect(await store.uploads.hasRowsBefore('u', 4, ['EXISTS'])).toBe(false);
      expect(await store.uploads.hasRowsBefore('u', 4)).toBe(true);
    });

    it('settles rows and counts the totals from them', async () => {
      await store.uploads.settle('u', [{ line: 3, status: 'CREATED', message: null }]);
      expect(await store.uploads.settleAllPending('u', 'FAILED', 'not sent')).toBe(1);
      expect(await store.uploads.countTotals('u')).toEqual({ rows: 5, created: 1, exists: 1, duplicate: 1, invalid: 1, failed: 1 });
      expect(await store.uploads.pendingRows('u', 0, 10)).toEqual([]);
    });

    it('discards an upload refused as a whole with its rows', async () => {
      await store.uploads.discard('u');
      expect([await count(store, 'uploads'), await count(store, 'upload_rows')]).toEqual([0, 0]);
    });

    it('writes text as it was given: quotes, backslashes, line breaks, non-ASCII, in messages and payloads', async () => {
      const text = 'He said "hi", \\ then\r\nleft — ça va? 📞 \u2028';
      await store.uploads.appendRows('u', [
        { line: 20, phoneNumber: '+17205000020', status: 'INVALID', message: text },
        { line: 21, phoneNumber: '+17205000021', status: 'PENDING', message: null, payload: { dnis: '17205000021', notes: text, active: false } },
      ]);
      expect((await store.uploads.reportPage('u', { afterLine: 19, limit: 1 })).rows).toEqual([{ line: 20, phoneNumber: '+17205000020', status: 'INVALID', message: text }]);
      expect(await store.uploads.pendingRows('u', 20, 1)).toEqual([{ line: 21, phoneNumber: '+17205000021', payload: { dnis: '17205000021', notes: text, active: false } }]);
    });

    it('writes 2,500 rows at once, and settles more rows than one IN list holds', async () => {
      const many = Array.from({ length: 2500 }, (_, i) => row(100 + i, 'PENDING'));
      await store.uploads.appendRows('u', many);
      const pending = await store.uploads.pendingRows('u', 99, 5000);
      expect([pending.length, pending.at(-1)]).toEqual([2500, { line: 2599, phoneNumber: many[2499]!.phoneNumber, payload: many[2499]!.payload }]);
      await store.uploads.settle(
        'u',
        many.map((r) => ({ line: r.line, status: r.line % 2 === 0 ? 'CREATED' : 'EXISTS', message: r.line % 2 === 0 ? null : 'in the pool' })),
      );
      expect(await store.uploads.countTotals('u')).toMatchObject({ rows: 2505, created: 1250, exists: 1251 });
      expect(await store.uploads.reportPage('u', { afterLine: 100, limit: 2 })).toEqual({
        rows: [
          { line: 101, phoneNumber: '+17205000101', status: 'EXISTS', message: 'in the pool' },
          { line: 102, phoneNumber: '+17205000102', status: 'CREATED', message: null },
        ],
        hasMore: true,
      });
    });

    it('commits what a transaction writes, here and in other stores, together or not at all', async () => {
      const settleAndRecord = (fail: boolean) =>
        store.uploads.transaction(async (uploads, db) => {
          await uploads.settle('u', [{ line: 3, status: 'CREATED', message: null }]);
          await new AuditLog(db).write({ actor: 'tester', operation: 'uploadPhoneNumbers', phoneNumber: '+17205000002', subject: 'u', outcome: 'SUCCEEDED' });
          if (fail) throw new Error('boom');
        });
      await expect(settleAndRecord(true)).rejects.toThrow('boom');
      expect([(await store.uploads.countTotals('u')).created, await count(store, 'audit')]).toEqual([0, 0]);
      await settleAndRecord(false);
      expect([(await store.uploads.countTotals('u')).created, await count(store, 'audit')]).toEqual([1, 1]);
    });
  });
});

/** Waits for a condition another task brings about (polled, with a deadline). */
async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

import { beforeEach, expect, it, jest } from '@jest/globals';
import { Readable } from 'node:stream';
import { ProviderError } from '../../src/providers/core/errors.js';
import type { DnisPool, DnisPoolInput, DnisRecord } from '../../src/providers/ringcx/index.js';
import { UploadStore, type Store } from '../../src/store/index.js';
import { runUpload, type UploadRequest, type UploadServices } from '../../src/upload/pipeline.js';
import { describeEachEngine } from './engines.js';

const ACCOUNT = '15300001';

/**
 * The pipeline with the store for real and RingCX faked: what is read and
 * sent, and what is kept, for the paths the HTTP tests cannot reach cheaply.
 */
describeEachEngine('runUpload', (engine) => {
  let store: Store;
  let calls: string[];
  let inventory: () => Promise<DnisRecord[]>;
  let changed: number;

  const services = (limits = { maxBytes: 10_000, maxRows: 100 }): UploadServices => ({
    uploads: store.uploads,
    audit: store.audit,
    limits,
    ringcx: {
      createDnisPool: async (records: DnisPoolInput[]) => {
        calls.push(`POST ${records.length}`);
        return records as DnisPool[];
      },
      searchDnisPoolPage: async () => {
        calls.push('SEARCH');
        return { records: [] };
      },
    },
    accountIds: async () => [ACCOUNT],
    freshInventory: () => {
      calls.push('searchDnis');
      return inventory();
    },
    changed: () => void (changed += 1),
  });
  const request = (overrides: Partial<UploadRequest>): UploadRequest => ({ dryRun: false, actor: 'tester', ...overrides });
  const count = async (table: 'uploads' | 'upload_rows') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const lastAudit = () => store.db.selectFrom('audit').select(['outcome', 'detail']).orderBy('id', 'desc').limit(1).executeTakeFirst();

  beforeEach(async () => {
    store = await engine.fresh();
    calls = [];
    changed = 0;
    inventory = async () => [{ dnis: '12066103211', accountId: ACCOUNT }];
  });

  it('refuses, keeping nothing, when RingCX cannot be read for the existence check', async () => {
    inventory = async () => {
      throw new ProviderError({ provider: 'ringcx', code: 'UNAVAILABLE', message: 'ringcx POST /searchDnis failed with HTTP 503' });
    };
    const outcome = await runUpload(request({ csv: `phoneNumber,accountId\n7206000001,${ACCOUNT}\n`, idempotencyKey: 'k' }), services());
    expect(outcome).toEqual({
      kind: 'refused',
      errors: [{ field: ['input'], code: 'PROVIDER_FAILED', message: 'RingCX could not be read, so nothing was checked or changed: ringcx POST /searchDnis failed with HTTP 503' }],
    });
    expect(calls).toEqual(['searchDnis']);
    expect([await count('uploads'), await count('upload_rows')]).toEqual([0, 0]);
    expect(await lastAudit()).toEqual({ outcome: 'FAILED', detail: expect.stringContaining('PROVIDER_FAILED') });
    // The key was not spent.
    inventory = async () => [];
    expect(await runUpload(request({ csv: `phoneNumber,accountId\n7206000001,${ACCOUNT}\n`, idempotencyKey: 'k' }), services())).toMatchObject({ kind: 'report' });
  });

  it('fails the upload on an unexpected error, frees its key, and lets the error through', async () => {
    inventory = async () => {
      throw new TypeError('a bug');
    };
    await expect(runUpload(request({ csv: `phoneNumber,accountId\n7206000001,${ACCOUNT}\n`, idempotencyKey: 'k' }), services())).rejects.toThrow('a bug');
    expect(await store.uploads.byKey('k')).toMatchObject({ status: 'failed', detail: 'a bug' });
    expect(await count('upload_rows')).toBe(0);
    inventory = async () => [];
    expect(await runUpload(request({ csv: `phoneNumber,accountId\n7206000001,${ACCOUNT}\n`, idempotencyKey: 'k' }), services())).toMatchObject({
      kind: 'report',
      upload: { replayed: false, totals: { created: 1 } },
    });
  });

  it('keeps no result of an upload another server took for abandoned while it ran, and ends it with an error', async () => {
    // Meanwhile, another server whose clock reads 11 minutes later finds the upload stale and takes its key.
    const later = new UploadStore(store.db, store.engine, { now: () => new Date(Date.now() + 11 * 60_000) });
    inventory = async () => {
      expect(await later.begin({ id: 'other', idempotencyKey: 'k', dryRun: true, actor: 'someone' })).toEqual({ kind: 'started' });
      return [];
    };
    await expect(runUpload(request({ csv: `phoneNumber,accountId\n7206000001,${ACCOUNT}\n`, idempotencyKey: 'k', dryRun: true }), services())).rejects.toThrow(/was failed as abandoned while it ran/);
    expect(await store.uploads.byKey('k')).toMatchObject({ id: 'other', status: 'running' });
    expect([await count('uploads'), await count('upload_rows')]).toEqual([1, 0]);
    expect(await lastAudit()).toEqual({ outcome: 'FAILED', detail: expect.stringContaining('was failed as abandoned') });
  });

  it('answers a retry from the store, reading the file only to compare it', async () => {
    const csv = `phoneNumber,accountId\n7206000001,${ACCOUNT}\n+12066103211,${ACCOUNT}\n`;
    const first = await runUpload(request({ csv, idempotencyKey: 'k' }), services());
    expect(first).toMatchObject({ kind: 'report', upload: { replayed: false, totals: { rows: 2, created: 1, exists: 1 } } });
    expect(calls).toEqual(['searchDnis', 'POST 1']);
    expect(changed).toBe(1);

    let opened = 0;
    const file = Promise.resolve({
      createReadStream: () => {
        opened += 1;
        return Readable.from([Buffer.from(csv.slice(0, 10)), Buffer.from(csv.slice(10))]);
      },
    });
    const retry = await runUpload(request({ file, idempotencyKey: 'k' }), services());
    expect(retry).toEqual({ kind: 'report', upload: { ...(first as { upload: object }).upload, replayed: true } });
    expect(opened).toBe(1);
    expect(calls).toEqual(['searchDnis', 'POST 1']);
    expect(changed).toBe(1);
  });

  it('refuses a retry whose file is over the byte limit as too large', async () => {
    const csv = `phoneNumber,accountId\n7206000001,${ACCOUNT}\n`;
    await runUpload(request({ csv, idempotencyKey: 'k' }), services());
    const outcome = await runUpload(request({ csv: csv + 'x'.repeat(10_000), idempotencyKey: 'k' }), services());
    expect(outcome).toEqual({
      kind: 'refused',
      errors: [{ field: ['input', 'csv'], code: 'UPLOAD_TOO_LARGE', message: 'The CSV is larger than the limit of 10,000 bytes; split it into smaller files.' }],
    });
  });

  it('refuses a multipart file whose part never arrived as missing', async () => {
    const missing = Promise.reject(Object.assign(new Error('File missing in the request.'), { status: 400 }));
    missing.catch(() => {});
    expect(await runUpload(request({ file: missing }), services())).toEqual({
      kind: 'refused',
      errors: [{ field: ['input', 'file'], code: 'UPLOAD_REQUIRED', message: 'The file could not be read from the multipart request: File missing in the request.' }],
    });
    expect(await count('uploads')).toBe(0);
  });

  it('finds duplicates across batches and within one as it reads, writing each batch with one insert and asking the store nothing', async () => {
    const lines = Array.from({ length: 749 }, (_, i) => `+1720600${String(i).padStart(4, '0')},${ACCOUNT}`);
    // The second batch (lines 502 to 753) repeats line 2 of the first batch twice, and its own line 603 once.
    const csv = `phoneNumber,accountId\n${lines.slice(0, 500).join('\n')}\n${lines[0]}\n${lines.slice(500).join('\n')}\n${lines[600]}\n${lines[0]}\n`;
    const writes = jest.spyOn(store.uploads, 'appendRows');
    const settles = jest.spyOn(store.uploads, 'settle');
    const outcome = await runUpload(request({ csv, dryRun: true }), services({ maxBytes: 1_000_000, maxRows: 10_000 }));
    expect(outcome).toMatchObject({ kind: 'report', upload: { totals: { rows: 752, created: 749, duplicate: 3 } } });
    const duplicates = [
      { line: 502, phoneNumber: '+17206000000', status: 'DUPLICATE', message: 'Same number as line 2; this row is ignored.' },
      { line: 752, phoneNumber: '+17206000600', status: 'DUPLICATE', message: 'Same number as line 603; this row is ignored.' },
      { line: 753, phoneNumber: '+17206000000', status: 'DUPLICATE', message: 'Same number as line 2; this row is ignored.' },
    ];
    const { rows } = await store.uploads.reportPage((outcome as { upload: { id: string } }).upload.id, { afterLine: 0, limit: 5, statuses: ['DUPLICATE'] });
    expect(rows).toEqual(duplicates);
    // Two inserts, the duplicates already marked in the second; no number of the pool is in the file, so nothing is settled after.
    expect(writes.mock.calls.map(([, batch]) => batch.length)).toEqual([500, 252]);
    expect(writes.mock.calls[1]![1].filter((row) => row.status === 'DUPLICATE')).toEqual(duplicates);
    expect(settles).not.toHaveBeenCalled();
    expect(calls).toEqual(['searchDnis']);
    expect(changed).toBe(0);
  });

  it('reports a number already in the pool EXISTS at its first row and DUPLICATE at the others, in a dry run as in a real one, settling EXISTS rows in one batch', async () => {
    const csv = `phoneNumber,accountId\n+12066103211,${ACCOUNT}\n7206000001,${ACCOUNT}\n(206) 610-3211,${ACCOUNT}\n7206000001,${ACCOUNT}\n`;
    const expected = (created: string | null) => [
      { line: 2, phoneNumber: '+12066103211', status: 'EXISTS', message: `Already in the RingCX DNIS pool (account ${ACCOUNT}); left as it is.` },
      { line: 3, phoneNumber: '+17206000001', status: 'CREATED', message: created },
      { line: 4, phoneNumber: '+12066103211', status: 'DUPLICATE', message: 'Same number as line 2; this row is ignored.' },
      { line: 5, phoneNumber: '+17206000001', status: 'DUPLICATE', message: 'Same number as line 3; this row is ignored.' },
    ];
    const settles = jest.spyOn(store.uploads, 'settle');
    for (const dryRun of [true, false]) {
      settles.mockClear();
      const outcome = await runUpload(request({ csv, dryRun }), services());
      expect(settles.mock.calls[0]![1]).toEqual([{ line: 2, status: 'EXISTS', message: `Already in the RingCX DNIS pool (account ${ACCOUNT}); left as it is.` }]);
      expect(outcome).toMatchObject({ kind: 'report', upload: { dryRun, totals: { rows: 4, created: 1, exists: 1, duplicate: 2 } } });
      const { rows } = await store.uploads.reportPage((outcome as { upload: { id: string } }).upload.id, { afterLine: 0, limit: 10 });
      expect(rows).toEqual(expected(dryRun ? 'Would be added to the RingCX DNIS pool (dry run: nothing was changed).' : null));
    }
    expect(calls).toEqual(['searchDnis', 'searchDnis', 'POST 1']);
  });
});

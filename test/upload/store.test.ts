import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/index.js';
import type { NewUploadRow } from '../../src/store/uploads.js';

const row = (line: number, status: NewUploadRow['status'], phoneNumber: string | null = `+1720500${String(line).padStart(4, '0')}`): NewUploadRow => ({
  line,
  phoneNumber,
  status,
  message: status === 'PENDING' ? null : `${status.toLowerCase()} row`,
  ...(status === 'PENDING' && { payload: { dnis: phoneNumber?.slice(1) } }),
});

describe('UploadStore', () => {
  let store: Store;
  const begin = (id: string, idempotencyKey: string | null = null) => store.uploads.begin({ id, idempotencyKey, dryRun: false, actor: 'tester' });
  const count = (table: string) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  beforeEach(() => {
    store = Store.open(':memory:');
  });
  afterEach(() => store.close());

  describe('idempotency keys', () => {
    it('lets one upload hold a key: a second one meets the first, running or done', () => {
      expect(begin('a', 'key')).toEqual({ kind: 'started' });
      expect(begin('b', 'key')).toEqual({ kind: 'conflict', upload: expect.objectContaining({ id: 'a', status: 'running', requestHash: null }) });
      store.uploads.finish('a', { totals: { rows: 0, created: 0, exists: 0, duplicate: 0, invalid: 0, failed: 0 }, requestHash: 'h1' });
      expect(begin('c', 'key')).toEqual({ kind: 'conflict', upload: expect.objectContaining({ id: 'a', status: 'done', requestHash: 'h1' }) });
      expect(store.uploads.get('b')).toBeUndefined();
    });

    it('never conflicts uploads without a key', () => {
      expect([begin('a'), begin('b')]).toEqual([{ kind: 'started' }, { kind: 'started' }]);
    });

    it('frees the key of a failed upload: the retry replaces it, rows and all', () => {
      begin('a', 'key');
      store.uploads.appendRows('a', [row(2, 'PENDING')]);
      store.uploads.fail('a', 'boom');
      expect(store.uploads.get('a')).toMatchObject({ status: 'failed', detail: 'boom' });
      expect(count('upload_rows')).toBe(0);
      expect(begin('b', 'key')).toEqual({ kind: 'started' });
      expect(store.uploads.get('a')).toBeUndefined();
      expect(store.uploads.byKey('key')).toMatchObject({ id: 'b', status: 'running' });
    });

    it('fails, at the next start, uploads a stopped server left running, so their keys can be retried', () => {
      const dir = mkdtempSync(join(tmpdir(), 'switchboard-uploads-'));
      try {
        const path = join(dir, 'store.db');
        const first = Store.open(path);
        first.uploads.begin({ id: 'a', idempotencyKey: 'key', dryRun: false, actor: 'tester' });
        first.uploads.appendRows('a', [row(2, 'PENDING'), row(3, 'INVALID')]);
        first.close();

        const second = Store.open(path);
        expect(second.uploads.get('a')).toMatchObject({ status: 'failed', detail: 'the server stopped while this upload was running' });
        expect(second.uploads.countTotals('a').rows).toBe(0);
        expect(second.uploads.begin({ id: 'b', idempotencyKey: 'key', dryRun: false, actor: 'tester' })).toEqual({ kind: 'started' });
        second.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('rows', () => {
    beforeEach(() => {
      begin('u');
      store.uploads.appendRows('u', [row(2, 'INVALID', '+17205000002'), row(3, 'PENDING', '+17205000002'), row(4, 'DUPLICATE', '+17205000002'), row(5, 'PENDING'), row(7, 'EXISTS')]);
    });

    it('finds the earlier row a duplicate repeats: the first still to be sent, not an invalid one', () => {
      expect(store.uploads.firstPendingLine('u', '+17205000002')).toBe(3);
      expect(store.uploads.firstPendingLine('u', '+17205009999')).toBeUndefined();
      begin('other');
      expect(store.uploads.firstPendingLine('other', '+17205000002')).toBeUndefined();
    });

    it('reads back pending rows in file order, in bounded pages, with their payloads', () => {
      expect(store.uploads.pendingRows('u', 0, 1)).toEqual([{ line: 3, phoneNumber: '+17205000002', payload: { dnis: '17205000002' } }]);
      expect(store.uploads.pendingRows('u', 3, 10)).toEqual([{ line: 5, phoneNumber: '+17205000005', payload: { dnis: '17205000005' } }]);
      expect(store.uploads.pendingNumbers('u', 0, 10)).toEqual([
        { line: 3, phoneNumber: '+17205000002' },
        { line: 5, phoneNumber: '+17205000005' },
      ]);
    });

    it('pages the report by line, with or without a status filter, never showing pending rows', () => {
      expect(store.uploads.reportPage('u', { afterLine: 0, limit: 2 })).toEqual({
        rows: [
          { line: 2, phoneNumber: '+17205000002', status: 'INVALID', message: 'invalid row' },
          { line: 4, phoneNumber: '+17205000002', status: 'DUPLICATE', message: 'duplicate row' },
        ],
        hasMore: true,
      });
      expect(store.uploads.reportPage('u', { afterLine: 4, limit: 2 })).toEqual({ rows: [expect.objectContaining({ line: 7 })], hasMore: false });
      expect(store.uploads.reportPage('u', { afterLine: 0, limit: 5, statuses: ['EXISTS', 'INVALID'] }).rows.map((r) => r.line)).toEqual([2, 7]);
      expect(store.uploads.countRows('u')).toBe(3);
      expect(store.uploads.countRows('u', ['DUPLICATE'])).toBe(1);
      expect(store.uploads.hasRowsBefore('u', 4, ['EXISTS'])).toBe(false);
      expect(store.uploads.hasRowsBefore('u', 4)).toBe(true);
    });

    it('settles rows and counts the totals from them', () => {
      store.uploads.settle('u', [{ line: 3, status: 'CREATED', message: null }]);
      expect(store.uploads.settleAllPending('u', 'FAILED', 'not sent')).toBe(1);
      expect(store.uploads.countTotals('u')).toEqual({ rows: 5, created: 1, exists: 1, duplicate: 1, invalid: 1, failed: 1 });
      expect(store.uploads.pendingRows('u', 0, 10)).toEqual([]);
    });

    it('discards an upload refused as a whole with its rows', () => {
      store.uploads.discard('u');
      expect([count('uploads'), count('upload_rows')]).toEqual([0, 0]);
    });
  });
});

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase, type OpenDatabase } from '../../src/store/database.js';
import { AuditLog, ChangeInProgressError, Journal } from '../../src/store/index.js';
import { freshDatabase, postgresAvailable } from '../support/postgres.js';

const ENGINES = ['sqlite', ...(postgresAvailable('store tests on PostgreSQL') ? ['postgres'] : [])] as const;

/**
 * The journal as several replicas share it: the change lock, and leases that
 * let recovery take only the intents of a replica that died. Run on SQLite
 * and on PostgreSQL, through the same code.
 */
describe.each(ENGINES)('journal on %s', (engine) => {
  let database: OpenDatabase;
  let cleanup: () => Promise<void>;
  let clock = new Date('2026-12-01T10:00:00Z');
  const replica = (owner: string) => new Journal(database.db, { owner, leaseMs: 30_000, now: () => clock });
  const plan = { location: { e164: '+12065550100' }, from: null, to: null };

  beforeAll(async () => {
    if (engine === 'postgres') {
      const fresh = await freshDatabase();
      database = await openDatabase(fresh.url);
      cleanup = async () => {
        await database.db.destroy();
        await fresh.drop();
      };
    } else {
      database = await openDatabase(':memory:');
      cleanup = () => database.db.destroy();
    }
  });
  afterAll(async () => cleanup?.());

  it('lets one change per number be open, whichever replica asks', async () => {
    const [a, b] = [replica('a'), replica('b')];
    const first = await a.begin({ phoneNumber: '+12065550101', provider: 'ringcx', operation: 'test', actor: 'x', plan, step: 'locked' });
    await expect(b.begin({ phoneNumber: '+12065550101', provider: 'ringcx', operation: 'test', actor: 'y', plan, step: 'locked' })).rejects.toBeInstanceOf(ChangeInProgressError);
    await a.close(first.id, 'done');
    await expect(b.begin({ phoneNumber: '+12065550101', provider: 'ringcx', operation: 'test', actor: 'y', plan, step: 'locked' })).resolves.toMatchObject({ status: 'open' });
  });

  it('lets exactly one of many concurrent begins win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => replica(`r${i}`).begin({ phoneNumber: '+12065550102', provider: 'ringcx', operation: 'test', actor: 'x', plan, step: 'locked' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect(r.reason).toBeInstanceOf(ChangeInProgressError);
  });

  it('lets recovery take an intent only once its owner stopped renewing the lease', async () => {
    const [a, b] = [replica('a'), replica('b')];
    const intent = await a.begin({ phoneNumber: '+12065550103', provider: 'ringcx', operation: 'test', actor: 'x', plan, step: 'locked' });
    expect(await b.claim(intent.id)).toBe(false);

    clock = new Date(clock.getTime() + 20_000);
    await a.renew([intent.id]);
    clock = new Date(clock.getTime() + 20_000);
    // 40 s after begin, but renewed 20 s ago: still a's.
    expect(await b.claim(intent.id)).toBe(false);
    await a.step(intent.id, 'verified');

    clock = new Date(clock.getTime() + 31_000);
    // a died: no renewal for 31 s. b takes it, and then a cannot renew it back.
    expect(await b.claim(intent.id)).toBe(true);
    expect(await replica('c').claim(intent.id)).toBe(false);
    await a.renew([intent.id]);
    expect(await replica('c').claim(intent.id)).toBe(false);
    await b.close(intent.id, 'done', 'recovered');
    expect(await b.claim(intent.id)).toBe(false);
    expect(await a.get(intent.id)).toMatchObject({ status: 'done', step: 'verified', detail: 'recovered' });
  });

  it('lets a single-process journal take every open intent at once', async () => {
    const intent = await replica('old-life').begin({ phoneNumber: '+12065550104', provider: 'ringcx', operation: 'test', actor: 'x', plan, step: 'locked' });
    expect(await replica('new-life').claim(intent.id)).toBe(false);
    expect(await replica('new-life').claim(intent.id, true)).toBe(true);
  });

  it('keeps the history with numeric ids, newest first, paged', async () => {
    const audit = new AuditLog(database.db, () => clock);
    for (const outcome of ['REJECTED', 'SUCCEEDED', 'FAILED'] as const) await audit.write({ actor: 'x', operation: 'test', phoneNumber: '+12065550105', outcome, changeId: 'c1' });
    const { entries, total } = await audit.forNumber('+12065550105', { limit: 2 });
    expect(total).toBe(3);
    expect(entries.map((e) => e.outcome)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(typeof entries[0]!.id).toBe('number');
    const next = await audit.forNumber('+12065550105', { limit: 2, beforeId: entries[1]!.id });
    expect(next.entries.map((e) => [e.outcome, e.changeId])).toEqual([['REJECTED', 'c1']]);
  });
  it('pages the history across numbers, filtered, with a count of what matches', async () => {
    const audit = new AuditLog(database.db, () => clock);
    await audit.writeMany([
      { actor: 'ana', operation: 'assignPhoneNumber', provider: 'zendesk', phoneNumber: '+12065550106', outcome: 'SUCCEEDED' },
      { actor: 'bo', operation: 'assignPhoneNumber', provider: 'zendesk', phoneNumber: '+12065550107', outcome: 'REJECTED' },
      { actor: 'ana', operation: 'unassignPhoneNumber', provider: 'zendesk', phoneNumber: '+12065550108', outcome: 'SUCCEEDED' },
    ]);
    const filter = { provider: 'zendesk', actor: 'ana' };
    const first = await audit.recent({ limit: 1, filter });
    expect([first.total, first.entries.map((e) => e.operation)]).toEqual([2, ['unassignPhoneNumber']]);
    const next = await audit.recent({ limit: 5, beforeId: first.entries[0]!.id, filter });
    expect(next.entries.map((e) => [e.operation, e.phoneNumber, e.provider])).toEqual([['assignPhoneNumber', '+12065550106', 'zendesk']]);
    expect((await audit.recent({ limit: 5, filter: { provider: 'zendesk', since: new Date(clock.getTime() + 1).toISOString() } })).total).toBe(0);
  });
});

describe('an SQLite file from before the migrator', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-store-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is taken over as it is: its open intent stays open and gains a lease', async () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    // The tables as the hand-written SQL of the first wave made them (user_version 3: no change_id yet).
    old.exec(`
      CREATE TABLE intents (id TEXT PRIMARY KEY, phone_number TEXT NOT NULL, provider TEXT NOT NULL, operation TEXT NOT NULL, actor TEXT NOT NULL, plan TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'done', 'rolled_back', 'failed', 'abandoned')), step TEXT NOT NULL, detail TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE UNIQUE INDEX intents_one_open_per_number ON intents (phone_number) WHERE status = 'open';
      CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, operation TEXT NOT NULL, phone_number TEXT, subject TEXT, before TEXT, after TEXT, outcome TEXT NOT NULL, detail TEXT);
      INSERT INTO intents VALUES ('i1', '+12065550199', 'ringcx', 'reassignPhoneNumber', 'x', '{}', 'open', 'removed', NULL, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');
      INSERT INTO audit (at, actor, operation, outcome) VALUES ('2026-11-01T00:00:00Z', 'x', 'reassignPhoneNumber', 'SUCCEEDED');
      PRAGMA user_version = 3;
    `);
    old.close();

    const { db } = await openDatabase(path);
    try {
      const journal = new Journal(db, { owner: 'new', leaseMs: 30_000 });
      expect((await journal.open()).map((i) => [i.id, i.step])).toEqual([['i1', 'removed']]);
      expect(await journal.claim('i1', true)).toBe(true);
      await new AuditLog(db).write({ actor: 'y', operation: 'test', phoneNumber: '+12065550199', outcome: 'REJECTED', changeId: 'i1' });
      expect((await new AuditLog(db).forNumber('+12065550199', { limit: 5 })).entries).toEqual([expect.objectContaining({ changeId: 'i1' })]);
    } finally {
      await db.destroy();
    }
  });
});

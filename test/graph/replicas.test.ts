import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { RingCxClient, type DnisRecord } from '../../src/providers/ringcx/index.js';
import { sandboxEnv, type SandboxEndpoints } from '../../sandbox/index.js';
import { freshDatabase, postgresAvailable } from '../support/postgres.js';
import { startProgram, stopAll } from '../support/processes.js';
import { injectFaults, resetSandbox, sandboxStats } from '../support/sandbox.js';

const TNM = '/voice/api/v1/admin/utilities/tnManager/assignedDnis';
const GATE_PUT = `PUT ${TNM}/gates/{gateId}`;
const REASSIGN = 'mutation($input: ReassignPhoneNumberInput!) { reassignPhoneNumber(input: $input) { userErrors { code } change { id status } } }';
const gid = (...parts: string[]) => Buffer.from(parts.join(':')).toString('base64url');

/**
 * Two replicas behind a router, sharing one PostgreSQL: each a real server
 * process, over one standalone sandbox. One of them syncs the inventory and
 * both serve it; when the syncing one dies, the other takes the sync over.
 * Changes to one number from both are serialised by the shared journal, and
 * a replica killed mid-change has its change recovered by the other.
 */
const run = postgresAvailable('two replicas on PostgreSQL') ? describe : describe.skip;
run('two replicas on one PostgreSQL', () => {
  const children: ChildProcess[] = [];
  let endpoints: SandboxEndpoints;
  let database: { url: string; drop(): Promise<void> };
  let ringcx: RingCxClient;
  let env: Record<string, string>;

  const start = (script: string, extra: Record<string, string>, ready: RegExp) => startProgram(children, ['--import', 'tsx', script], extra, ready);
  const replica = async () => {
    const { child, line } = await start('src/index.ts', env, /ready at/);
    return { child, url: /at (http:\/\/\S+)/.exec(line)![1]! };
  };
  const mutate = async (url: string, input: Record<string, unknown>) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: REASSIGN, variables: { input } }) });
    return ((await response.json()) as { data: { reassignPhoneNumber: { userErrors: { code: string }[]; change: { id: string; status: string } | null } } }).data.reassignPhoneNumber;
  };
  const movable = async () => {
    const records = (await ringcx.searchDnis()).records;
    const dnis = records.find((r) => r.assignedDnis?.gate && r.assignedDnis.isActive !== false)!;
    const gates = new Map<string, DnisRecord>();
    for (const r of records) if (r.assignedDnis?.gate && r.accountId === dnis.accountId && r.assignedDnis.gate.gateId !== dnis.assignedDnis!.gate!.gateId) gates.set(r.assignedDnis.gate.gateId, r);
    return { dnis, targets: [...gates.keys()].map((gateId) => ({ gateId, queue: gid('Queue', dnis.accountId!, gateId) })) };
  };

  beforeAll(async () => {
    endpoints = JSON.parse((await start('sandbox/cli.ts', { SANDBOX_SCALE: '0.1' }, /^\{/)).line) as SandboxEndpoints;
    database = await freshDatabase();
    ringcx = new RingCxClient({ baseUrl: endpoints.ringcx.baseUrl, auth: { kind: 'apiToken', token: endpoints.ringcx.apiToken } });
    env = {
      ...sandboxEnv(endpoints),
      PORT: '0',
      AUTH_MODE: 'none',
      CURSOR_SECRET: 'replica-test-cursor-secret',
      DATABASE_URL: database.url,
      // Short, so the test sees a dead replica's lease run out quickly.
      JOURNAL_LEASE_SECONDS: '2',
      RECOVERY_SWEEP_SECONDS: '1',
      SYNC_LEASE_SECONDS: '5',
    };
  }, 30_000);

  afterAll(async () => {
    await stopAll(children);
    await database?.drop();
  });

  it('syncs on one replica only, serves the same index from both, and moves the sync to the survivor when the syncing one dies', async () => {
    await resetSandbox(endpoints.ringcx.baseUrl);
    const [a, b] = await Promise.all([replica(), replica()]);
    const STATE = '{ inventorySync { provider replica lastSuccessAt } phoneNumbers(first: 3) { totalCount nodes { e164 } } }';
    type State = { inventorySync: { provider: string; replica: string; lastSuccessAt: string | null }[]; phoneNumbers: { totalCount: number; nodes: { e164: string }[] } };
    const read = async (url: string) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: STATE }) });
      return ((await response.json()) as { data: State }).data;
    };
    // A first read waits for the first sync (the only read that waits on providers); the state is read after it.
    await Promise.all([read(a.url), read(b.url)]);
    const [fromA, fromB] = [await read(a.url), await read(b.url)];
    // Both answer the same numbers, from the one index.
    expect(fromB.phoneNumbers).toEqual(fromA.phoneNumbers);
    expect(fromA.phoneNumbers.totalCount).toBeGreaterThan(0);
    // Every provider was synced by one and the same replica, once: RingCX's account list was read by one pass only.
    const syncers = new Set(fromA.inventorySync.map((s) => s.replica));
    expect(syncers.size).toBe(1);
    expect((await sandboxStats(endpoints.ringcx.baseUrl)).byRoute['GET /voice/api/v1/admin/accounts']).toBe(1);
    const [leader, survivor] = [...syncers][0]!.includes(`:${a.child.pid}:`) ? [a, b] : [b, a];

    // The syncing replica dies; within its lease (5 s) the survivor takes the sync over, and its next pass is its own.
    const killed = once(leader.child, 'exit');
    leader.child.kill('SIGKILL');
    await killed;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const holder = async () => (await client.query(`SELECT owner FROM leases WHERE name = 'inventory-sync'`)).rows[0]?.owner as string | undefined;
      for (const deadline = Date.now() + 15_000; !(await holder())?.includes(`:${survivor.child.pid}:`); ) {
        if (Date.now() > deadline) throw new Error('the surviving replica did not take the sync over');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await client.end();
    }
    expect((await read(survivor.url)).phoneNumbers).toEqual(fromA.phoneNumbers);
    survivor.child.kill('SIGTERM');
  }, 60_000);

  it('lets exactly one of concurrent changes to one number, sent to both replicas, succeed', async () => {
    await resetSandbox(endpoints.ringcx.baseUrl);
    const [a, b] = await Promise.all([replica(), replica()]);
    const { dnis, targets } = await movable();
    await injectFaults(endpoints.ringcx.baseUrl, { rules: [{ match: `DELETE ${TNM}/{dnis}`, latencyMs: 600 }, { match: GATE_PUT, latencyMs: 300 }] });
    const answers = await Promise.all(targets.slice(0, 8).map((t, i) => mutate(i % 2 ? b.url : a.url, { phoneNumber: dnis.dnis, destination: { queue: t.queue } })));
    const winners = answers.map((p, i) => [p, targets[i]!] as const).filter(([p]) => p.userErrors.length === 0);
    expect(winners).toHaveLength(1);
    for (const p of answers.filter((p) => p.userErrors.length > 0)) expect(p.userErrors.map((e) => e.code)).toEqual([expect.stringMatching(/^(CHANGE_IN_PROGRESS|CURRENT_DESTINATION_MISMATCH)$/)]);
    expect(await ringcx.getAssignedDnis(dnis.dnis)).toMatchObject({ gate: { gateId: winners[0]![1].gateId } });
    await injectFaults(endpoints.ringcx.baseUrl, {});
    for (const r of [a, b]) r.child.kill('SIGTERM');
  }, 60_000);

  it('recovers, on the other replica, a change whose replica was killed mid-move', async () => {
    await resetSandbox(endpoints.ringcx.baseUrl);
    const [a, b] = await Promise.all([replica(), replica()]);
    const { dnis, targets } = await movable();
    const target = targets[0]!;
    // The add step hangs at RingCX: the old assignment is removed, the new one not made.
    await injectFaults(endpoints.ringcx.baseUrl, { rules: [{ match: GATE_PUT, hang: true }] });
    const pending = mutate(a.url, { phoneNumber: dnis.dnis, destination: { queue: target.queue } }).catch((error: unknown) => error);
    while (((await sandboxStats(endpoints.ringcx.baseUrl)).byRoute[GATE_PUT] ?? 0) === 0) await new Promise((resolve) => setImmediate(resolve));
    const killed = once(a.child, 'exit');
    a.child.kill('SIGKILL');
    await killed;
    await pending;
    await injectFaults(endpoints.ringcx.baseUrl, {});
    expect(await ringcx.getAssignedDnis(dnis.dnis)).toBeNull();

    // b's sweep takes the intent once a's lease has run out, and finishes the move.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const openIntents = async () => (await client.query(`SELECT count(*)::int AS n FROM intents WHERE status = 'open'`)).rows[0].n as number;
      const deadline = Date.now() + 20_000;
      while ((await openIntents()) > 0) {
        if (Date.now() > deadline) throw new Error('the open intent was not recovered');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const { rows } = await client.query(`SELECT status, detail FROM intents WHERE phone_number = $1 ORDER BY created_at DESC LIMIT 1`, [`+${dnis.dnis}`]);
      expect(rows).toEqual([{ status: 'done', detail: 'recovered: the interrupted move was finished' }]);
    } finally {
      await client.end();
    }
    expect(await ringcx.getAssignedDnis(dnis.dnis)).toMatchObject({ gate: { gateId: target.gateId } });
    b.child.kill('SIGTERM');
  }, 60_000);
});

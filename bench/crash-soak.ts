/**
 * `npm run soak -- --trials 50 [--seed 1]`: kills the Switchboard server
 * (SIGKILL) at random points of a RingCX reassign saga, restarts it, and
 * checks that recovery leaves no number routing nowhere and no intent open.
 *
 * test/graph/crash.test.ts kills at one chosen point (the add hanging); this
 * kills wherever a seeded random delay lands, so every step of the saga gets
 * hit. The sandbox runs as its own process for the whole run, so RingCX's
 * state outlives each server, and one journal file serves the whole run, so
 * an intent any trial leaves open is still counted at the end.
 *
 * Each trial, on the server the previous trial restarted (it has just run
 * recovery, as a restarted server would before taking traffic):
 * 1. reset the sandbox to its seed and pick a DNIS routed to a queue, and
 *    another queue of its sub-account;
 * 2. a dry run of the move warms the server's caches, so the real run
 *    spends its time in the saga rather than in inventory reads;
 * 3. make RingCX's assignment GET, DELETE and gate PUT slow (50-250 ms
 *    each, drawn per trial), so the saga takes a few hundred ms;
 * 4. send the move and SIGKILL the server after a delay drawn uniformly
 *    over the saga's expected duration (plus a tenth, so some moves finish
 *    first), then read the journal: the step the kill landed on;
 * 5. clear the faults and start a new server (recovery runs before
 *    "ready"), then ask RingCX where the DNIS routes and count open intents.
 * Prints the figures and exits 1 when a check fails.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ids } from '../src/graph/ids.js';
import { RingCxClient, type AssignedDnis } from '../src/providers/ringcx/index.js';
import { Random } from '../sandbox/core/random.js';
import { sandboxEnv, type SandboxEndpoints } from '../sandbox/index.js';
import { injectFaults, resetSandbox } from '../test/support/sandbox.js';

const root = new URL('../', import.meta.url);
const ASSIGNED_DNIS = '/voice/api/v1/admin/utilities/tnManager/assignedDnis';
/**
 * Latency of the saga's provider calls: `get` for the plan read and the
 * compare-and-set read, `remove` for the DELETE, `add` for the gate PUT.
 * Drawn per trial rather than left to a jitter rule: the sandbox restarts
 * its fault PRNG at every configure, so jitter would repeat the same
 * delays in every trial.
 */
interface Latency {
  get: number;
  remove: number;
  add: number;
}

function slow(latency: Latency): { rules: { match: string; latencyMs: number }[] } {
  return {
    rules: [
      { match: `GET ${ASSIGNED_DNIS}/{dnis}`, latencyMs: latency.get },
      { match: `DELETE ${ASSIGNED_DNIS}/{dnis}`, latencyMs: latency.remove },
      { match: `PUT ${ASSIGNED_DNIS}/gates/{gateId}`, latencyMs: latency.add },
    ],
  };
}

/** The injected part of a move's duration: two reads, the remove, the add. */
const injected = (latency: Latency) => 2 * latency.get + latency.remove + latency.add;
/** How long a child may take to print its ready line (start-up compiles TypeScript on a 2-core machine). */
const START_TIMEOUT_MS = 60_000;
/**
 * Where a kill can land, in saga order: before the intent exists, its steps
 * (routing/changes.ts), after it closed. `verified` is listed but never
 * seen: `removing` is written in the same tick. `restoring` needs an add
 * that failed, which latency alone never causes.
 */
const PLACES = ['no intent yet', 'locked', 'verified', 'removing', 'removed', 'restoring', 'intent closed'] as const;
const ACTOR = 'crash-soak';

const { values: args } = parseArgs({ options: { trials: { type: 'string', default: '50' }, seed: { type: 'string', default: '1' } } });
const trials = Number(args.trials);
const seed = Number(args.seed);
if (!Number.isInteger(trials) || trials < 1) throw new Error(`--trials must be a positive integer, got "${args.trials}"`);
if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got "${args.seed}"`);

// --- child processes ------------------------------------------------------------------------------

/** A started program and the tail of its stderr, for reporting a failure. */
interface Child {
  process: ChildProcess;
  line: string;
  stderr: string[];
}

/** Every child, registered at spawn (before it is ready), so any way out of this script kills it. */
const children = new Set<ChildProcess>();
const dir = mkdtempSync(join(tmpdir(), 'switchboard-soak-'));
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

/** Starts a program from sources; resolves with the first stdout line matching `ready`. */
function start(script: string, env: Record<string, string>, ready: RegExp): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 20) stderr.shift();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready after ${START_TIMEOUT_MS} ms:\n${stderr.join('\n')}`)), START_TIMEOUT_MS);
    const onExit = (code: number | null, signal: string | null) => reject(new Error(`${script} exited (${signal ?? code}) before it was ready:\n${stderr.join('\n')}`));
    child.once('exit', onExit);
    // Reading on after the ready line keeps the pipe drained.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!ready.test(line)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ process: child, line, stderr });
    });
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

// --- the sandbox, RingCX's truth and the journal ---------------------------------------------------

const sandbox = await start('sandbox/cli.ts', { SANDBOX_SCALE: '0.1' }, /^\{/);
const endpoints = JSON.parse(sandbox.line) as SandboxEndpoints;
const ringcxUrl = endpoints.ringcx.baseUrl;
const dbPath = join(dir, 'switchboard.db');
const serverEnv: Record<string, string> = {
  PORT: '0',
  HOST: '127.0.0.1',
  SWITCHBOARD_DB_PATH: dbPath,
  PROVIDER_TIMEOUT_MS: '10000',
  // Providers given by URL count as real, which makes JWT the default; this run is about the journal.
  AUTH_MODE: 'none',
  CURSOR_SECRET: 'crash-soak-cursor-secret',
  ...sandboxEnv(endpoints),
};
const ringcx = new RingCxClient({ baseUrl: ringcxUrl, auth: { kind: 'apiToken', token: endpoints.ringcx.apiToken } });

/** Seed state at all four providers; every trial's rate-limit windows start empty too. */
async function resetProviders(): Promise<void> {
  await Promise.all(Object.values(endpoints).map((e) => resetSandbox(e.baseUrl)));
}

/** A Switchboard server that printed its ready line; `ms`: how long start-up (and its recovery) took. */
interface Running {
  child: Child;
  url: string;
  ms: number;
}

async function startServer(): Promise<Running> {
  const started = performance.now();
  const child = await start('src/index.ts', serverEnv, /ready at (http:\/\/\S+)/);
  return { child, url: /ready at (http:\/\/\S+)/.exec(child.line)![1]!, ms: performance.now() - started };
}

/** Reads the journal file the servers write (opened per read: a server may be killed at any time). */
function journal<T>(read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

interface IntentRow {
  id: string;
  phone_number: string;
  operation: string;
  status: string;
  step: string;
  detail: string | null;
  created_at: string;
  updated_at: string;
}

// --- the move ------------------------------------------------------------------------------------

interface Gate {
  accountId: string;
  gateId: string;
}

interface Move {
  dnis: string;
  from: Gate;
  to: Gate;
}

/** DNIS routed to a queue, each with the other queues of its sub-account (seed state). */
async function candidates(): Promise<{ dnis: string; from: Gate; others: Gate[] }[]> {
  const routed = (await ringcx.searchDnis()).records.flatMap((r) => {
    const gate = r.assignedDnis?.gate;
    const accountId = gate?.accountId ?? r.accountId;
    return gate && accountId ? [{ dnis: r.dnis, from: { accountId, gateId: gate.gateId } }] : [];
  });
  const gates = new Map<string, Gate>(routed.map(({ from }) => [`${from.accountId}/${from.gateId}`, from]));
  return routed
    .map(({ dnis, from }) => ({ dnis, from, others: [...gates.values()].filter((g) => g.accountId === from.accountId && g.gateId !== from.gateId) }))
    .filter((c) => c.others.length > 0);
}

type Answer = { kind: 'answered'; ms: number; status: string } | { kind: 'killed'; error: string };

/** Sends reassignPhoneNumber; resolves (never rejects) with the answer, or how the request died. */
async function reassign(url: string, move: Move, dryRun = false): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchboard-actor': ACTOR },
      body: JSON.stringify({
        query: 'mutation($input: ReassignPhoneNumberInput!) { reassignPhoneNumber(input: $input) { userErrors { code message } change { id status } } }',
        variables: { input: { phoneNumber: move.dnis, destination: { queue: ids.queue(move.to.accountId, move.to.gateId) }, dryRun } },
      }),
    });
    const body = (await response.json()) as {
      data?: { reassignPhoneNumber: { userErrors: { code: string; message: string }[]; change: { status: string } | null } };
      errors?: { message: string }[];
    };
    const payload = body.data?.reassignPhoneNumber;
    const status = !payload ? `error: ${body.errors?.[0]?.message}` : payload.userErrors.length > 0 ? payload.userErrors.map((e) => e.code).join(',') : (payload.change?.status ?? 'no change');
    return { kind: 'answered', ms: performance.now() - started, status };
  } catch (error) {
    return { kind: 'killed', error: error instanceof Error ? error.message : String(error) };
  }
}

/** The move, dry, so the server's inventory and queue caches are warm before the timed run. */
async function warm(url: string, move: Move): Promise<void> {
  const answer = await reassign(url, move, true);
  if (answer.kind !== 'answered' || answer.status !== 'no change') throw new Error(`dry run of ${move.dnis}: ${JSON.stringify(answer)}`);
}

/**
 * What a move costs besides the injected latency (HTTP, GraphQL, journal
 * writes): three unkilled moves, there and back, on one server. The fastest
 * counts: noise on two shared cores only ever adds.
 */
async function calibrate(url: string, move: Move, latency: Latency): Promise<number[]> {
  await resetProviders();
  await warm(url, move);
  await injectFaults(ringcxUrl, slow(latency));
  const back: Move = { dnis: move.dnis, from: move.to, to: move.from };
  const times: number[] = [];
  for (const m of [move, back, move]) {
    const answer = await reassign(url, m);
    if (answer.kind !== 'answered' || answer.status !== 'DONE') throw new Error(`calibration move of ${m.dnis}: ${JSON.stringify(answer)}`);
    times.push(answer.ms);
  }
  return times;
}

// --- a trial -------------------------------------------------------------------------------------

interface Trial {
  n: number;
  move: Move;
  latency: Latency;
  /** When the move should end if not killed: its injected latency plus the calibrated overhead. */
  expectedMs: number;
  killAtMs: number;
  answer: Answer;
  /** Where the kill landed: one of PLACES. */
  place: string;
  intent: IntentRow | null;
  /** The intent after the restart. */
  after: IntentRow | null;
  /** RECOVERY_* from the history, or "not needed". */
  recovery: string;
  routes: 'new queue' | 'old queue' | 'elsewhere' | 'nowhere';
  ringcxSaid: AssignedDnis | null;
  /** Intents open anywhere in the journal once the restarted server is ready. */
  openIntents: number;
  /** The journal's final status and RingCX's routing contradict each other. */
  disagrees: boolean;
  problems: string[];
  serverLog: string[];
  ms: { trial: number; restart: number };
}

/** What the journal's final status says RingCX must show (abandoned: someone else's routing, any but nowhere). */
const EXPECTED: Record<string, Trial['routes'] | undefined> = { none: 'old queue', done: 'new queue', rolled_back: 'old queue', failed: 'old queue', abandoned: undefined };

async function runTrial(n: number, server: Running, move: Move, latency: Latency, expectedMs: number, killAtMs: number): Promise<{ trial: Trial; next: Running }> {
  const started = performance.now();
  await resetProviders();
  await warm(server.url, move);
  const before = journal((db) => (db.prepare('SELECT coalesce(max(rowid), 0) AS n FROM intents').get() as { n: number }).n);
  await injectFaults(ringcxUrl, slow(latency));

  // The kill lands at the drawn delay, or at once if the move is answered first: it is over.
  const answering = reassign(server.url, move);
  let delay: NodeJS.Timeout | undefined;
  await Promise.race([answering, new Promise((resolve) => (delay = setTimeout(resolve, killAtMs)))]);
  clearTimeout(delay);
  await kill(server.child.process);
  const answer = await answering;

  const intent = journal((db) => (db.prepare('SELECT * FROM intents WHERE rowid > ? ORDER BY rowid').all(before) as IntentRow[]).at(-1) ?? null);
  const place = !intent ? 'no intent yet' : intent.status === 'open' ? intent.step : 'intent closed';

  await injectFaults(ringcxUrl, {});
  const next = await startServer();

  const after = intent && journal((db) => db.prepare('SELECT * FROM intents WHERE id = ?').get(intent.id) as IntentRow);
  const recovery = !intent
    ? 'not needed'
    : (journal((db) => db.prepare(`SELECT outcome FROM audit WHERE change_id = ? AND outcome LIKE 'RECOVERY_%' ORDER BY id DESC`).get(intent.id) as { outcome: string } | undefined)?.outcome ?? 'not needed');
  const openIntents = journal((db) => (db.prepare(`SELECT count(*) AS n FROM intents WHERE status = 'open'`).get() as { n: number }).n);
  const assigned = await ringcx.getAssignedDnis(move.dnis);
  const gate = assigned?.gate?.gateId;
  const routes: Trial['routes'] = !assigned ? 'nowhere' : gate === move.to.gateId ? 'new queue' : gate === move.from.gateId ? 'old queue' : 'elsewhere';

  const problems: string[] = [];
  if (routes === 'nowhere') problems.push('the number routes nowhere');
  if (openIntents > 0) problems.push(`${openIntents} intent(s) open after recovery`);
  const expected = EXPECTED[after?.status ?? 'none'];
  const disagrees = routes !== 'nowhere' && expected !== undefined && routes !== expected;
  if (disagrees) problems.push(`the journal says ${after?.status ?? 'no intent'} but RingCX routes to the ${routes}`);

  return {
    trial: {
      n,
      move,
      latency,
      expectedMs,
      killAtMs,
      answer,
      place,
      intent,
      after,
      recovery,
      routes,
      ringcxSaid: assigned,
      openIntents,
      disagrees,
      problems,
      serverLog: [...server.child.stderr, '--- restarted ---', ...next.child.stderr],
      ms: { trial: performance.now() - started, restart: next.ms },
    },
    next,
  };
}

// --- the run -------------------------------------------------------------------------------------

const random = new Random(seed);
const picks = random.fork('moves');
const delays = random.fork('kills');
const pool = await candidates();
const pick = (): Move => {
  const c = picks.pick(pool);
  return { dnis: c.dnis, from: c.from, to: picks.pick(c.others) };
};

const latencies = random.fork('latency');
const draw = () => 50 + latencies.int(0, 200);

let server = await startServer();
const reference: Latency = { get: 150, remove: 150, add: 150 };
const calibration = await calibrate(server.url, pick(), reference);
const overheadMs = Math.max(0, Math.min(...calibration) - injected(reference));
process.stdout.write(
  `crash soak: ${trials} trials, seed ${seed}, ${pool.length} candidate DNIS; an unkilled move with 150 ms per provider call takes ${calibration.map((t) => t.toFixed(0)).join(', ')} ms (overhead ${overheadMs.toFixed(0)} ms)\n`,
);

const results: Trial[] = [];
for (let n = 1; n <= trials; n += 1) {
  const latency: Latency = { get: draw(), remove: draw(), add: draw() };
  const expectedMs = Math.round(injected(latency) + overheadMs);
  const { trial, next } = await runTrial(n, server, pick(), latency, expectedMs, Math.round(delays.next() * expectedMs * 1.1));
  server = next;
  results.push(trial);
  process.stdout.write(
    `  #${String(n).padStart(3)}  ${trial.move.dnis}  kill at ${String(trial.killAtMs).padStart(4)}/${String(trial.expectedMs).padStart(4)} ms  ${trial.place.padEnd(13)}  ${(trial.answer.kind === 'killed' ? 'killed in flight' : `answered ${trial.answer.status}`).padEnd(18)}  ${trial.recovery.padEnd(19)}  ${trial.routes}${trial.problems.length > 0 ? `  FAILED: ${trial.problems.join('; ')}` : ''}\n`,
  );
}
await kill(server.child.process);
const openAtEnd = journal((db) => (db.prepare(`SELECT count(*) AS n FROM intents WHERE status = 'open'`).get() as { n: number }).n);
await kill(sandbox.process);

// --- the figures ---------------------------------------------------------------------------------

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function counts(values: string[], order: readonly string[] = []): string {
  const tally = new Map<string, number>(order.map((k) => [k, 0]));
  for (const v of values) tally.set(v, (tally.get(v) ?? 0) + 1);
  return [...tally].map(([k, v]) => `${k} ${v}`).join(', ');
}

const answered = results.flatMap((t) => (t.answer.kind === 'answered' ? [t.answer.ms] : []));
const failed = results.filter((t) => t.problems.length > 0);
const nowhere = results.filter((t) => t.routes === 'nowhere').length;
const out = process.stdout;
out.write(`\nwhere the kill landed (journal step when the server died)\n`);
for (const place of PLACES) out.write(`  ${place.padEnd(15)} ${String(results.filter((t) => t.place === place).length).padStart(4)}\n`);
out.write(`mutation           ${counts(results.map((t) => (t.answer.kind === 'killed' ? 'killed in flight' : `answered ${t.answer.status}`)))}\n`);
out.write(`recovery           ${counts(results.map((t) => t.recovery), ['RECOVERY_FINISHED', 'RECOVERY_UNDONE', 'RECOVERY_SUPERSEDED', 'not needed'])}\n`);
out.write(`intent at the end  ${counts(results.map((t) => t.after?.status ?? 'none (killed before the lock)'))}\n`);
out.write(`RingCX routes to   ${counts(results.map((t) => t.routes), ['new queue', 'old queue', 'elsewhere', 'nowhere'])}\n`);
out.write(
  `medians            trial ${(median(results.map((t) => t.ms.trial)) / 1000).toFixed(2)} s, restart with recovery ${(median(results.map((t) => t.ms.restart)) / 1000).toFixed(2)} s, expected move ${median(results.map((t) => t.expectedMs)).toFixed(0)} ms, kill delay ${median(results.map((t) => t.killAtMs)).toFixed(0)} ms, move answered before the kill ${answered.length > 0 ? `${median(answered).toFixed(0)} ms` : '-'}\n`,
);
const checks: [string, number][] = [
  ['numbers routing nowhere after recovery', nowhere],
  ['intents open after a restart (sum of trials)', results.reduce((sum, t) => sum + t.openIntents, 0)],
  ['intents open at the end of the run', openAtEnd],
  ['trials whose journal and RingCX disagree', results.filter((t) => t.disagrees).length],
];
out.write(`checks (each must be 0)\n`);
for (const [label, value] of checks) out.write(`  ${label.padEnd(46)} ${String(value).padStart(3)}  ${value === 0 ? 'ok' : 'FAILED'}\n`);

for (const t of failed) {
  out.write(`\ntrial #${t.n}: ${t.problems.join('; ')}\n`);
  out.write(`  move ${t.move.dnis} from gate ${t.move.from.gateId} to ${t.move.to.gateId} (account ${t.move.from.accountId}); latency ${JSON.stringify(t.latency)} ms; killed at ${t.killAtMs} of ${t.expectedMs} ms expected, step ${t.place}; mutation: ${JSON.stringify(t.answer)}\n`);
  out.write(`  journal when killed: ${JSON.stringify(t.intent)}\n  journal after restart: ${JSON.stringify(t.after)}\n  recovery: ${t.recovery}\n  RingCX says: ${JSON.stringify(t.ringcxSaid)}\n`);
  out.write(`  server stderr:\n${t.serverLog.map((l) => `    ${l}`).join('\n')}\n`);
}
process.exit(checks.every(([, value]) => value === 0) ? 0 : 1);

/**
 * `uploadPhoneNumbers` with a 100,000-row file (`BENCH_UPLOAD_ROWS` to
 * change), sent as a multipart upload over HTTP and generated as it is sent:
 * three dry runs on one server (memory must not grow from one upload to the
 * next), the real run (200 POSTs of 500 to RingCX), and a retry with the
 * same idempotency key.
 *
 * Three processes, as in production: this one is only the HTTP client, the
 * sandbox plays RingCX, and the Switchboard server is the production build
 * started as production starts it (`npm run build`, then `node
 * dist/index.js` with `NODE_ENV=production`), with a memory sampler loaded
 * beside it that this script drives over IPC. So the memory figures are the
 * server process's own: not the client's file generation or HTTP buffers,
 * and not the sandbox's. `BENCH_UPLOAD_FROM_SOURCE=true` runs `src/index.ts`
 * under tsx instead, without a build; tsx's loader thread and its cache of
 * compiled modules then add about 45 MB to every RSS figure. The store is an
 * SQLite file on disk, as in production, or the PostgreSQL database
 * `DATABASE_URL` names (as replicas share it; the run's rows are left there,
 * under a key of their own). Each run starts once the server's inventory
 * sync is between passes (its first pass runs at start-up), so that no pass
 * runs beside it.
 *
 * The time is the client's, from request to answer; the server's CPU time
 * (all its threads) is given too, because on a small shared machine the
 * other processes' load stretches the wall time but not the CPU time.
 * Memory is sampled in the server every 20 ms during each run. "base" is the
 * server's RSS before the run, once its heap is collected; "peak" is the
 * largest sample; "growth" the peak over the base (garbage not yet collected
 * included); "retained" what is still live after the run once the heap is
 * collected. Memory is bounded when growth does not follow the file's size,
 * and it does not grow from one upload to the next when the base stays put
 * and nothing is retained.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SandboxEndpoints } from '../sandbox/index.js';
import { RingCxClient } from '../src/providers/ringcx/index.js';
import { numbersCsv, numbersCsvBytes } from '../test/support/csv.js';
import { postMultipart } from '../test/support/multipart.js';
import { startProgram, stopAll } from '../test/support/processes.js';
import { injectFaults } from '../test/support/sandbox.js';

const ROOT = new URL('../', import.meta.url);
const MB = 1024 * 1024;

const UPLOAD = `mutation Upload($input: UploadPhoneNumbersInput!) {
  uploadPhoneNumbers(input: $input) {
    userErrors { code message }
    upload { id replayed totals { rows created exists duplicate invalid failed } rows(first: 10) { nodes { line status } } }
  }
}`;

const SYNC = '{ inventorySync { provider startedAt lastSuccessAt lastErrorAt } }';
type SyncState = { provider: string; startedAt: string | null; lastSuccessAt: string | null; lastErrorAt: string | null };

/** What the server's sampler reports of one run. */
interface ServerFigures {
  /** CPU time the server spent (all its threads), which the machine's other load does not inflate as it does the wall time. */
  serverCpuSeconds: number;
  baseRssMb: number;
  peakRssMb: number;
  rssGrowthMb: number;
  peakHeapMb: number;
  heapGrowthMb: number;
  /** Heap still live after the run, once collected: what the run kept. */
  retainedHeapMb: number;
}

type Figures = { run: string; seconds: number; rowsPerSecond: number } & ServerFigures;

/** From the client to the server's sampler, and back. */
type SamplerRequest = { kind: 'start' } | { kind: 'stop' };
type SamplerReply = { kind: 'started' } | { kind: 'stopped'; figures: ServerFigures };

/**
 * The memory sampler, loaded into the server with `--import` ahead of its
 * entry point. Plain JavaScript, so that a built server needs no TypeScript
 * loader for it, and its figures are the production process's.
 */
const SAMPLER = `
const MB = 1024 * 1024;
const mb = (bytes) => Number((bytes / MB).toFixed(1));
let base = process.memoryUsage();
let cpu = process.cpuUsage();
let peakRss = 0;
let peakHeap = 0;
let timer;
const sample = () => {
  const now = process.memoryUsage();
  peakRss = Math.max(peakRss, now.rss);
  peakHeap = Math.max(peakHeap, now.heapUsed);
};
process.on('message', (request) => {
  if (request.kind === 'start') {
    // Collected first, so that the base is what is live.
    globalThis.gc();
    base = process.memoryUsage();
    peakRss = base.rss;
    peakHeap = base.heapUsed;
    cpu = process.cpuUsage();
    timer = setInterval(sample, 20);
    process.send({ kind: 'started' });
    return;
  }
  clearInterval(timer);
  sample();
  const used = process.cpuUsage(cpu);
  globalThis.gc();
  process.send({
    kind: 'stopped',
    figures: {
      serverCpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
      baseRssMb: mb(base.rss),
      peakRssMb: mb(peakRss),
      rssGrowthMb: mb(peakRss - base.rss),
      peakHeapMb: mb(peakHeap),
      heapGrowthMb: mb(peakHeap - base.heapUsed),
      retainedHeapMb: mb(process.memoryUsage().heapUsed - base.heapUsed),
    },
  });
});
`;

const rows = Number(process.env.BENCH_UPLOAD_ROWS ?? 100_000);
const fromSource = process.env.BENCH_UPLOAD_FROM_SOURCE === 'true';
if (!fromSource) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });

const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
try {
  const endpoints = JSON.parse((await startProgram(children, ['--import', 'tsx', 'sandbox/cli.ts'], {}, /^\{/)).line) as SandboxEndpoints;
  const server = await startServer(fromSource ? ['--import', 'tsx', 'src/index.ts'] : ['dist/index.js'], {
    // A standalone sandbox looks like a real provider; the benchmark is not about authentication.
    AUTH_MODE: 'none',
    NODE_ENV: 'production',
    PORT: '0',
    RINGCX_BASE_URL: endpoints.ringcx.baseUrl,
    RINGCX_API_TOKEN: endpoints.ringcx.apiToken,
    RINGCENTRAL_ENABLED: 'false',
    ZENDESK_ENABLED: 'false',
    RINGYO_ENABLED: 'false',
    SWITCHBOARD_DB_PATH: join(dir, 'switchboard.db'),
    ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }),
    CURSOR_SECRET: 'bench-cursor-secret-0123456789',
    UPLOAD_MAX_ROWS: String(Math.max(rows, 200_000)),
  });
  // RingCX allows 120 calls a minute; the real run makes 201 in a few seconds.
  await injectFaults(endpoints.ringcx.baseUrl, { rateLimits: { default: { limit: 100_000, windowSeconds: 60 } } });
  const ringcx = new RingCxClient({ baseUrl: endpoints.ringcx.baseUrl, auth: { kind: 'apiToken', token: endpoints.ringcx.apiToken } });
  const accountId = (await ringcx.listAccounts())[0]!.accountId;
  /** Resolves once the server's sync of RingCX is between passes, so that no pass runs beside a measured upload. */
  const syncIdle = async () => {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SYNC }) });
      const { data } = (await response.json()) as { data?: { inventorySync: SyncState[] } };
      const sync = data?.inventorySync.find((s) => s.provider === 'RINGCX');
      const ended = [sync?.lastSuccessAt, sync?.lastErrorAt].filter((at) => at != null).sort().at(-1);
      if (sync?.startedAt && ended && ended >= sync.startedAt) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the inventory sync did not finish a pass in 2 minutes');
  };

  const send = async (input: Record<string, unknown>, expectCreated: number, replayed = false) => {
    const { status, body } = await postMultipart<{ uploadPhoneNumbers: { userErrors: unknown[]; upload: { replayed: boolean; totals: { rows: number; created: number } } } }>(server.url, {
      query: UPLOAD,
      variables: { input },
      file: numbersCsv(rows, { accountId }),
    });
    const payload = body.data?.uploadPhoneNumbers;
    if (status !== 200 || body.errors || !payload?.upload || payload.upload.totals.rows !== rows || payload.upload.totals.created !== expectCreated || payload.upload.replayed !== replayed) {
      throw new Error(`unexpected answer: ${status} ${JSON.stringify(body).slice(0, 500)}`);
    }
  };
  /** Runs `work` while the server samples its memory; the time is the client's, from request to answer. */
  const measure = async (run: string, work: () => Promise<void>): Promise<Figures> => {
    await syncIdle();
    await server.sampler({ kind: 'start' });
    const started = performance.now();
    await work();
    const seconds = (performance.now() - started) / 1000;
    const stopped = await server.sampler({ kind: 'stop' });
    if (stopped.kind !== 'stopped') throw new Error(`the sampler answered ${stopped.kind}`);
    return { run, seconds: round(seconds, 2), rowsPerSecond: Math.round(rows / seconds), ...stopped.figures };
  };

  const results: Figures[] = [];
  for (let i = 1; i <= 3; i += 1) results.push(await measure(`dry run ${i}`, () => send({ dryRun: true }, rows)));
  // A key of the run's own: a PostgreSQL store keeps the keys of earlier runs.
  const idempotencyKey = `bench-${Date.now()}`;
  results.push(await measure('real run', () => send({ idempotencyKey }, rows)));
  results.push(await measure('retry (replayed)', () => send({ idempotencyKey }, rows, true)));

  const store = process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite file';
  const fileMb = round(numbersCsvBytes(rows, { accountId }) / MB, 2);
  const build = fromSource ? 'from source under tsx' : 'built';
  process.stdout.write(`uploadPhoneNumbers: ${rows.toLocaleString('en-US')} rows, file ${fileMb} MB, multipart over HTTP; server (${build}), client and sandbox each in a process of its own; ${store} store; memory is the server's\n`);
  console.table(results);
} finally {
  await stopAll(children);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts the server (`node <entry>`, the sampler loaded first) with exactly
 * `env` (plus PATH), and resolves once it is ready, with its URL and the
 * line to its sampler. Its stderr is shown only if it exits before then.
 */
async function startServer(entry: string[], env: Record<string, string>): Promise<{ url: string; sampler(request: SamplerRequest): Promise<SamplerReply> }> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', `data:text/javascript,${encodeURIComponent(SAMPLER)}`, ...entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.push(child);
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 20) stderr.shift();
  });
  // Reading on after the ready line keeps the pipe drained.
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const ready = /ready at (http:\/\/\S+)/.exec(line)?.[1];
      if (ready) resolve(ready);
    });
    child.once('exit', (code, signal) => reject(new Error(`the server exited (${signal ?? code}) before it was ready:\n${stderr.join('\n')}`)));
  });
  return {
    url,
    async sampler(request) {
      const reply = once(child, 'message') as Promise<[SamplerReply]>;
      child.send(request);
      return (await reply)[0];
    },
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

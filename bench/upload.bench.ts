/**
 * `uploadPhoneNumbers` with a 100,000-row file (`BENCH_UPLOAD_ROWS` to
 * change), sent as a multipart upload over HTTP and generated as it is sent:
 * a dry run, the real run (200 POSTs of 500 to RingCX), and a retry with the
 * same idempotency key.
 *
 * The sandbox runs in a child process, so the memory figures are the
 * Switchboard server's (plus this script's HTTP client, which holds 1,000
 * lines at a time). The store is an SQLite file on disk, as in production,
 * or the PostgreSQL database `DATABASE_URL` names (as replicas share it; the
 * run's rows are left there, under a key of their own).
 * Memory is sampled every 20 ms during each run; "peak" is the largest
 * sample, "growth" the peak over the collected baseline before the run
 * (garbage not yet collected included), "retained" what is still live after
 * the run once the heap is collected. Memory is bounded when growth does not
 * follow the file's size and nothing is retained.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connectBackends } from '../src/backends.js';
import { loadConfig } from '../src/config.js';
import type { SandboxEndpoints } from '../sandbox/index.js';
import { createServer } from '../src/server.js';
import { numbersCsv, numbersCsvBytes } from '../test/support/csv.js';
import { postMultipart } from '../test/support/multipart.js';
import { injectFaults } from '../test/support/sandbox.js';

const ROWS = Number(process.env.BENCH_UPLOAD_ROWS ?? 100_000);
const root = new URL('../', import.meta.url);
const MB = 1024 * 1024;

const UPLOAD = `mutation Upload($input: UploadPhoneNumbersInput!) {
  uploadPhoneNumbers(input: $input) {
    userErrors { code message }
    upload { id replayed totals { rows created exists duplicate invalid failed } rows(first: 10) { nodes { line status } } }
  }
}`;

interface Figures {
  run: string;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  rssGrowthMb: number;
  peakHeapMb: number;
  heapGrowthMb: number;
  /** Heap still live after the run, once collected: what the run kept. */
  retainedHeapMb: number;
}

async function startSandbox(): Promise<{ child: ChildProcess; endpoints: SandboxEndpoints }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith('{')) return { child, endpoints: JSON.parse(line) as SandboxEndpoints };
  }
  throw new Error('the sandbox exited before it was ready');
}

/** Runs `work` while sampling memory; the heap is collected first so the baseline is what is live. */
async function measure(run: string, rows: number, work: () => Promise<void>): Promise<Figures> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 20);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const end = process.memoryUsage();
  peakRss = Math.max(peakRss, end.rss);
  peakHeap = Math.max(peakHeap, end.heapUsed);
  (globalThis as { gc?: () => void }).gc?.();
  const retained = process.memoryUsage().heapUsed - base.heapUsed;
  return {
    run,
    seconds: round(seconds, 2),
    rowsPerSecond: Math.round(rows / seconds),
    peakRssMb: round(peakRss / MB, 1),
    rssGrowthMb: round((peakRss - base.rss) / MB, 1),
    peakHeapMb: round(peakHeap / MB, 1),
    heapGrowthMb: round((peakHeap - base.heapUsed) / MB, 1),
    retainedHeapMb: round(retained / MB, 1),
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

const { child: sandbox, endpoints } = await startSandbox();
const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
try {
  const config = loadConfig({
    // A standalone sandbox looks like a real provider; the benchmark is not about authentication.
    AUTH_MODE: 'none',
    RINGCX_BASE_URL: endpoints.ringcx.baseUrl,
    RINGCX_API_TOKEN: endpoints.ringcx.apiToken,
    RINGCENTRAL_ENABLED: 'false',
    ZENDESK_ENABLED: 'false',
    RINGYO_ENABLED: 'false',
    SWITCHBOARD_DB_PATH: join(dir, 'switchboard.db'),
    ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }),
    CURSOR_SECRET: 'bench-cursor-secret-0123456789',
    UPLOAD_MAX_ROWS: String(Math.max(ROWS, 200_000)),
  });
  const backends = await connectBackends(config);
  const server = await createServer({
    backends,
    cursorSecret: config.cursorSecret,
    databasePath: config.databaseUrl ?? config.databasePath,
    uploadLimits: config.upload,
  });
  const url = await server.listen(0);
  // RingCX allows 120 calls a minute; the real run makes 201 in a few seconds.
  await injectFaults(endpoints.ringcx.baseUrl, { rateLimits: { default: { limit: 100_000, windowSeconds: 60 } } });
  const accountId = (await backends.clients.ringcx!.listAccounts())[0]!.accountId;
  const fileBytes = numbersCsvBytes(ROWS, { accountId });

  const send = async (input: Record<string, unknown>, expectCreated: number, replayed = false) => {
    const { status, body } = await postMultipart<{ uploadPhoneNumbers: { userErrors: unknown[]; upload: { replayed: boolean; totals: { rows: number; created: number } } } }>(url, {
      query: UPLOAD,
      variables: { input },
      file: numbersCsv(ROWS, { accountId }),
    });
    const payload = body.data?.uploadPhoneNumbers;
    if (status !== 200 || body.errors || !payload?.upload || payload.upload.totals.rows !== ROWS || payload.upload.totals.created !== expectCreated || payload.upload.replayed !== replayed) {
      throw new Error(`unexpected answer: ${status} ${JSON.stringify(body).slice(0, 500)}`);
    }
  };

  const results: Figures[] = [];
  results.push(await measure('dry run', ROWS, () => send({ dryRun: true }, ROWS)));
  // A key of the run's own: a PostgreSQL store keeps the keys of earlier runs.
  const idempotencyKey = `bench-${Date.now()}`;
  results.push(await measure('real run', ROWS, () => send({ idempotencyKey }, ROWS)));
  results.push(await measure('retry (replayed)', ROWS, () => send({ idempotencyKey }, ROWS, true)));

  const store = config.databaseUrl ? 'PostgreSQL' : 'SQLite file';
  process.stdout.write(`uploadPhoneNumbers: ${ROWS.toLocaleString('en-US')} rows, file ${round(fileBytes / MB, 2)} MB, multipart over HTTP, sandbox in another process, ${store} store\n`);
  console.table(results);
  await server.close();
  await backends.close();
} finally {
  const exited = once(sandbox, 'exit');
  sandbox.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
}

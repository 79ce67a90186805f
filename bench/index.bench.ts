/**
 * Reads served from the inventory index, at sandbox scale ×1, ×5 and ×20
 * (`BENCH_SCALES` to change), with `NODE_ENV=production` (graphql's
 * development path is slower). For each scale:
 * - the full sync: wall time and provider calls, paced to half of each
 *   provider's documented rate limits (RingCentral's Heavy group, 5 calls a
 *   minute for the sync, dominates at ×20);
 * - the dashboard (100 numbers with routing and owners) warm: p50 of
 *   sequential runs, and p50 with 50 concurrent users while every provider
 *   answers 50 ms late (it should not matter: reads do not call providers);
 * - `_entities` for 200 numbers, as a router sends them;
 * - provider calls made by all those reads (expected 0);
 * - the server's RSS after the runs.
 * The same reads are timed again on a second server over the same index
 * with the response cache off, so every request executes. Then, at the
 * last scale, warm throughput against a bare Apollo Server on the same HTTP
 * stack (Fastify) answering the same query from a precomputed payload, with
 * and without the response cache, interleaved rounds, as ratios of medians.
 *
 * Each scale runs in its own process, with the sandbox in a child process,
 * so memory figures are the server's (plus this script's HTTP client and
 * modules, which the "before the server" figure shows).
 */
process.env.NODE_ENV = 'production';

const { ApolloServer } = await import('@apollo/server');
const { default: fastifyApollo } = await import('@as-integrations/fastify');
const { default: Fastify } = await import('fastify');
const { buildSchema: buildPlainSchema, printSchema } = await import('graphql');
const { connectBackends } = await import('../src/backends.js');
const { loadConfig } = await import('../src/config.js');
const { createServer } = await import('../src/server.js');
const { buildSchema } = await import('../src/graph/schema.js');
const { sandboxEnv } = await import('../sandbox/index.js');
const { startProgram, stopAll } = await import('../test/support/processes.js');
const { injectFaults, sandboxStats } = await import('../test/support/sandbox.js');
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { SandboxEndpoints } from '../sandbox/index.js';

const { mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const dir = mkdtempSync(join(tmpdir(), 'switchboard-index-bench-'));
const SCALES = (process.env.BENCH_SCALES ?? '1,5,20').split(',').map(Number);

// Each scale runs in a process of its own, so one scale's memory does not colour the next one's figures.
if (SCALES.length > 1) {
  for (const [i, scale] of SCALES.entries()) {
    const child = spawn(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_SCALES: String(scale), BENCH_THROUGHPUT: i === SCALES.length - 1 ? '1' : '0' },
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) process.exit(code ?? 1);
  }
  process.exit(0);
}
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const MB = 2 ** 20;
const PROVIDERS = ['ringcx', 'ringcentral', 'zendesk', 'ringyo'] as const;

const DASHBOARD = `query Dashboard($first: Int!) {
  phoneNumbers(first: $first) {
    totalCount
    nodes {
      e164 nationalFormat label
      sources { __typename provider providerId }
      assignments { provider active destination { __typename ... on Queue { name group { name } } ... on VisualIvr { name } ... on CloudRouteProfile { name } ... on TrackingNumber { description } ... on Extension { name } ... on ZendeskGroup { name } ... on ZendeskIvr { name } ... on VoiceAgent { agentId } } }
      extension { name }
    }
  }
}`;
const ENTITIES = `query E($r: [_Any!]!) { _entities(representations: $r) { ... on PhoneNumber { e164 assignments { provider destination { __typename ... on Queue { name } ... on Extension { name } } } extension { name } } } }`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p50 = (values: number[]) => median(values).toFixed(1).padStart(7);

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<{ ms: number; body: { data?: unknown; errors?: unknown[] } }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  const ms = performance.now() - started;
  if (response.status !== 200 || body.errors) throw new Error(`${response.status} ${JSON.stringify(body.errors)?.slice(0, 300)}`);
  return { ms, body };
}

/** `users` clients each sending `each` requests back to back; every request's latency. */
async function concurrent(url: string, users: number, each: number, query: string, variables: Record<string, unknown>): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: users }, async () => {
      for (let i = 0; i < each; i += 1) times.push((await post(url, query, variables)).ms);
    }),
  );
  return times;
}

/** Requests per second over `total` requests from `users` concurrent clients. */
async function throughput(url: string, users: number, total: number, query: string, variables: Record<string, unknown>): Promise<number> {
  const started = performance.now();
  await concurrent(url, users, Math.ceil(total / users), query, variables);
  return (users * Math.ceil(total / users)) / ((performance.now() - started) / 1000);
}

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

let lastScale: { url: string; uncachedUrl: string; close: () => Promise<void> } | undefined;
for (const scale of SCALES) {
  const endpoints = JSON.parse((await startProgram(children, ['--import', 'tsx', 'sandbox/cli.ts'], { SANDBOX_SCALE: String(scale) }, /^\{/)).line) as SandboxEndpoints;
  const callsNow = async () => {
    const all = await Promise.all(PROVIDERS.map((p) => sandboxStats(endpoints[p].baseUrl)));
    return all.reduce((sum, s) => sum + s.total, 0);
  };
  const config = loadConfig({ ...sandboxEnv(endpoints), AUTH_MODE: 'none', CURSOR_SECRET: 'bench-cursor-secret-0123456789' });
  const backends = await connectBackends(config);
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const databasePath = join(dir, `scale-${scale}.db`);
  const server = await createServer({ backends, cursorSecret: config.cursorSecret, databasePath, sync: config.sync, uploadLimits: config.upload });
  const url = await server.listen(0);
  await server.services.sync.syncNow();
  const syncMs = performance.now() - started;
  clearInterval(sampler);
  const states = await server.services.store.inventory.syncStates();
  const failed = states.filter((s) => s.error);
  if (failed.length > 0) throw new Error(`sync failed: ${failed.map((s) => s.error).join('; ')}`);
  const total = (await post(url, '{ phoneNumbers(first: 1) { totalCount } }', {})).body as { data: { phoneNumbers: { totalCount: number } } };
  // What the providers refused during the sync (the sandboxes count their 429s): the pacing's result at the real limits.
  const refused = (await Promise.all(PROVIDERS.map((p) => sandboxStats(endpoints[p].baseUrl)))).reduce((n, s) => n + s.rateLimited, 0);
  process.stdout.write(
    `\n×${scale}: ${total.data.phoneNumbers.totalCount} numbers; full sync ${(syncMs / 1000).toFixed(1)} s, ${states.reduce((n, s) => n + (s.calls ?? 0), 0)} provider calls (${states.map((s) => `${s.provider} ${s.calls} in ${((s.durationMs ?? 0) / 1000).toFixed(1)} s`).join(', ')}), 429 answers: ${refused}\n`,
  );

  const callsBefore = await callsNow();
  for (let i = 0; i < 5; i += 1) await post(url, DASHBOARD, { first: 100 }); // warm-up
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i += 1) warm.push((await post(url, DASHBOARD, { first: 100 })).ms);
  for (const p of PROVIDERS) await injectFaults(endpoints[p].baseUrl, { rules: [{ match: '*', latencyMs: 50 }] });
  const loaded = await concurrent(url, 50, 4, DASHBOARD, { first: 100 });
  const page = (await post(url, '{ phoneNumbers(first: 200) { nodes { e164 } } }', {})).body as { data: { phoneNumbers: { nodes: { e164: string }[] } } };
  const representations = page.data.phoneNumbers.nodes.map(({ e164 }) => ({ __typename: 'PhoneNumber', e164 }));
  const entities: number[] = [];
  for (let i = 0; i < RUNS; i += 1) entities.push((await post(url, ENTITIES, { r: representations })).ms);
  for (const p of PROVIDERS) await injectFaults(endpoints[p].baseUrl, {});
  const readCalls = (await callsNow()) - callsBefore;
  const reads = 5 + RUNS + 200 + 1 + RUNS;
  process.stdout.write(
    `  dashboard (100 numbers) warm p50 ${p50(warm)} ms | 50 concurrent users, providers +50 ms: p50 ${p50(loaded)} ms | _entities ×200 p50 ${p50(entities)} ms\n` +
      `  provider calls by ${reads} reads: ${readCalls} | RSS after the reads ${(process.memoryUsage().rss / MB).toFixed(0)} MB, peak during the sync ${(peakRss / MB).toFixed(0)} MB (this process before the server: ${(rssBefore / MB).toFixed(0)} MB)\n`,
  );

  // The same index served without the response cache (a second server on the same file, not syncing): every request executes.
  const uncached = await createServer({ backends, cursorSecret: config.cursorSecret, databasePath, syncSchedule: false, responseCacheBytes: 0, uploadLimits: config.upload });
  const uncachedUrl = await uncached.listen(0);
  const executed: number[] = [];
  for (let i = 0; i < RUNS; i += 1) executed.push((await post(uncachedUrl, DASHBOARD, { first: 100 })).ms);
  const executedEntities: number[] = [];
  for (let i = 0; i < RUNS; i += 1) executedEntities.push((await post(uncachedUrl, ENTITIES, { r: representations })).ms);
  process.stdout.write(`  without the response cache (every request executed): dashboard p50 ${p50(executed)} ms | _entities ×200 p50 ${p50(executedEntities)} ms\n`);

  if (lastScale) await lastScale.close();
  lastScale = {
    url,
    uncachedUrl,
    close: async () => {
      await uncached.close();
      await server.close();
      await backends.close();
    },
  };
}

// Warm throughput against a bare Apollo Server with the same schema and HTTP stack, answering from a precomputed payload.
const current = lastScale!;
if (process.env.BENCH_THROUGHPUT === '0') {
  await current.close();
  await stopAll(children);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
const payload = ((await post(current.url, DASHBOARD, { first: 100 })).body as { data: { phoneNumbers: unknown } }).data.phoneNumbers;
const bareSchema = buildPlainSchema(printSchema(buildSchema()));
bareSchema.getQueryType()!.getFields().phoneNumbers!.resolve = () => payload;
const bare = new ApolloServer({ schema: bareSchema });
await bare.start();
const app = Fastify({ logger: false });
await app.register(fastifyApollo(bare), { path: '/graphql' });
const bareUrl = `${(await app.listen({ port: 0, host: '127.0.0.1' })).replace('[::1]', 'localhost')}/graphql`;
const same = (await post(bareUrl, DASHBOARD, { first: 100 })).body as { data: { phoneNumbers: unknown } };
if (JSON.stringify(same.data.phoneNumbers) !== JSON.stringify(payload)) throw new Error('the bare server does not answer the same payload');

const ours: number[] = [];
const executedRounds: number[] = [];
const theirs: number[] = [];
for (let round = 0; round < 7; round += 1) {
  ours.push(await throughput(current.url, 10, 400, DASHBOARD, { first: 100 }));
  executedRounds.push(await throughput(current.uncachedUrl, 10, 400, DASHBOARD, { first: 100 }));
  theirs.push(await throughput(bareUrl, 10, 400, DASHBOARD, { first: 100 }));
}
process.stdout.write(
  `\nwarm throughput, dashboard of 100 numbers, 10 concurrent clients, 7 interleaved rounds of 400 requests each (scale ×${SCALES.at(-1)}), medians:\n` +
    `  bare Apollo Server with the same payload ${median(theirs).toFixed(0)} req/s\n` +
    `  Switchboard ${median(ours).toFixed(0)} req/s: ratio ${(median(ours) / median(theirs)).toFixed(2)}\n` +
    `  Switchboard without the response cache ${median(executedRounds).toFixed(0)} req/s: ratio ${(median(executedRounds) / median(theirs)).toFixed(2)}\n`,
);
await app.close();
await bare.stop();
await current.close();
await stopAll(children);
rmSync(dir, { recursive: true, force: true });

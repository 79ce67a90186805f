/**
 * Query latency of the phone-number graph over HTTP against the embedded
 * sandbox: the inventory dashboard for 10, 100 and 500 numbers, and an
 * `_entities` call for 200 numbers (what a router sends), each cold (shared
 * cache emptied first, so providers are called) and warm (within the cache
 * lifetime: no provider call). Prints p50/p95 over the runs, the provider
 * calls per run, and the server's memory.
 */
import { startGraph } from '../test/support/graph.js';

const RUNS = Number(process.env.BENCH_GRAPH_RUNS ?? 20);
const DASHBOARD = `query Dashboard($first: Int!) {
  phoneNumbers(first: $first) {
    totalCount
    nodes {
      e164 nationalFormat label
      sources { provider providerId }
      assignments { provider active destination { __typename ... on Queue { name group { name } } ... on VisualIvr { name } ... on CloudRouteProfile { name } ... on TrackingNumber { description } ... on Extension { name } ... on ZendeskGroup { name } ... on ZendeskIvr { name } ... on VoiceAgent { agentId } } }
      extension { name }
    }
  }
}`;
const ENTITIES = `query E($r: [_Any!]!) { _entities(representations: $r) { ... on PhoneNumber { e164 assignments { provider destination { __typename ... on Queue { name } ... on Extension { name } } } extension { name } } } }`;

const graph = await startGraph();
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

async function measure(label: string, query: string, variables: Record<string, unknown>, cold: boolean): Promise<void> {
  const times: number[] = [];
  let calls = 0;
  for (let i = 0; i < RUNS; i += 1) {
    if (cold) await graph.reset();
    const before = Object.values(await graph.calls()).reduce((a, b) => a + b, 0);
    const started = performance.now();
    const { status, body } = await graph.query(query, variables);
    times.push(performance.now() - started);
    if (status !== 200 || body.errors) throw new Error(`${label}: ${status} ${JSON.stringify(body.errors)}`);
    calls = Object.values(await graph.calls()).reduce((a, b) => a + b, 0) - (cold ? 0 : before);
  }
  process.stdout.write(
    `${label.padEnd(34)} ${cold ? 'cold' : 'warm'}  p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms  provider calls/run ${cold ? calls : 0}\n`,
  );
}

process.stdout.write(`${RUNS} runs each; sandbox seed data: 2,601 distinct numbers\n`);
for (const first of [10, 100, 500]) {
  await measure(`dashboard, first ${first}`, DASHBOARD, { first }, true);
  await measure(`dashboard, first ${first}`, DASHBOARD, { first }, false);
}
const page = await graph.query<{ phoneNumbers: { nodes: { e164: string }[] } }>('{ phoneNumbers(first: 200) { nodes { e164 } } }');
const representations = page.body.data!.phoneNumbers.nodes.map(({ e164 }) => ({ __typename: 'PhoneNumber', e164 }));
await measure('_entities, 200 PhoneNumbers', ENTITIES, { r: representations }, true);
await measure('_entities, 200 PhoneNumbers', ENTITIES, { r: representations }, false);
const memory = process.memoryUsage();
process.stdout.write(`memory after the runs (server and sandbox in this process): RSS ${(memory.rss / 2 ** 20).toFixed(0)} MB, heap ${(memory.heapUsed / 2 ** 20).toFixed(0)} MB\n`);
await graph.close();

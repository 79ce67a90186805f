import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DnisRecord } from '../../src/providers/ringcx/index.js';
import { startGraph, type GraphHarness } from '../support/graph.js';

const gid = (type: string, ...key: string[]) => Buffer.from([type, ...key].join(':')).toString('base64url');
const CHANGES = `query($first: Int, $after: String, $filter: ChangeFilter) {
  changes(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { actor operation outcome provider changeId } }
}`;

type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { actor: string; operation: string; outcome: string; provider: string | null; changeId: string | null }[] };

/** The history across all numbers: every change, newest first, filtered and paged. */
describe('changes across all numbers', () => {
  let graph: GraphHarness;
  const changes = async (variables: Record<string, unknown>) => {
    const { body } = await graph.query<{ changes: Page }>(CHANGES, variables);
    expect(body.errors).toBeUndefined();
    return body.data!.changes;
  };

  beforeAll(async () => {
    graph = await startGraph();
    const records = (await graph.backends.clients.ringcx!.searchDnis()).records;
    const onGate = records.find((r) => r.assignedDnis?.gate && r.assignedDnis.isActive !== false) as DnisRecord;
    const other = records.find((r) => r.accountId === onGate.accountId && r.assignedDnis?.gate && r.assignedDnis.gate.gateId !== onGate.assignedDnis!.gate!.gateId)!;
    const reassign = 'mutation($input: ReassignPhoneNumberInput!) { reassignPhoneNumber(input: $input) { userErrors { code } } }';
    const input = { phoneNumber: onGate.dnis, destination: { queue: gid('Queue', other.accountId!, other.assignedDnis!.gate!.gateId) } };
    // Oldest to newest: a dry run by ana, a refusal by bo, a real move by ana.
    await graph.query(reassign, { input: { ...input, dryRun: true } }, { 'x-switchboard-actor': 'ana' });
    await graph.query(reassign, { input: { ...input, destination: { queue: gid('Queue', onGate.accountId!, '999999') } } }, { 'x-switchboard-actor': 'bo' });
    await graph.query(reassign, { input }, { 'x-switchboard-actor': 'ana' });
  });
  afterAll(async () => graph.close());

  it('lists every change, newest first, with the provider and the journaled change', async () => {
    const page = await changes({});
    expect(page.totalCount).toBe(3);
    expect(page.nodes).toEqual([
      { actor: 'ana', operation: 'reassignPhoneNumber', outcome: 'SUCCEEDED', provider: 'RINGCX', changeId: expect.any(String) },
      { actor: 'bo', operation: 'reassignPhoneNumber', outcome: 'REJECTED', provider: 'RINGCX', changeId: null },
      { actor: 'ana', operation: 'reassignPhoneNumber', outcome: 'DRY_RUN', provider: 'RINGCX', changeId: null },
    ]);
  });

  it('filters by actor, outcome, provider and time, and pages with cursors bound to the filter', async () => {
    expect((await changes({ filter: { actor: 'ana' } })).nodes.map((n) => n.outcome)).toEqual(['SUCCEEDED', 'DRY_RUN']);
    expect((await changes({ filter: { outcome: 'REJECTED' } })).nodes.map((n) => n.actor)).toEqual(['bo']);
    expect((await changes({ filter: { provider: 'ZENDESK' } })).totalCount).toBe(0);
    expect((await changes({ filter: { since: new Date(Date.now() + 60_000).toISOString() } })).totalCount).toBe(0);
    expect((await changes({ filter: { until: new Date(Date.now() + 60_000).toISOString(), operation: 'reassignPhoneNumber' } })).totalCount).toBe(3);

    const first = await changes({ first: 1, filter: { actor: 'ana' } });
    expect([first.nodes.map((n) => n.outcome), first.pageInfo.hasNextPage, first.totalCount]).toEqual([['SUCCEEDED'], true, 2]);
    const second = await changes({ first: 1, after: first.pageInfo.endCursor, filter: { actor: 'ana' } });
    expect([second.nodes.map((n) => n.outcome), second.pageInfo.hasNextPage]).toEqual([['DRY_RUN'], false]);

    // A cursor of one filter is refused on another, naming the argument.
    const { body } = await graph.query(CHANGES, { first: 1, after: first.pageInfo.endCursor, filter: { actor: 'bo' } });
    expect(body.errors?.[0]?.message).toMatch(/after/);
  });
});

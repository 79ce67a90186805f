import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ZendeskPhoneNumber } from '../../src/providers/zendesk/index.js';
import { collect } from '../support/collect.js';
import { startGraph, type GraphHarness } from '../support/graph.js';

const HISTORY = `query History($e164: String!) {
  phoneNumber(e164: $e164) { assignments { provider destination { __typename ... on ZendeskGroup { id name } } } history { nodes { actor operation provider outcome before after detail } } }
}`;

type History = {
  phoneNumber: {
    assignments: { provider: string; destination: { __typename: string; id?: string; name?: string } }[];
    history: { nodes: { actor: string; operation: string; provider: string; outcome: string; before: unknown; after: unknown; detail: string }[] };
  } | null;
};

/**
 * The sync against the sandbox: routing changed in a provider's own admin
 * (here, through its API behind Switchboard's back) becomes history, a
 * number the provider drops leaves the index, and reads answer from the
 * index without calling providers.
 */
describe('inventory sync', () => {
  let graph: GraphHarness;
  let routed: ZendeskPhoneNumber;
  let otherGroup: string;

  beforeAll(async () => {
    graph = await startGraph();
    const zendesk = graph.backends.clients.zendesk!;
    const numbers = await collect(zendesk.listPhoneNumbers());
    routed = numbers.find((n) => n.default_group_id && !n.ivr_id && n.voice_enabled !== false)!;
    otherGroup = (await collect(zendesk.listGroups())).find((g) => !g.deleted && g.id !== routed.default_group_id)!.id;
  });
  afterAll(async () => graph.close());
  beforeEach(async () => graph.reset());

  const e164 = () => `+${routed.number!.replace(/\D/g, '')}`;

  it('records routing changed outside Switchboard as EXTERNAL_CHANGE history, with before and after', async () => {
    await graph.backends.clients.zendesk!.updatePhoneNumber(routed.id, { ivr_id: null, group_ids: [otherGroup], default_group_id: otherGroup });
    // Until the next pass, the index answers what it last saw.
    const stale = await graph.query<History>(HISTORY, { e164: e164() });
    expect(stale.body.data!.phoneNumber!.assignments[0]!.destination.id).not.toContain(otherGroup);

    await graph.sync();
    const { body } = await graph.query<History>(HISTORY, { e164: e164() });
    expect(body.errors).toBeUndefined();
    const number = body.data!.phoneNumber!;
    expect(number.assignments.find((a) => a.provider === 'ZENDESK')!.destination).toMatchObject({ __typename: 'ZendeskGroup' });
    expect(Buffer.from(number.assignments.find((a) => a.provider === 'ZENDESK')!.destination.id!, 'base64url').toString()).toContain(otherGroup);
    expect(number.history.nodes).toEqual([
      {
        actor: 'zendesk (outside Switchboard)',
        operation: 'EXTERNAL_CHANGE',
        provider: 'ZENDESK',
        outcome: 'SUCCEEDED',
        before: expect.objectContaining({ destination: expect.objectContaining({ type: 'ZendeskGroup', groupId: routed.default_group_id }) }),
        after: expect.objectContaining({ destination: expect.objectContaining({ type: 'ZendeskGroup', groupId: otherGroup }) }),
        detail: expect.stringContaining('found by the inventory sync'),
      },
    ]);
    // And in the history across all numbers, filtered by operation and provider.
    const all = await graph.query<{ changes: { nodes: { phoneNumber: string }[] } }>('{ changes(filter: { operation: "EXTERNAL_CHANGE", provider: ZENDESK }) { nodes { phoneNumber } } }');
    expect(all.body.data!.changes.nodes).toEqual([{ phoneNumber: e164() }]);

    // A second pass finds nothing new.
    await graph.sync();
    expect((await graph.query<History>(HISTORY, { e164: e164() })).body.data!.phoneNumber!.history.nodes).toHaveLength(1);
  });

  it('drops a number its provider no longer lists, and says so in its history', async () => {
    const ringcx = graph.backends.clients.ringcx!;
    const page = await graph.query<{ phoneNumbers: { nodes: { e164: string; sources: { provider: string }[] }[] } }>(
      '{ phoneNumbers(first: 500, filter: { providers: [RINGCX] }) { nodes { e164 sources { provider } } } }',
    );
    const only = page.body.data!.phoneNumbers.nodes.find((n) => n.sources.length === 1)!.e164;
    expect(await ringcx.deleteDnisPool(only.slice(1))).toBe(true);
    await graph.sync();
    const gone = await graph.query<History>(HISTORY, { e164: only });
    expect(gone.body.data!.phoneNumber).toBeNull();
    const changes = await graph.query<{ changes: { nodes: { phoneNumber: string; detail: string; after: unknown }[] } }>(
      '{ changes(filter: { operation: "EXTERNAL_CHANGE", provider: RINGCX }) { nodes { phoneNumber detail after } } }',
    );
    expect(changes.body.data!.changes.nodes).toEqual([{ phoneNumber: only, after: null, detail: expect.stringContaining('no longer lists the number') }]);
  });

  it('reports each provider’s sync state, and each source’s syncedAt', async () => {
    const { body } = await graph.query<{
      inventorySync: { provider: string; lastSuccessAt: string; records: number; nextRunAt: string; stale: boolean; lastError: string | null }[];
      phoneNumbers: { nodes: { sources: { syncedAt: string }[] }[] };
    }>('{ inventorySync { provider lastSuccessAt records nextRunAt stale lastError } phoneNumbers(first: 5) { nodes { sources { syncedAt } } } }');
    expect(body.data!.inventorySync.map((s) => [s.provider, s.records, s.stale, s.lastError])).toEqual([
      ['RINGCX', 2000, false, null],
      ['RINGCENTRAL', 311, false, null],
      ['ZENDESK', 300, false, null],
      ['RINGYO', 100, false, null],
    ]);
    const times = new Set(body.data!.inventorySync.map((s) => s.lastSuccessAt));
    for (const node of body.data!.phoneNumbers.nodes) for (const source of node.sources) expect(times.has(source.syncedAt)).toBe(true);
  });
});

describe('reads on an empty index', () => {
  it('wait for the first sync, and say so', async () => {
    const graph = await startGraph({ initialSync: false });
    try {
      const first = graph.server.services.sync.syncNow();
      const { body, extensions } = await graph.query<{ phoneNumbers: { totalCount: number } }>('{ phoneNumbers(first: 1) { totalCount } }');
      await first;
      expect(body).toEqual({ data: { phoneNumbers: { totalCount: 2601 } } });
      expect(extensions!.warnings).toEqual([expect.objectContaining({ code: 'AWAITED_FIRST_SYNC', providers: expect.arrayContaining(['RINGCX']), waitedMs: expect.any(Number) })]);
      // Once synced, nothing is waited for.
      expect((await graph.query('{ phoneNumbers(first: 1) { totalCount } }')).extensions!.warnings).toBeUndefined();
    } finally {
      await graph.close();
    }
  });

  it('answer without a provider whose first sync has not finished within SYNC_FIRST_WAIT_SECONDS, naming it', async () => {
    const graph = await startGraph({ initialSync: false, env: { SYNC_FIRST_WAIT_SECONDS: '0' } });
    try {
      const { body } = await graph.query<{ phoneNumbers: { totalCount: number } }>('{ phoneNumbers(first: 1) { totalCount } }');
      expect(body.data).toEqual({ phoneNumbers: { totalCount: 0 } });
      expect(body.errors!.map((e) => [e.extensions!.provider, e.extensions!.code, e.message])).toEqual(
        ['RINGCX', 'ZENDESK', 'RINGYO', 'RINGCENTRAL'].map((p) => [p, 'PROVIDER_UNAVAILABLE', `${p.toLowerCase()} has not been synced yet: its first sync is still running (results from ${p.toLowerCase()} are missing)`]),
      );
    } finally {
      await graph.close();
    }
  });
});

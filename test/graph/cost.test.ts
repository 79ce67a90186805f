import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startGraph, type GraphHarness } from '../support/graph.js';

/**
 * The figure the product promises: once the index is synced, a page of
 * numbers with their routing and owners costs no provider call at all,
 * whatever its size; the sync's full pass costs a fixed, small number.
 */
const DASHBOARD = `query Dashboard($first: Int!) {
  phoneNumbers(first: $first) {
    totalCount
    nodes {
      e164
      assignments {
        provider
        destination {
          __typename
          ... on Queue { name group { name } }
          ... on VisualIvr { name }
          ... on CloudRouteProfile { name }
          ... on TrackingNumber { description }
          ... on Extension { name }
          ... on ZendeskGroup { name }
          ... on ZendeskIvr { name }
          ... on VoiceAgent { agentId }
        }
      }
      extension { name }
    }
  }
}`;

/**
 * Calls per provider of one full sync pass at the sandbox's seed scale:
 * - RingCX (13): accounts, one `searchDnis` per account (3) for its DNIS,
 *   and per account its queues, cloud routes and tracking groups;
 * - RingCentral: the account, the v2 and v1 number lists (Heavy) and the
 *   extension directory;
 * - Zendesk: 3 pages of 100 numbers, groups and IVRs;
 * - Ringyo: 1 page of 100 numbers.
 * Token requests are not counted (each client logs in once per token lifetime).
 */
const NO_CALLS = { ringcx: 0, ringcentral: 0, zendesk: 0, ringyo: 0 };

describe('provider calls per query', () => {
  let graph: GraphHarness;
  beforeAll(async () => {
    graph = await startGraph();
  });
  afterAll(async () => graph.close());
  beforeEach(async () => graph.reset());

  it.each([10, 100, 500])('the dashboard of the first %i numbers costs no provider call once synced', async (first) => {
    const { status, body } = await graph.query<{ phoneNumbers: { nodes: unknown[] } }>(DASHBOARD, { first });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.phoneNumbers.nodes).toHaveLength(first);
    expect(await graph.calls()).toEqual(NO_CALLS);
  });

  it('costs no provider call after the shared cache is emptied either: reads do not use it', async () => {
    graph.server.services.cache.clear();
    const again = await graph.query(DASHBOARD, { first: 500 });
    expect(again.body.errors).toBeUndefined();
    expect(await graph.calls()).toEqual(NO_CALLS);
  });

  it('spends a fixed number of calls on a full sync pass, recorded in the sync state', async () => {
    await graph.sync();
    expect(await graph.calls()).toEqual({ ringcx: 13, ringcentral: 4, zendesk: 5, ringyo: 1 });
    const { body } = await graph.query<{ inventorySync: { provider: string; calls: number; records: number; lastError: string | null; stale: boolean }[] }>(
      '{ inventorySync { provider calls records lastError stale } }',
    );
    expect(body.data!.inventorySync).toEqual([
      { provider: 'RINGCX', calls: 13, records: 2000, lastError: null, stale: false },
      { provider: 'RINGCENTRAL', calls: 4, records: 311, lastError: null, stale: false },
      { provider: 'ZENDESK', calls: 5, records: 300, lastError: null, stale: false },
      { provider: 'RINGYO', calls: 1, records: 100, lastError: null, stale: false },
    ]);
  });

  it('resolves 200 PhoneNumber entities for the router at the same constant cost', async () => {
    const page = await graph.query<{ phoneNumbers: { nodes: { e164: string }[] } }>('{ phoneNumbers(first: 200) { nodes { e164 } } }');
    const representations = page.body.data!.phoneNumbers.nodes.map(({ e164 }) => ({ __typename: 'PhoneNumber', e164 }));
    await graph.reset();

    const { body } = await graph.query<{ _entities: { e164: string; assignments: unknown[]; extension: unknown }[] }>(
      `query Entities($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on PhoneNumber { e164 assignments { provider destination { __typename ... on Queue { name } ... on Extension { name } } } extension { name } }
        }
      }`,
      { representations },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!._entities.map((e) => e.e164)).toEqual(representations.map((r) => r.e164));
    expect(await graph.calls()).toEqual(NO_CALLS);
  });

  it('answers null for numbers the index does not hold, without asking any provider', async () => {
    await graph.query('{ phoneNumbers(first: 1) { totalCount } }');
    const before = await graph.stats();
    const unknown = ['+14155550123', '+14155550124', '+14155550125', '+12125550199'].map((e164) => ({ __typename: 'PhoneNumber', e164 }));
    const { body } = await graph.query<{ _entities: unknown[] }>(
      'query E($r: [_Any!]!) { _entities(representations: $r) { ... on PhoneNumber { e164 } } }',
      { r: unknown },
    );
    expect(body).toEqual({ data: { _entities: [null, null, null, null] } });
    const after = await graph.stats();
    expect(after.ringcx.total - before.ringcx.total).toBe(0);
  });
});

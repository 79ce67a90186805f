import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startGraph, type GraphHarness } from '../support/graph.js';

/**
 * The figure the product promises: a page of numbers with their routing and
 * owners costs the same small number of provider calls whatever its size,
 * and nothing at all when repeated within the cache lifetime.
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
 * Calls per provider for one cold run of the dashboard:
 * - RingCX: accounts + one `searchDnis` for every DNIS of every account (queue,
 *   IVR, cloud-route and tracking names come embedded in the assignments);
 * - RingCentral: the v2 and v1 number lists (Heavy) + the extension directory;
 * - Zendesk: 3 pages of 100 numbers + groups + IVRs;
 * - Ringyo: 1 page of 100 numbers.
 * Token requests are not counted (each client logs in once per token lifetime).
 */
const COLD = { ringcx: 2, ringcentral: 3, zendesk: 5, ringyo: 1 };

describe('provider calls per query', () => {
  let graph: GraphHarness;
  beforeAll(async () => {
    graph = await startGraph();
  });
  afterAll(async () => graph.close());
  beforeEach(async () => graph.reset());

  it.each([10, 100, 500])('the dashboard of the first %i numbers costs the same calls, cold', async (first) => {
    const { status, body } = await graph.query<{ phoneNumbers: { nodes: unknown[] } }>(DASHBOARD, { first });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.phoneNumbers.nodes).toHaveLength(first);
    expect(await graph.calls()).toEqual(COLD);
  });

  it('costs no provider call when repeated within the cache lifetime', async () => {
    await graph.query(DASHBOARD, { first: 100 });
    expect(await graph.calls()).toEqual(COLD);
    const again = await graph.query(DASHBOARD, { first: 500 });
    expect(again.body.errors).toBeUndefined();
    expect(await graph.calls()).toEqual(COLD);
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
    expect(await graph.calls()).toEqual(COLD);
  });

  it('spends one RingCX batch search, not one call per number, on numbers the inventory does not know', async () => {
    await graph.query('{ phoneNumbers(first: 1) { totalCount } }');
    const before = await graph.stats();
    const unknown = ['+14155550123', '+14155550124', '+14155550125', '+12125550199'].map((e164) => ({ __typename: 'PhoneNumber', e164 }));
    const { body } = await graph.query<{ _entities: unknown[] }>(
      'query E($r: [_Any!]!) { _entities(representations: $r) { ... on PhoneNumber { e164 } } }',
      { r: unknown },
    );
    expect(body).toEqual({ data: { _entities: [null, null, null, null] } });
    const after = await graph.stats();
    const searches = (s: typeof after) => s.ringcx.byRoute['POST /voice/api/v1/admin/utilities/tnManager/search'] ?? 0;
    expect(searches(after) - searches(before)).toBe(1);
    expect(after.ringcx.total - before.ringcx.total).toBe(1);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { parse } from 'graphql';
import { buildSchema } from '../../src/graph/schema.js';
import { indexOnly, LIVE_FIELDS } from '../../src/graph/response-cache.js';
import { collect } from '../support/collect.js';
import { startGraph, type GraphHarness } from '../support/graph.js';

/** Root fields answered from the index alone: repeated, they may come from the response cache. */
const INDEX_ROOTS = ['phoneNumbers', 'phoneNumber', 'queues', 'queue', 'trackingGroups', 'trackingGroup', 'extensions', 'extension', 'account', 'node', 'nodes', '_entities', '_service'];

describe('which operations the response cache may answer', () => {
  const schema = buildSchema();

  it('classifies every root query field as index-backed or live, so a new field needs a decision', () => {
    const roots = Object.keys(schema.getQueryType()!.getFields()).sort();
    const live = [...LIVE_FIELDS].filter((f) => f.startsWith('Query.')).map((f) => f.slice('Query.'.length));
    expect([...INDEX_ROOTS, ...live].sort()).toEqual(roots);
    for (const field of LIVE_FIELDS) {
      const [type, name] = field.split('.') as [string, string];
      expect(Object.keys((schema.getType(type) as unknown as { getFields(): Record<string, unknown> }).getFields())).toContain(name);
    }
  });

  it('refuses a live field wherever it is selected: nested, in a fragment, or through an interface', () => {
    expect(indexOnly(schema, parse('{ phoneNumbers(first: 1) { nodes { e164 } } }'))).toBe(true);
    expect(indexOnly(schema, parse('{ phoneNumbers(first: 1) { nodes { ...F } } } fragment F on PhoneNumber { history { nodes { at } } }'))).toBe(false);
    expect(indexOnly(schema, parse('{ node(id: "x") { ... on Extension { forwardingNumbers { id } } } }'))).toBe(false);
    expect(indexOnly(schema, parse('{ phoneNumber(e164: "+14155550100") { sources { ... on RingCentralNumberSource { features } } } }'))).toBe(false);
    expect(indexOnly(schema, parse('{ changes { nodes { at } } }'))).toBe(false);
  });
});

describe('the response cache', () => {
  let graph: GraphHarness;
  beforeAll(async () => {
    graph = await startGraph();
  });
  afterAll(async () => graph.close());
  beforeEach(async () => graph.reset());

  const QUERY = '{ phoneNumbers(first: 20) { totalCount nodes { e164 assignments { provider destination { __typename ... on ZendeskGroup { id } } } } } }';

  it('answers a repeated index-only query without reading the index again, with fresh freshness', async () => {
    const first = await graph.query(QUERY);
    const page = jest.spyOn(graph.server.services.store.inventory, 'page');
    const again = await graph.query(QUERY);
    expect(page).not.toHaveBeenCalled();
    page.mockRestore();
    expect(again.body).toEqual(first.body);
    expect(again.extensions!.inventory!.RINGCX!.syncedAt).toEqual(first.extensions!.inventory!.RINGCX!.syncedAt);
  });

  it('stops answering from memory once a sync changes the index', async () => {
    const zendesk = graph.backends.clients.zendesk!;
    const number = (await collect(zendesk.listPhoneNumbers())).find((n) => n.default_group_id && !n.ivr_id)!;
    const other = (await collect(zendesk.listGroups())).find((g) => !g.deleted && g.id !== number.default_group_id)!;
    const e164 = `+${number.number!.replace(/\D/g, '')}`;
    const ONE = `{ phoneNumber(e164: "${e164}") { assignments { provider destination { ... on ZendeskGroup { name } } } } }`;
    const before = await graph.query<{ phoneNumber: { assignments: { destination: { name: string } }[] } }>(ONE);
    await zendesk.updatePhoneNumber(number.id, { ivr_id: null, group_ids: [other.id], default_group_id: other.id });
    // Unchanged index, same answer (the index has not seen the change yet).
    expect((await graph.query(ONE)).body).toEqual(before.body);
    await graph.sync();
    const after = await graph.query<{ phoneNumber: { assignments: { provider: string; destination: { name: string } }[] } }>(ONE);
    expect(after.body.data!.phoneNumber.assignments.find((a) => a.provider === 'ZENDESK')!.destination.name).toBe(other.name);
  });

  it('never keeps a live field: the history shows an entry written without any change to the index', async () => {
    const e164 = '+15125049851';
    const HISTORY = `{ phoneNumber(e164: "${e164}") { history { nodes { operation outcome } } } }`;
    const empty = await graph.query<{ phoneNumber: { history: { nodes: unknown[] } } }>(HISTORY);
    // A refused change: recorded in the history, nothing written to the index.
    await graph.query('mutation { unassignPhoneNumber(input: { phoneNumber: "+15125049851", provider: RINGYO }) { userErrors { code } } }');
    const after = await graph.query<{ phoneNumber: { history: { nodes: unknown[] } } }>(HISTORY);
    expect(after.body.data!.phoneNumber.history.nodes.length).toBe(empty.body.data!.phoneNumber.history.nodes.length + 1);
  });
});

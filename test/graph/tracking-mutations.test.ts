import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { RingCxApi, DnisRecord, TracGroup } from '../../src/providers/ringcx/index.js';
import { startGraph, type GraphHarness } from '../support/graph.js';

const gid = (type: string, ...key: string[]) => Buffer.from([type, ...key].join(':')).toString('base64url');

describe('tracking mutations', () => {
  let graph: GraphHarness;
  let ringcx: RingCxApi;
  let accountId: string;
  let group: TracGroup;
  let unassigned: DnisRecord;
  let onGate: DnisRecord;

  const mutate = async (field: string, inputType: string, selection: string, input: Record<string, unknown>) => {
    const { status, body } = await graph.query<Record<string, Record<string, unknown>>>(
      `mutation($input: ${inputType}!) { ${field}(input: $input) { ${selection} userErrors { field message code } } }`,
      { input },
    );
    expect([status, body.errors]).toEqual([200, undefined]);
    return body.data![field]!;
  };

  beforeAll(async () => {
    graph = await startGraph();
    ringcx = graph.backends.clients.ringcx!;
    accountId = (await ringcx.listAccounts())[0]!.accountId;
    const records = (await ringcx.searchDnis()).records;
    unassigned = records.find((r) => r.accountId === accountId && !r.assignedDnis?.gate && !r.assignedDnis?.visualIvr && !r.assignedDnis?.cloudRouteProfile && !r.assignedDnis?.tracNumber)!;
    onGate = records.find((r) => r.assignedDnis?.gate)!;
  });
  afterAll(async () => graph.close());
  beforeEach(async () => {
    await graph.reset();
    group = (await ringcx.listTracGroups(accountId))[0]!;
  });

  it('renames a tracking group, as RingCX then says', async () => {
    const id = gid('TrackingGroup', accountId, group.tracGroupId);
    const payload = await mutate('updateTrackingGroup', 'UpdateTrackingGroupInput', 'trackingGroup { id name isDefault }', { id, name: '  Spring Campaign  ' });
    expect(payload).toEqual({ trackingGroup: { id, name: 'Spring Campaign', isDefault: group.isDefault === true }, userErrors: [] });
    expect(await ringcx.getTracGroup(accountId, group.tracGroupId)).toMatchObject({ groupName: 'Spring Campaign' });
  });

  it.each([
    [{ id: 'nope', name: 'X' }, [{ code: 'NOT_FOUND', field: ['input', 'id'], message: 'id is not a TrackingGroup ID: "nope"' }]],
    [{ name: '   ' }, [{ code: 'INVALID_INPUT', field: ['input', 'name'], message: 'name must not be blank' }]],
    [{}, [{ code: 'INVALID_INPUT', field: ['input'], message: 'give name or isDefault: there is nothing to change' }]],
  ])('refuses an update %j with errors naming the field', async (input, errors) => {
    const id = 'id' in input ? input.id : gid('TrackingGroup', accountId, group.tracGroupId);
    const payload = await mutate('updateTrackingGroup', 'UpdateTrackingGroupInput', 'trackingGroup { id }', { ...input, id });
    expect(payload).toEqual({ trackingGroup: null, userErrors: errors });
    expect((await graph.stats()).ringcx.byRoute['PUT /voice/api/v1/admin/accounts/{accountId}/tracGroups/{tracGroupId}']).toBeUndefined();
  });

  it('answers NOT_FOUND for a group RingCX does not have', async () => {
    const id = gid('TrackingGroup', accountId, '999999');
    const payload = await mutate('updateTrackingGroup', 'UpdateTrackingGroupInput', 'trackingGroup { id }', { id, name: 'X' });
    expect(payload).toEqual({ trackingGroup: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'], message: `tracking group ${id} does not exist at RingCX` }] });
  });

  it('creates a tracking number for an unassigned DNIS, routing the DNIS to it', async () => {
    const payload = await mutate(
      'createTrackingNumber',
      'CreateTrackingNumberInput',
      'trackingNumber { id description active phoneNumber { e164 } group { id name } }',
      { group: gid('TrackingGroup', accountId, group.tracGroupId), phoneNumber: unassigned.dnis, description: 'Billboard I-5' },
    );
    expect(payload.userErrors).toEqual([]);
    const created = payload.trackingNumber as { id: string; description: string; active: boolean; phoneNumber: { e164: string }; group: { id: string; name: string } };
    expect(created).toMatchObject({ description: 'Billboard I-5', active: true, phoneNumber: { e164: `+${unassigned.dnis}` }, group: { id: gid('TrackingGroup', accountId, group.tracGroupId), name: group.groupName } });
    expect(await ringcx.getAssignedDnis(unassigned.dnis)).toMatchObject({ tracNumber: { tracGroupId: group.tracGroupId }, isActive: true });
    const history = await graph.query<{ phoneNumber: { history: { nodes: { operation: string; outcome: string }[] } } }>(
      'query($n: String!) { phoneNumber(e164: $n) { history { nodes { operation outcome } } } }',
      { n: unassigned.dnis },
    );
    expect(history.body.data!.phoneNumber.history.nodes[0]).toEqual({ operation: 'createTrackingNumber', outcome: 'SUCCEEDED' });
  });

  it('refuses a DNIS routed elsewhere, one not in the pool, and an unreadable number', async () => {
    const base = { group: gid('TrackingGroup', accountId, group.tracGroupId), description: 'X' };
    const routed = await mutate('createTrackingNumber', 'CreateTrackingNumberInput', 'trackingNumber { id }', { ...base, phoneNumber: onGate.dnis });
    expect(routed).toEqual({
      trackingNumber: null,
      userErrors: [{ code: 'ALREADY_ASSIGNED', field: ['input', 'phoneNumber'], message: `+${onGate.dnis} already routes to RingCX queue "${onGate.assignedDnis!.gate!.gateName}"; unassign it first` }],
    });
    const outside = await mutate('createTrackingNumber', 'CreateTrackingNumberInput', 'trackingNumber { id }', { ...base, phoneNumber: '+14155550123' });
    expect(outside.userErrors).toEqual([{ code: 'NOT_HELD_BY_PROVIDER', field: ['input', 'phoneNumber'], message: 'ringcx does not hold +14155550123 (add it to the DNIS pool first, e.g. with uploadPhoneNumbers)' }]);
    const unreadable = await mutate('createTrackingNumber', 'CreateTrackingNumberInput', 'trackingNumber { id }', { ...base, phoneNumber: '12' });
    expect(unreadable.userErrors).toEqual([{ code: 'INVALID_PHONE_NUMBER', field: ['input', 'phoneNumber'], message: 'phoneNumber is too short to be a phone number: "12"' }]);
    expect((await graph.stats()).ringcx.byRoute['POST /voice/api/v1/admin/accounts/{accountId}/tracGroups/{tracGroupId}/tracNumbers']).toBeUndefined();
  });

  it('changes a tracking number\'s description and active flag, as RingCX then says', async () => {
    const number = group.tracNumbers[0]!;
    const id = gid('TrackingNumber', accountId, group.tracGroupId, number.tracId);
    const payload = await mutate('updateTrackingNumber', 'UpdateTrackingNumberInput', 'trackingNumber { id description active }', { id, description: 'Radio spot', active: false });
    expect(payload).toEqual({ trackingNumber: { id, description: 'Radio spot', active: false }, userErrors: [] });
    expect(await ringcx.getTracNumber(accountId, group.tracGroupId, number.tracId)).toMatchObject({ description: 'Radio spot', assignedDnis: { isActive: false } });
    const missing = await mutate('updateTrackingNumber', 'UpdateTrackingNumberInput', 'trackingNumber { id }', { id: gid('TrackingNumber', accountId, group.tracGroupId, '424242'), active: true });
    expect((missing.userErrors as { code: string }[]).map((e) => e.code)).toEqual(['NOT_FOUND']);
  });
});

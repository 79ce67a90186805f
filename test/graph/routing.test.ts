import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ProviderClients } from '../../src/providers/index.js';
import type { DnisRecord } from '../../src/providers/ringcx/index.js';
import { injectFaults } from '../support/sandbox.js';
import { startGraph, type GraphHarness } from '../support/graph.js';
import { collect } from '../support/collect.js';

const gid = (type: string, ...key: string[]) => Buffer.from([type, ...key].join(':')).toString('base64url');

const ASSIGN = `mutation Assign($input: AssignPhoneNumberInput!) {
  assignPhoneNumber(input: $input) {
    assignment { provider active description destination { __typename ... on Queue { id name } ... on Extension { id name } ... on ZendeskGroup { id name } } }
    phoneNumber { e164 assignments { provider destination { __typename ... on Queue { name } ... on Extension { name } ... on ZendeskGroup { name } } } }
    userErrors { field message code }
  }
}`;
const REASSIGN = `mutation Reassign($input: ReassignPhoneNumberInput!) {
  reassignPhoneNumber(input: $input) {
    previous { provider active description destination { __typename ... on Queue { id name } ... on Extension { id } ... on ZendeskGroup { id } } }
    assignment { provider active description destination { __typename ... on Queue { id name } ... on Extension { id } ... on ZendeskGroup { id } } }
    plannedAssignment { provider active description destination { __typename ... on Queue { id name } ... on Extension { id } ... on ZendeskGroup { id } } }
    plan { provider call description }
    dryRun
    userErrors { field message code }
  }
}`;
const UNASSIGN = `mutation Unassign($input: UnassignPhoneNumberInput!) {
  unassignPhoneNumber(input: $input) {
    previous { provider destination { __typename ... on Queue { id } ... on Extension { id } ... on ZendeskGroup { id } } }
    phoneNumber { e164 assignments { provider } }
    userErrors { field message code }
  }
}`;
const HISTORY = `query History($e164: String!) {
  phoneNumber(e164: $e164) { history(first: 10) { totalCount nodes { actor operation outcome before after detail } } }
}`;

type Payload = { userErrors: { field: string[]; message: string; code: string }[]; [key: string]: unknown };

/**
 * The routing mutations against the sandbox. Every change is confirmed
 * through the provider's own API, not only through our payload.
 */
describe('routing mutations', () => {
  let graph: GraphHarness;
  let clients: ProviderClients;
  let onGate: DnisRecord;
  let otherGate: { accountId: string; gateId: string; gateName: string };
  let unassigned: DnisRecord;

  const e164Of = (record: DnisRecord) => `+${record.dnis}`;
  const gateOf = (record: DnisRecord) => record.assignedDnis!.gate!;
  const ringcxAssignment = (dnis: string) => clients.ringcx!.getAssignedDnis(dnis);
  const mutate = async (query: string, input: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const { status, body } = await graph.query<Record<string, Payload>>(query, { input }, headers);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    return Object.values(body.data!)[0]!;
  };
  const writes = async () => {
    const { byRoute } = (await graph.stats()).ringcx;
    return Object.fromEntries(Object.entries(byRoute).filter(([route]) => /^(PUT|DELETE|POST) .*assignedDnis/.test(route)));
  };

  beforeAll(async () => {
    graph = await startGraph();
    clients = graph.backends.clients;
    const records = (await clients.ringcx!.searchDnis()).records;
    onGate = records.find((r) => r.assignedDnis?.gate && r.assignedDnis.isActive !== false && r.assignedDnis.dnisDescription)!;
    const other = records.find((r) => r.accountId === onGate.accountId && r.assignedDnis?.gate && r.assignedDnis.gate.gateId !== gateOf(onGate).gateId)!;
    otherGate = { accountId: other.accountId!, gateId: gateOf(other).gateId, gateName: gateOf(other).gateName! };
    unassigned = records.find((r) => !r.assignedDnis?.gate && !r.assignedDnis?.visualIvr && !r.assignedDnis?.cloudRouteProfile && !r.assignedDnis?.tracNumber && r.active !== false)!;
  });
  afterAll(async () => graph.close());
  beforeEach(async () => graph.reset());

  describe('assignPhoneNumber', () => {
    it('routes an unassigned DNIS to a queue, as RingCX then says', async () => {
      const queue = gid('Queue', otherGate.accountId, otherGate.gateId);
      const payload = await mutate(ASSIGN, {
        phoneNumber: `(${unassigned.dnis.slice(1, 4)}) ${unassigned.dnis.slice(4, 7)}-${unassigned.dnis.slice(7)}`,
        destination: { queue },
        description: 'Overflow line',
      });
      expect(payload).toEqual({
        assignment: { provider: 'RINGCX', active: true, description: 'Overflow line', destination: { __typename: 'Queue', id: queue, name: otherGate.gateName } },
        phoneNumber: { e164: e164Of(unassigned), assignments: [{ provider: 'RINGCX', destination: { __typename: 'Queue', name: otherGate.gateName } }] },
        userErrors: [],
      });
      expect(await ringcxAssignment(unassigned.dnis)).toMatchObject({ dnisDescription: 'Overflow line', isActive: true, gate: { gateId: otherGate.gateId } });
      expect(await writes()).toEqual({ 'PUT /voice/api/v1/admin/utilities/tnManager/assignedDnis/gates/{gateId}': 1 });
    });

    it('refuses a number assigned elsewhere with ALREADY_ASSIGNED naming where, and changes nothing', async () => {
      const payload = await mutate(ASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) } });
      expect(payload.assignment).toBeNull();
      expect(payload.userErrors).toEqual([
        {
          code: 'ALREADY_ASSIGNED',
          field: ['input', 'phoneNumber'],
          message: `${e164Of(onGate)} already routes to RingCX queue "${gateOf(onGate).gateName}"; use reassignPhoneNumber to move it`,
        },
      ]);
      expect(await ringcxAssignment(onGate.dnis)).toMatchObject({ gate: { gateId: gateOf(onGate).gateId } });
      expect(await writes()).toEqual({});
    });

    it.each([
      ['an unreadable number', { phoneNumber: 'not a number', destination: { queue: 'x' } }, [{ code: 'INVALID_PHONE_NUMBER', field: ['input', 'phoneNumber'], message: 'phoneNumber contains characters that are not part of a phone number: "not a number"' }]],
      ['no destination', { phoneNumber: '+12063366556', destination: {} }, [{ code: 'DESTINATION_REQUIRED', field: ['input', 'destination'], message: 'destination needs one of queue, visualIvr, cloudRouteProfile, extension, zendeskGroup' }]],
      ['two destinations', { phoneNumber: '+12063366556', destination: { queue: 'a', extension: 'b' } }, [{ code: 'MULTIPLE_DESTINATIONS', field: ['input', 'destination'], message: 'destination names queue and extension; give exactly one destination' }]],
      ['a queue ID that is not one', { phoneNumber: '+12063366556', destination: { queue: gid('Extension', '1') } }, [{ code: 'DESTINATION_NOT_FOUND', field: ['input', 'destination', 'queue'], message: `queue is not a Queue ID: "${gid('Extension', '1')}"` }]],
      ['an unknown queue', { phoneNumber: '+12063366556', destination: { queue: gid('Queue', '15300001', '1') } }, [{ code: 'DESTINATION_NOT_FOUND', field: ['input', 'destination', 'queue'], message: 'RingCX queue 15300001/1 does not exist' }]],
      ['a number no provider holds', { phoneNumber: '+14155550123', destination: {} }, null],
    ])('refuses %s with a user error naming the field', async (_label, input, errors) => {
      if (errors === null) {
        const payload = await mutate(ASSIGN, { ...input, destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) } });
        expect(payload.userErrors).toEqual([{ code: 'PHONE_NUMBER_NOT_FOUND', field: ['input', 'phoneNumber'], message: 'No provider holds +14155550123' }]);
      } else {
        const payload = await mutate(ASSIGN, input);
        expect(payload.userErrors).toEqual(errors);
      }
      expect(await writes()).toEqual({});
    });

    it('refuses a number the destination\'s provider does not hold', async () => {
      const zendeskOnly = (await collect(clients.zendesk!.listPhoneNumbers())).find((n) => !n.external)!;
      const payload = await mutate(ASSIGN, { phoneNumber: zendeskOnly.number!, destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) } });
      expect(payload.userErrors).toEqual([
        { code: 'NOT_HELD_BY_PROVIDER', field: ['input', 'phoneNumber'], message: `ringcx does not hold ${zendeskOnly.number} (add it to the DNIS pool first, e.g. with uploadPhoneNumbers)` },
      ]);
    });

    it('refuses a Ringyo-only number clearly: its API is read-only', async () => {
      const rcNumbers = new Set((await collect(clients.ringcentral!.listPhoneNumbersV2())).map((n) => n.phoneNumber));
      const ringyoOnly = (await collect(clients.ringyo!.listPhoneNumbers())).find((n) => !rcNumbers.has(n.phone_number))!;
      const payload = await mutate(ASSIGN, { phoneNumber: ringyoOnly.phone_number, destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) } });
      expect(payload.userErrors).toEqual([
        { code: 'READ_ONLY_PROVIDER', field: ['input', 'phoneNumber'], message: `${ringyoOnly.phone_number} is held only by Ringyo, whose API is read-only: change its routing in Ringyo itself` },
      ]);
    });

    it('gives a RingCentral company number to an extension, and a Zendesk number to a group', async () => {
      const company = (await collect(clients.ringcentral!.listPhoneNumbersV2({ usageType: ['CompanyNumber'] })))[0]!;
      const user = (await collect(clients.ringcentral!.listExtensions({ type: ['User'], status: ['Enabled'] })))[0]!;
      const rc = await mutate(ASSIGN, { phoneNumber: company.phoneNumber, destination: { extension: gid('Extension', user.id) } });
      expect(rc.userErrors).toEqual([]);
      expect(rc.assignment).toEqual({ provider: 'RINGCENTRAL', active: true, description: company.label ?? null, destination: { __typename: 'Extension', id: gid('Extension', user.id), name: user.name } });
      const [after] = await clients.ringcentral!.getPhoneNumbers([company.id]);
      expect(after).toMatchObject({ status: 'found', phoneNumber: { usageType: 'DirectNumber', extension: { id: user.id } } });

      const unrouted = (await collect(clients.zendesk!.listPhoneNumbers())).find((n) => !n.ivr_id && n.group_ids.length === 0 && !n.external)!;
      const group = (await collect(clients.zendesk!.listGroups())).find((g) => !g.deleted)!;
      const zd = await mutate(ASSIGN, { phoneNumber: unrouted.display_number, destination: { zendeskGroup: gid('ZendeskGroup', group.id) } });
      expect(zd.userErrors).toEqual([]);
      expect(zd.assignment).toMatchObject({ provider: 'ZENDESK', destination: { __typename: 'ZendeskGroup', id: gid('ZendeskGroup', group.id), name: group.name } });
      expect(await clients.zendesk!.getPhoneNumber(unrouted.id)).toMatchObject({ group_ids: [group.id], default_group_id: group.id, ivr_id: null });
    });

    it('refuses to take over a RingCentral contact-center number', async () => {
      const contactCenter = (await collect(clients.ringcentral!.listPhoneNumbersV2({ usageType: ['ContactCenterNumber'] })))[0]!;
      const user = (await collect(clients.ringcentral!.listExtensions({ type: ['User'] })))[0]!;
      const payload = await mutate(ASSIGN, { phoneNumber: contactCenter.phoneNumber, destination: { extension: gid('Extension', user.id) } });
      expect(payload.userErrors).toEqual([
        { code: 'ALREADY_ASSIGNED', field: ['input', 'phoneNumber'], message: `${contactCenter.phoneNumber} is in use at ringcentral: it routes to the contact center (ContactCenterNumber)` },
      ]);
    });
  });

  describe('reassignPhoneNumber', () => {
    it('moves a DNIS between queues (remove, then add) keeping its description and active flag', async () => {
      const from = gateOf(onGate);
      const to = gid('Queue', otherGate.accountId, otherGate.gateId);
      const payload = await mutate(REASSIGN, { phoneNumber: onGate.dnis, destination: { queue: to }, expectedCurrent: { queue: gid('Queue', from.accountId!, from.gateId) } });
      expect(payload).toEqual({
        previous: { provider: 'RINGCX', active: true, description: onGate.assignedDnis!.dnisDescription, destination: { __typename: 'Queue', id: gid('Queue', from.accountId!, from.gateId), name: from.gateName } },
        assignment: { provider: 'RINGCX', active: true, description: onGate.assignedDnis!.dnisDescription, destination: { __typename: 'Queue', id: to, name: otherGate.gateName } },
        plan: [
          { provider: 'RINGCX', call: `DELETE /voice/api/v1/admin/utilities/tnManager/assignedDnis/${onGate.dnis}`, description: `Remove DNIS ${onGate.dnis}'s current assignment` },
          { provider: 'RINGCX', call: `PUT /voice/api/v1/admin/utilities/tnManager/assignedDnis/gates/${otherGate.gateId}`, description: `Assign DNIS ${onGate.dnis} to the new destination` },
        ],
        plannedAssignment: null,
        dryRun: false,
        userErrors: [],
      });
      expect(await ringcxAssignment(onGate.dnis)).toMatchObject({ gate: { gateId: otherGate.gateId }, dnisDescription: onGate.assignedDnis!.dnisDescription, isActive: true });
      expect(await writes()).toEqual({
        'DELETE /voice/api/v1/admin/utilities/tnManager/assignedDnis/{dnis}': 1,
        'PUT /voice/api/v1/admin/utilities/tnManager/assignedDnis/gates/{gateId}': 1,
      });
    });

    it('shows the new routing to the next query (the cache was invalidated)', async () => {
      const number = e164Of(onGate);
      const before = await graph.query<{ phoneNumber: { assignments: { destination: { name: string } }[] } }>('query($n: String!) { phoneNumber(e164: $n) { assignments { destination { ... on Queue { name } } } } }', { n: number });
      expect(before.body.data!.phoneNumber.assignments[0]!.destination.name).toBe(gateOf(onGate).gateName);
      await mutate(REASSIGN, { phoneNumber: number, destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) } });
      const after = await graph.query<typeof before.body.data>('query($n: String!) { phoneNumber(e164: $n) { assignments { destination { ... on Queue { name } } } } }', { n: number });
      expect(after.body.data!.phoneNumber.assignments[0]!.destination.name).toBe(otherGate.gateName);
    });

    it('writes the verified result through to the index: the next query shows it without any provider call', async () => {
      const query = `{ phoneNumber(e164: "${e164Of(onGate)}") { assignments { destination { ... on Queue { name } } } sources { syncedAt } } }`;
      await graph.query(query);
      const payload = await mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) } });
      expect(payload.userErrors).toEqual([]);
      const before = await graph.stats();
      const { body } = await graph.query<{ phoneNumber: { assignments: { destination: { name: string } }[]; sources: { syncedAt: string }[] } }>(query);
      expect(body.errors).toBeUndefined();
      expect(body.data!.phoneNumber.assignments).toEqual([{ destination: { name: otherGate.gateName } }]);
      // Confirmed by the read-back after the change, later than the last pass.
      const [ringcx] = (await graph.query<{ inventorySync: { lastSuccessAt: string }[] }>('{ inventorySync { lastSuccessAt } }')).body.data!.inventorySync;
      expect(body.data!.phoneNumber.sources[0]!.syncedAt > ringcx!.lastSuccessAt).toBe(true);
      const after = await graph.stats();
      expect([after.ringcx.total, after.ringcentral.total, after.zendesk.total, after.ringyo.total]).toEqual([before.ringcx.total, before.ringcentral.total, before.zendesk.total, before.ringyo.total]);
      // The next pass finds nothing changed elsewhere.
      await graph.sync();
      const { body: history } = await graph.query<{ changes: { nodes: unknown[] } }>('{ changes(filter: { operation: "EXTERNAL_CHANGE" }) { nodes { operation } } }');
      expect(history.data!.changes.nodes).toEqual([]);
    });

    it('changes nothing when expectedCurrent is wrong, and says where the number routes', async () => {
      const payload = await mutate(REASSIGN, {
        phoneNumber: e164Of(onGate),
        destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) },
        expectedCurrent: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) },
      });
      expect(payload.userErrors).toEqual([
        { code: 'CURRENT_DESTINATION_MISMATCH', field: ['input', 'expectedCurrent'], message: `${e164Of(onGate)} routes to RingCX queue "${gateOf(onGate).gateName}", not where expectedCurrent says; nothing was changed` },
      ]);
      expect(await writes()).toEqual({});
      expect(await ringcxAssignment(onGate.dnis)).toMatchObject({ gate: { gateId: gateOf(onGate).gateId } });
    });

    it('answers a dry run with the plan and changes nothing', async () => {
      const payload = await mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) }, dryRun: true });
      expect(payload).toMatchObject({
        dryRun: true,
        userErrors: [],
        previous: { destination: { name: gateOf(onGate).gateName } },
        assignment: null,
        plannedAssignment: { provider: 'RINGCX', active: true, description: onGate.assignedDnis!.dnisDescription, destination: { name: otherGate.gateName } },
        plan: [{ call: expect.stringMatching(/^DELETE /) }, { call: expect.stringMatching(/^PUT /) }],
      });
      expect(await writes()).toEqual({});
      expect(await ringcxAssignment(onGate.dnis)).toMatchObject({ gate: { gateId: gateOf(onGate).gateId } });
    });

    it('restores the previous assignment, description and active flag when adding the new one fails', async () => {
      await injectFaults(graph.sandbox.servers.ringcx.baseUrl, {
        rules: [{ match: `PUT /voice/api/v1/admin/utilities/tnManager/assignedDnis/gates/{gateId}`, error: { status: 500, message: 'gate is locked' }, times: 3 }],
      });
      const payload = await mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) } });
      expect(payload.userErrors).toEqual([
        {
          code: 'ROLLED_BACK',
          field: ['input', 'destination'],
          message: `ringcx PUT /voice/api/v1/admin/utilities/tnManager/assignedDnis/gates/${otherGate.gateId} failed with 500: gate is locked; the previous routing to RingCX queue "${gateOf(onGate).gateName}" was restored`,
        },
      ]);
      expect(payload.assignment).toMatchObject({ destination: { name: gateOf(onGate).gateName } });
      expect(await ringcxAssignment(onGate.dnis)).toMatchObject({ gate: { gateId: gateOf(onGate).gateId }, dnisDescription: onGate.assignedDnis!.dnisDescription, isActive: true });
      // One DELETE; the new PUT tried 3 times (retries of an idempotent call); one PUT to restore.
      expect(await writes()).toEqual({
        'DELETE /voice/api/v1/admin/utilities/tnManager/assignedDnis/{dnis}': 1,
        'PUT /voice/api/v1/admin/utilities/tnManager/assignedDnis/gates/{gateId}': 4,
      });
    });

    it('refuses to move a number that routes nowhere: that is an assignment', async () => {
      const payload = await mutate(REASSIGN, { phoneNumber: e164Of(unassigned), destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) } });
      expect(payload.userErrors).toEqual([{ code: 'NOT_ASSIGNED', field: ['input', 'phoneNumber'], message: `${e164Of(unassigned)} routes nowhere at ringcx; use assignPhoneNumber` }]);
      expect(await writes()).toEqual({});
    });

    it('reports PROVIDER_UNAVAILABLE, with nothing changed (read back), when the first step fails', async () => {
      await injectFaults(graph.sandbox.servers.ringcx.baseUrl, { rules: [{ match: 'DELETE *', error: { status: 503, message: 'maintenance' } }] });
      const payload = await mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) } });
      expect(payload.userErrors).toEqual([
        { code: 'PROVIDER_UNAVAILABLE', field: ['input'], message: `ringcx DELETE /voice/api/v1/admin/utilities/tnManager/assignedDnis/${onGate.dnis} failed with 503: maintenance; nothing was changed (read back from ringcx)` },
      ]);
      await injectFaults(graph.sandbox.servers.ringcx.baseUrl, {});
      expect(await ringcxAssignment(onGate.dnis)).toMatchObject({ gate: { gateId: gateOf(onGate).gateId } });
    });

    it('keeps the change journaled when restoring fails too, and recovery then finishes it', async () => {
      await injectFaults(graph.sandbox.servers.ringcx.baseUrl, { rules: [{ match: 'PUT */assignedDnis/gates/*', error: { status: 500, message: 'gates down' } }] });
      const payload = await mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) } });
      expect(payload.userErrors.map((e) => e.code)).toEqual(['RECOVERY_PENDING']);
      expect(payload.userErrors[0]!.message).toMatch(/The change is journaled as [0-9a-f-]{36}; recovery will finish or undo it\.$/);
      // The number routes nowhere now; the intent is still open.
      await injectFaults(graph.sandbox.servers.ringcx.baseUrl, {});
      expect(await ringcxAssignment(onGate.dnis)).toBeNull();
      expect((await graph.server.services.store.journal.open()).map((i) => [i.phoneNumber, i.step])).toEqual([[e164Of(onGate), 'restoring']]);

      expect(await graph.server.recover()).toEqual([
        { intentId: expect.any(String), phoneNumber: e164Of(onGate), result: 'finished', detail: 'the interrupted move was finished' },
      ]);
      expect(await ringcxAssignment(onGate.dnis)).toMatchObject({ gate: { gateId: otherGate.gateId }, dnisDescription: onGate.assignedDnis!.dnisDescription });
      expect(await graph.server.services.store.journal.open()).toEqual([]);
    });

    it('lets exactly one of two concurrent reassigns of a number win', async () => {
      await injectFaults(graph.sandbox.servers.ringcx.baseUrl, { rules: [{ match: 'DELETE *', latencyMs: 300 }] });
      const to = { queue: gid('Queue', otherGate.accountId, otherGate.gateId) };
      const [a, b] = await Promise.all([
        mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: to }),
        mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: to }),
      ]);
      const errors = [a!, b!].map((p) => p.userErrors.map((e) => e.code));
      expect(errors.sort()).toEqual([[], ['CHANGE_IN_PROGRESS']]);
      expect(await writes()).toEqual({
        'DELETE /voice/api/v1/admin/utilities/tnManager/assignedDnis/{dnis}': 1,
        'PUT /voice/api/v1/admin/utilities/tnManager/assignedDnis/gates/{gateId}': 1,
      });
    });

    it('moves a RingCentral number between extensions in one PATCH', async () => {
      const direct = (await collect(clients.ringcentral!.listPhoneNumbersV2({ usageType: ['DirectNumber'] }))).find((n) => n.extension)!;
      const other = (await collect(clients.ringcentral!.listExtensions({ type: ['User'], status: ['Enabled'] }))).find((e) => e.id !== direct.extension!.id)!;
      const payload = await mutate(REASSIGN, { phoneNumber: direct.phoneNumber, destination: { extension: gid('Extension', other.id) }, expectedCurrent: { extension: gid('Extension', direct.extension!.id) } });
      expect(payload).toMatchObject({ userErrors: [], previous: { destination: { id: gid('Extension', direct.extension!.id) } }, assignment: { destination: { id: gid('Extension', other.id) } } });
      expect((payload.plan as { call: string }[]).map((p) => p.call)).toEqual([`PATCH /restapi/v2/accounts/~/phone-numbers/${direct.id}`]);
      const [after] = await clients.ringcentral!.getPhoneNumbers([direct.id]);
      expect(after).toMatchObject({ phoneNumber: { extension: { id: other.id } } });
    });
  });

  describe('unassignPhoneNumber', () => {
    it('needs the current destination confirmed, or force', async () => {
      const payload = await mutate(UNASSIGN, { phoneNumber: e164Of(onGate) });
      expect(payload.userErrors).toEqual([
        { code: 'CONFIRMATION_REQUIRED', field: ['input', 'currentDestination'], message: 'Unassigning changes where calls go: confirm the current destination in currentDestination, or set force' },
      ]);
      expect(await writes()).toEqual({});
    });

    it('refuses a wrong confirmation and unassigns with the right one', async () => {
      const wrong = await mutate(UNASSIGN, { phoneNumber: e164Of(onGate), currentDestination: { queue: gid('Queue', otherGate.accountId, otherGate.gateId) } });
      expect(wrong.userErrors.map((e) => e.code)).toEqual(['CURRENT_DESTINATION_MISMATCH']);
      const from = gateOf(onGate);
      const right = await mutate(UNASSIGN, { phoneNumber: e164Of(onGate), currentDestination: { queue: gid('Queue', from.accountId!, from.gateId) } });
      expect(right).toEqual({
        previous: { provider: 'RINGCX', destination: { __typename: 'Queue', id: gid('Queue', from.accountId!, from.gateId) } },
        phoneNumber: { e164: e164Of(onGate), assignments: [] },
        userErrors: [],
      });
      expect(await ringcxAssignment(onGate.dnis)).toBeNull();
    });

    it('with force, asks which provider when several route the number', async () => {
      const shared = (await graph.query<{ phoneNumbers: { nodes: { e164: string; assignments: { provider: string }[] }[] } }>('{ phoneNumbers(first: 500, filter: { providers: [RINGCX] }) { nodes { e164 assignments { provider } } } }')).body.data!.phoneNumbers.nodes.find(
        (n) => n.assignments.length === 2,
      )!;
      const payload = await mutate(UNASSIGN, { phoneNumber: shared.e164, force: true });
      expect(payload.userErrors).toEqual([{ code: 'PROVIDER_REQUIRED', field: ['input', 'provider'], message: `${shared.e164} routes at ringcx and ringcentral: say which provider's routing to remove` }]);
      // That RingCX routing backs a tracking number: unassigning it says so, and takes the explicit detach.
      const refused = await mutate(UNASSIGN, { phoneNumber: shared.e164, force: true, provider: 'RINGCX' });
      expect(refused.userErrors.map((e) => e.code)).toEqual(['TRACKING_NUMBER_ATTACHED']);
      const forced = await mutate(UNASSIGN, { phoneNumber: shared.e164, force: true, provider: 'RINGCX', detachTrackingNumber: true });
      expect(forced.userErrors).toEqual([]);
      expect(forced.phoneNumber).toEqual({ e164: shared.e164, assignments: [{ provider: 'RINGCENTRAL' }] });
    });
  });

  describe('history', () => {
    it('records every mutation, newest first, with the actor from the request header', async () => {
      // A fresh store, so the history holds only this test's changes.
      const fresh = await startGraph();
      const run = async (query: string, input: Record<string, unknown>, headers: Record<string, string> = {}) =>
        (await fresh.query(query, { input }, headers)).body;
      const number = e164Of(onGate);
      const from = gateOf(onGate);
      const to = { queue: gid('Queue', otherGate.accountId, otherGate.gateId) };
      await run(REASSIGN, { phoneNumber: number, destination: to, dryRun: true }, { 'x-switchboard-actor': 'ana@example.com' });
      await run(REASSIGN, { phoneNumber: number, destination: to }, { 'x-switchboard-actor': 'ana@example.com' });
      await run(ASSIGN, { phoneNumber: number, destination: { queue: gid('Queue', from.accountId!, from.gateId) } });
      const { body } = await fresh.query<{ phoneNumber: { history: { totalCount: number; nodes: Record<string, unknown>[] } } }>(HISTORY, { e164: number });
      await fresh.close();
      const nodes = body.data!.phoneNumber.history.nodes;
      expect(nodes.map((n) => [n.actor, n.operation, n.outcome])).toEqual([
        ['anonymous', 'assignPhoneNumber', 'REJECTED'],
        ['ana@example.com', 'reassignPhoneNumber', 'SUCCEEDED'],
        ['ana@example.com', 'reassignPhoneNumber', 'DRY_RUN'],
      ]);
      expect(nodes[1]).toMatchObject({
        before: { provider: 'ringcx', destination: { type: 'Queue', gateId: gateOf(onGate).gateId }, description: onGate.assignedDnis!.dnisDescription, active: true },
        after: { provider: 'ringcx', destination: { type: 'Queue', gateId: otherGate.gateId }, active: true },
        detail: null,
      });
      expect(nodes[0]!.detail).toMatch(/^ALREADY_ASSIGNED: /);
    });
  });
});


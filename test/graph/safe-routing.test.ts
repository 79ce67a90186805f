import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ProviderClients } from '../../src/providers/index.js';
import type { DnisRecord } from '../../src/providers/ringcx/index.js';
import type { ZendeskPhoneNumber } from '../../src/providers/zendesk/index.js';
import { collect } from '../support/collect.js';
import { startGraph, type GraphHarness } from '../support/graph.js';
import { injectFaults } from '../support/sandbox.js';

const gid = (type: string, ...key: string[]) => Buffer.from([type, ...key].join(':')).toString('base64url');

const DESTINATION = `__typename ... on Queue { id name } ... on VisualIvr { id } ... on TrackingNumber { id } ... on Extension { id } ... on ZendeskGroup { id } ... on ZendeskIvr { id }`;
const ASSIGNMENT = `provider active description destination { ${DESTINATION} } fallbackDestinations { ${DESTINATION} }`;
const REASSIGN = `mutation Reassign($input: ReassignPhoneNumberInput!) {
  reassignPhoneNumber(input: $input) {
    previous { ${ASSIGNMENT} }
    assignment { ${ASSIGNMENT} }
    plannedAssignment { ${ASSIGNMENT} }
    plan { call }
    change { id status operation detail }
    userErrors { field message code retryAfterSeconds }
  }
}`;
const ASSIGN = `mutation Assign($input: AssignPhoneNumberInput!) {
  assignPhoneNumber(input: $input) { assignment { ${ASSIGNMENT} } change { status } userErrors { field message code } }
}`;
const UNASSIGN = `mutation Unassign($input: UnassignPhoneNumberInput!) {
  unassignPhoneNumber(input: $input) { previous { provider } change { status } userErrors { field message code } }
}`;
const NUMBER = `query Number($e164: String!) { phoneNumber(e164: $e164) { assignments { ${ASSIGNMENT} } } }`;

const TNM = '/voice/api/v1/admin/utilities/tnManager/assignedDnis';
const ASSIGNED_GET = `GET ${TNM}/{dnis}`;
const ASSIGNED_DELETE = `DELETE ${TNM}/{dnis}`;
const GATE_PUT = `PUT ${TNM}/gates/{gateId}`;

type UserError = { field: string[]; message: string; code: string; retryAfterSeconds?: number | null };
type Payload = { userErrors: UserError[]; change?: { id: string; status: string; operation: string; detail: string | null } | null; [key: string]: unknown };

/**
 * The safety rules of routing changes (issue 7), each driven over HTTP
 * against the sandbox as an admin would, and each outcome confirmed through
 * the provider's own API rather than only through our payload.
 */
describe('safe routing changes', () => {
  let graph: GraphHarness;
  let clients: ProviderClients;
  let records: DnisRecord[];
  let onGate: DnisRecord;
  let gates: { accountId: string; gateId: string; gateName: string }[];

  const e164Of = (record: DnisRecord) => `+${record.dnis}`;
  const queueId = (gate: { accountId?: string; gateId: string }) => gid('Queue', gate.accountId!, gate.gateId);
  const mutate = async (query: string, input: Record<string, unknown>) => {
    const { status, body } = await graph.query<Record<string, Payload>>(query, { input });
    expect([status, body.errors]).toEqual([200, undefined]);
    return Object.values(body.data!)[0]!;
  };
  const ringcx = () => graph.sandbox.servers.ringcx.baseUrl;
  /** Provider writes since the last reset, by route (reads left out). */
  const writes = async () => {
    const all = await graph.stats();
    return Object.fromEntries(
      Object.values(all)
        .flatMap((s) => Object.entries(s.byRoute))
        .filter(([route]) => /^(PUT|PATCH|POST|DELETE) /.test(route) && !/oauth|auth\/|__sandbox|searchDnis|tnManager\/search$/.test(route)),
    );
  };
  const history = async (e164: string) =>
    (
      await graph.query<{ phoneNumber: { history: { nodes: { operation: string; outcome: string; changeId: string | null; detail: string | null }[] } } }>(
        'query($n: String!) { phoneNumber(e164: $n) { history(first: 20) { nodes { operation outcome changeId detail } } } }',
        { n: e164 },
      )
    ).body.data!.phoneNumber.history.nodes;

  beforeAll(async () => {
    graph = await startGraph();
    clients = graph.backends.clients;
    records = (await clients.ringcx!.searchDnis()).records;
    onGate = records.find((r) => r.assignedDnis?.gate && r.assignedDnis.isActive !== false && r.assignedDnis.dnisDescription)!;
    const seen = new Map<string, { accountId: string; gateId: string; gateName: string }>();
    for (const r of records) {
      const gate = r.assignedDnis?.gate;
      if (gate && r.accountId === onGate.accountId && gate.gateId !== onGate.assignedDnis!.gate!.gateId) seen.set(gate.gateId, { accountId: r.accountId!, gateId: gate.gateId, gateName: gate.gateName! });
    }
    gates = [...seen.values()];
    expect(gates.length).toBeGreaterThanOrEqual(10);
  });
  afterAll(async () => graph.close());
  beforeEach(async () => {
    await graph.reset();
    // A test that leaves a change open must not lock the next test's number.
    expect(await graph.server.services.store.journal.open()).toEqual([]);
  });

  describe('an answer lost, then an outage', () => {
    it('says the outcome is unknown, keeps the change open, and recovery finishes it once RingCX answers', async () => {
      const from = onGate.assignedDnis!.gate!;
      const to = gates[0]!;
      await injectFaults(ringcx(), {
        rules: [
          // RingCX carries out the DELETE but the answer never arrives…
          { match: ASSIGNED_DELETE, drop: true, times: 1 },
          // …and then fails: the retried DELETE, and every read after the plan's two.
          { match: ASSIGNED_DELETE, error: { status: 503, message: 'maintenance' } },
          { match: ASSIGNED_GET, error: { status: 503, message: 'maintenance' }, after: 2 },
        ],
      });
      const payload = await mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: queueId(to) } });

      expect(payload.userErrors).toHaveLength(1);
      expect(payload.userErrors[0]).toMatchObject({ code: 'OUTCOME_UNKNOWN', field: ['input'] });
      expect(payload.userErrors[0]!.message).toContain('did not confirm the change');
      expect(payload.userErrors[0]!.message).not.toContain('nothing was changed');
      expect(payload.assignment).toBeNull();
      expect(payload.change).toMatchObject({ status: 'IN_PROGRESS', operation: 'reassignPhoneNumber' });
      const open = await graph.server.services.store.journal.open();
      expect(open.map((i) => [i.id, i.phoneNumber, i.step])).toEqual([[payload.change!.id, e164Of(onGate), 'removing']]);

      // The DELETE did happen: the number routes nowhere until recovery.
      await injectFaults(ringcx(), {});
      expect(await clients.ringcx!.getAssignedDnis(onGate.dnis)).toBeNull();

      // While RingCX is still down, a sweep leaves it open: unknown is not failed.
      await injectFaults(ringcx(), { rules: [{ match: ASSIGNED_GET, error: { status: 503, message: 'still down' } }] });
      expect(await graph.server.recover()).toEqual([expect.objectContaining({ intentId: payload.change!.id, result: 'still_open' })]);
      await injectFaults(ringcx(), {});

      expect(await graph.server.recover()).toEqual([
        { intentId: payload.change!.id, phoneNumber: e164Of(onGate), result: 'finished', detail: 'the interrupted move was finished' },
      ]);
      expect(await clients.ringcx!.getAssignedDnis(onGate.dnis)).toMatchObject({ gate: { gateId: to.gateId }, dnisDescription: onGate.assignedDnis!.dnisDescription, isActive: true });
      expect(await graph.server.services.store.journal.open()).toEqual([]);

      const change = await graph.query<{ routingChange: { status: string; detail: string } }>('query($id: ID!) { routingChange(id: $id) { status detail } }', { id: payload.change!.id });
      expect(change.body.data!.routingChange).toEqual({ status: 'DONE', detail: 'recovered: the interrupted move was finished' });
      expect((await history(e164Of(onGate))).slice(0, 2)).toEqual([
        { operation: 'reassignPhoneNumber', outcome: 'RECOVERY_FINISHED', changeId: payload.change!.id, detail: 'the interrupted move was finished' },
        { operation: 'reassignPhoneNumber', outcome: 'UNKNOWN', changeId: payload.change!.id, detail: expect.stringContaining('did not confirm the change') },
      ]);
      void from;
    });

    it('never says "nothing was changed" without a read proving it: a lost answer read back is a success', async () => {
      const to = gates[1]!;
      await injectFaults(ringcx(), { rules: [{ match: GATE_PUT, drop: true, times: 1 }, { match: GATE_PUT, error: { status: 503, message: 'busy' } }] });
      const payload = await mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: queueId(to) } });
      expect(payload.userErrors).toEqual([]);
      expect(payload.assignment).toMatchObject({ destination: { id: queueId(to) } });
      expect(payload.change).toMatchObject({ status: 'DONE' });
      expect(await clients.ringcx!.getAssignedDnis(onGate.dnis)).toMatchObject({ gate: { gateId: to.gateId } });
    });
  });

  describe('destinations are verified before anything is removed', () => {
    const visualIvrOf = (r: DnisRecord) => r.assignedDnis?.visualIvr?.visualIvrId;

    it('refuses a Visual IVR no number routes to, in the dry run too, with zero provider writes', async () => {
      for (const dryRun of [true, false]) {
        const payload = await mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { visualIvr: gid('VisualIvr', '990099') }, dryRun });
        expect(payload.userErrors).toEqual([
          {
            code: 'DESTINATION_NOT_FOUND',
            field: ['input', 'destination', 'visualIvr'],
            message: expect.stringContaining('RingCX Visual IVR 990099') as unknown as string,
            retryAfterSeconds: null,
          },
        ]);
        expect(payload.userErrors[0]!.message).toContain('allowUnverifiedDestination');
        expect(payload.change).toBeNull();
      }
      expect(await writes()).toEqual({});
      expect(await clients.ringcx!.getAssignedDnis(onGate.dnis)).toMatchObject({ gate: { gateId: onGate.assignedDnis!.gate!.gateId } });
    });

    it('accepts a Visual IVR some number routes to, and an unverified one only when the input allows it', async () => {
      const ivr = records.map(visualIvrOf).find(Boolean)!;
      const dry = await mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { visualIvr: gid('VisualIvr', ivr) }, dryRun: true });
      expect(dry).toMatchObject({ userErrors: [], plannedAssignment: { destination: { __typename: 'VisualIvr', id: gid('VisualIvr', ivr) } } });

      // Allowed through, the unknown IVR is refused by RingCX at the add step, and the old routing is restored.
      const payload = await mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { visualIvr: gid('VisualIvr', '990099') }, allowUnverifiedDestination: true });
      expect(payload.userErrors.map((e) => e.code)).toEqual(['ROLLED_BACK']);
      expect(payload.change).toMatchObject({ status: 'ROLLED_BACK' });
      expect(await clients.ringcx!.getAssignedDnis(onGate.dnis)).toMatchObject({ gate: { gateId: onGate.assignedDnis!.gate!.gateId }, isActive: true });
    });

    it.each([
      ['queue', () => gid('Queue', onGate.accountId!, '999999'), 'RingCX queue'],
      ['cloudRouteProfile', () => gid('CloudRouteProfile', '999999'), 'RingCX cloud route profile 999999'],
      ['extension', () => gid('Extension', '999999'), 'RingCentral extension 999999'],
      ['zendeskGroup', () => gid('ZendeskGroup', '999999'), 'Zendesk group 999999'],
    ])('refuses an unknown %s from its provider\'s list, with zero writes', async (field, id, what) => {
      const payload = await mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { [field]: id() }, dryRun: true });
      expect(payload.userErrors).toEqual([{ code: 'DESTINATION_NOT_FOUND', field: ['input', 'destination', field], message: expect.stringContaining(what) as unknown as string, retryAfterSeconds: null }]);
      expect(await writes()).toEqual({});
    });
  });

  describe('tracking numbers are routing too', () => {
    let tracked: DnisRecord;
    beforeAll(() => {
      tracked = records.find((r) => r.assignedDnis?.tracNumber && r.assignedDnis.isActive !== false)!;
      expect(tracked).toBeDefined();
    });

    it('refuses to move or unassign a DNIS that backs a tracking number, naming it, in the dry run too', async () => {
      const name = tracked.assignedDnis!.tracNumber!.description!;
      for (const dryRun of [true, false]) {
        const payload = await mutate(REASSIGN, { phoneNumber: e164Of(tracked), destination: { queue: queueId(gates[0]!) }, dryRun });
        expect(payload.userErrors).toEqual([
          {
            code: 'TRACKING_NUMBER_ATTACHED',
            field: ['input', 'phoneNumber'],
            message: `${e164Of(tracked)} backs RingCX tracking number "${name}"; to move it would leave that tracking number without a number. Set detachTrackingNumber to move it anyway; nothing was changed`,
            retryAfterSeconds: null,
          },
        ]);
      }
      const unassign = await mutate(UNASSIGN, { phoneNumber: e164Of(tracked), force: true, provider: 'RINGCX' });
      expect(unassign.userErrors.map((e) => e.code)).toEqual(['TRACKING_NUMBER_ATTACHED']);
      expect(await writes()).toEqual({});
      const { accountId, tracGroupId, tracId } = trackingKey(tracked);
      expect((await clients.ringcx!.getTracNumber(accountId, tracGroupId, tracId)).assignedDnis).toMatchObject({ dnis: tracked.dnis });
    });

    it('moves it when the input explicitly detaches the tracking number', async () => {
      const payload = await mutate(REASSIGN, { phoneNumber: e164Of(tracked), destination: { queue: queueId(gates[0]!) }, detachTrackingNumber: true });
      expect(payload.userErrors).toEqual([]);
      expect(payload.previous).toMatchObject({ destination: { __typename: 'TrackingNumber' } });
      expect(await clients.ringcx!.getAssignedDnis(tracked.dnis)).toMatchObject({ gate: { gateId: gates[0]!.gateId } });
      const { accountId, tracGroupId, tracId } = trackingKey(tracked);
      expect((await clients.ringcx!.getTracNumber(accountId, tracGroupId, tracId)).assignedDnis ?? null).toBeNull();
    });

    it('journals the tracking mutations: lock, history and change like every routing change', async () => {
      const { accountId, tracGroupId, tracId } = trackingKey(tracked);
      const id = gid('TrackingNumber', accountId, tracGroupId, tracId);
      const update = `mutation($input: UpdateTrackingNumberInput!) { updateTrackingNumber(input: $input) { trackingNumber { active } change { status operation } userErrors { code field message } } }`;
      const off = await mutate(update, { id, active: false });
      expect(off).toEqual({ trackingNumber: { active: false }, change: { status: 'DONE', operation: 'updateTrackingNumber' }, userErrors: [] });
      expect(await clients.ringcx!.getAssignedDnis(tracked.dnis)).toMatchObject({ isActive: false });
      expect((await history(e164Of(tracked)))[0]).toMatchObject({ operation: 'updateTrackingNumber', outcome: 'SUCCEEDED', changeId: expect.any(String) });

      // A change in progress on the DNIS locks it for the tracking mutations too.
      await graph.server.services.store.journal.begin({ phoneNumber: e164Of(tracked), provider: 'ringcx', operation: 'test', actor: 'test', plan: {}, step: 'locked' });
      try {
        const locked = await mutate(update, { id, active: true });
        expect(locked).toMatchObject({ trackingNumber: null, change: null, userErrors: [{ code: 'CHANGE_IN_PROGRESS' }] });
        expect(await clients.ringcx!.getAssignedDnis(tracked.dnis)).toMatchObject({ isActive: false });
      } finally {
        for (const intent of await graph.server.services.store.journal.open()) await graph.server.services.store.journal.close(intent.id, 'failed', 'test');
      }
    });

    it('creates a tracking number through the journal, and refuses an unknown group before any write', async () => {
      const free = records.find((r) => r.accountId === onGate.accountId && !r.assignedDnis)!;
      const group = (await clients.ringcx!.listTracGroups(onGate.accountId!))[0]!;
      const create = `mutation($input: CreateTrackingNumberInput!) { createTrackingNumber(input: $input) { trackingNumber { description active } change { status operation } userErrors { code field message } } }`;
      const unknown = await mutate(create, { group: gid('TrackingGroup', onGate.accountId!, '999999'), phoneNumber: e164Of(free), description: 'Spring mailer' });
      expect(unknown).toEqual({ trackingNumber: null, change: null, userErrors: [{ code: 'DESTINATION_NOT_FOUND', field: ['input', 'group'], message: `RingCX tracking group ${onGate.accountId}/999999 does not exist` }] });
      expect(await writes()).toEqual({});

      const created = await mutate(create, { group: gid('TrackingGroup', onGate.accountId!, group.tracGroupId), phoneNumber: e164Of(free), description: 'Spring mailer' });
      expect(created).toEqual({ trackingNumber: { description: 'Spring mailer', active: true }, change: { status: 'DONE', operation: 'createTrackingNumber' }, userErrors: [] });
      expect(await clients.ringcx!.getAssignedDnis(free.dnis)).toMatchObject({ tracNumber: { description: 'Spring mailer' } });
    });
  });

  describe('Zendesk keeps what it was not asked to change', () => {
    let multi: ZendeskPhoneNumber;
    beforeAll(async () => {
      multi = (await collect(clients.zendesk!.listPhoneNumbers())).find((n) => !n.ivr_id && n.group_ids.length >= 2 && !n.external)!;
      expect(multi).toBeDefined();
    });

    it('moves only the main group, keeps the overflow groups, and shows them all before and after', async () => {
      const [main, ...overflow] = [multi.default_group_id ?? multi.group_ids[0]!, ...multi.group_ids.filter((g) => g !== (multi.default_group_id ?? multi.group_ids[0]))];
      const target = (await collect(clients.zendesk!.listGroups())).find((g) => !g.deleted && !multi.group_ids.includes(g.id))!;
      const groupRef = (id: string) => ({ __typename: 'ZendeskGroup', id: gid('ZendeskGroup', id) });

      const query = await graph.query<{ phoneNumber: { assignments: unknown[] } }>(NUMBER, { e164: multi.number });
      const shown = query.body.data!.phoneNumber.assignments.find((a) => (a as { provider: string }).provider === 'ZENDESK');
      const payload = await mutate(REASSIGN, { phoneNumber: multi.number, destination: { zendeskGroup: gid('ZendeskGroup', target.id) } });
      expect(payload.userErrors).toEqual([]);
      // What a query shows is exactly what the change calls `previous`.
      expect(payload.previous).toEqual(shown);
      expect(payload.previous).toMatchObject({ destination: groupRef(main!), fallbackDestinations: overflow.map(groupRef) });
      expect(payload.assignment).toMatchObject({ destination: groupRef(target.id), fallbackDestinations: overflow.map(groupRef) });
      expect(await clients.zendesk!.getPhoneNumber(multi.id)).toMatchObject({ group_ids: [target.id, ...overflow], default_group_id: target.id, ivr_id: null });
    });
  });

  describe('compare-and-set, always', () => {
    it('lets exactly one of 10 concurrent reassigns without expectedCurrent succeed', async () => {
      // Slow writes keep every request's plan read before the winner's first write lands.
      await injectFaults(ringcx(), { rules: [{ match: ASSIGNED_DELETE, latencyMs: 600 }, { match: GATE_PUT, latencyMs: 300 }] });
      const targets = gates.slice(0, 10);
      const payloads = await Promise.all(targets.map((gate) => mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: queueId(gate) } })));
      const winners = payloads.map((p, i) => [p, targets[i]!] as const).filter(([p]) => p.userErrors.length === 0);
      expect(winners).toHaveLength(1);
      for (const p of payloads.filter((p) => p.userErrors.length > 0)) {
        expect(p.userErrors.map((e) => e.code)).toEqual([expect.stringMatching(/^(CHANGE_IN_PROGRESS|CURRENT_DESTINATION_MISMATCH)$/)]);
        expect(p.userErrors[0]!.message).toContain('nothing was changed');
      }
      const [, won] = winners[0]!;
      expect(await clients.ringcx!.getAssignedDnis(onGate.dnis)).toMatchObject({ gate: { gateId: won.gateId } });
      expect(await writes()).toEqual({ [ASSIGNED_DELETE]: 1, [GATE_PUT]: 1 });
    });

    it('refuses a change whose number moved between the plan read and the lock', async () => {
      // Another tool moves the number after our plan read, while the compare-and-set read is in flight.
      const other = gates[2]!;
      await injectFaults(ringcx(), { rules: [{ match: ASSIGNED_GET, latencyMs: 500, after: 1, times: 1 }] });
      const pending = mutate(REASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: queueId(gates[3]!) } });
      await until(async () => ((await graph.stats()).ringcx.byRoute[ASSIGNED_GET] ?? 0) >= 2);
      await clients.ringcx!.deleteAssignedDnis(onGate.dnis);
      await clients.ringcx!.assignToGate(other.gateId, [{ dnis: onGate.dnis, isActive: true }]);
      const payload = await pending;
      expect(payload.userErrors.map((e) => e.code)).toEqual(['CURRENT_DESTINATION_MISMATCH']);
      expect(payload.change).toMatchObject({ status: 'FAILED' });
      expect(await clients.ringcx!.getAssignedDnis(onGate.dnis)).toMatchObject({ gate: { gateId: other.gateId } });
    });
  });

  describe('nothing changes unless asked', () => {
    it('keeps a disabled routing disabled when the number is assigned to the destination it is on', async () => {
      const gate = onGate.assignedDnis!.gate!;
      await clients.ringcx!.assignToGate(gate.gateId, [{ dnis: onGate.dnis, isActive: false, dnisDescription: onGate.assignedDnis!.dnisDescription! }]);
      const payload = await mutate(ASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: queueId(gate) } });
      expect(payload.userErrors).toEqual([]);
      expect(payload.assignment).toMatchObject({ active: false, description: onGate.assignedDnis!.dnisDescription });
      expect(await clients.ringcx!.getAssignedDnis(onGate.dnis)).toMatchObject({ isActive: false, dnisDescription: onGate.assignedDnis!.dnisDescription, gate: { gateId: gate.gateId } });

      const enabled = await mutate(ASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: queueId(gate) }, active: true });
      expect(enabled.assignment).toMatchObject({ active: true });
      expect(await clients.ringcx!.getAssignedDnis(onGate.dnis)).toMatchObject({ isActive: true });
    });
  });

  describe('what a provider cannot set is refused, not ignored', () => {
    it('refuses an active flag or description for a Zendesk routing, naming the field, with zero writes', async () => {
      const number = (await collect(clients.zendesk!.listPhoneNumbers())).find((n) => !n.ivr_id && n.group_ids.length > 0 && !n.external)!;
      const group = (await collect(clients.zendesk!.listGroups())).find((g) => !g.deleted && !number.group_ids.includes(g.id))!;
      const payload = await mutate(REASSIGN, { phoneNumber: number.number, destination: { zendeskGroup: gid('ZendeskGroup', group.id) }, active: false, description: 'VIP line' });
      expect(payload.userErrors).toEqual([
        { code: 'INVALID_INPUT', field: ['input', 'description'], message: 'zendesk keeps no routing description Switchboard can set; leave description out', retryAfterSeconds: null },
        { code: 'INVALID_INPUT', field: ['input', 'active'], message: 'zendesk has no active flag Switchboard can set on a routing; leave active out', retryAfterSeconds: null },
      ]);
      expect(await writes()).toEqual({});
    });
  });

  describe('one reading of routing', () => {
    it('shows in a query exactly what a dry run calls previous, at Zendesk (+15125049851) and at RingCentral', async () => {
      const shownFor = async (e164: string) => (await graph.query<{ phoneNumber: { assignments: { provider: string }[] } }>(NUMBER, { e164 })).body.data!.phoneNumber.assignments;
      const rcNumbers = await collect(clients.ringcentral!.listPhoneNumbersV2({ usageType: ['DirectNumber'] }));
      // A pending number takes no calls: both readings must say it is not active.
      const direct = rcNumbers.find((n) => n.extension && n.status === 'Pending') ?? rcNumbers.find((n) => n.extension)!;
      const extension = (await collect(clients.ringcentral!.listExtensions({ type: ['User'], status: ['Enabled'] }))).find((e) => e.id !== direct.extension!.id)!;
      const group = (await collect(clients.zendesk!.listGroups())).find((g) => !g.deleted)!;
      for (const [e164, provider, destination] of [
        ['+15125049851', 'ZENDESK', { zendeskGroup: gid('ZendeskGroup', group.id) }],
        [direct.phoneNumber, 'RINGCENTRAL', { extension: gid('Extension', extension.id) }],
      ] as const) {
        const shown = (await shownFor(e164)).find((a) => a.provider === provider);
        expect(shown).toBeDefined();
        const dry = await mutate(REASSIGN, { phoneNumber: e164, destination, dryRun: true });
        expect(dry.userErrors).toEqual([]);
        expect(dry.previous).toEqual(shown);
      }
      expect(await writes()).toEqual({});
    });
  });

  describe('bounded input', () => {
    it('refuses oversize fields before anything is stored, naming each field', async () => {
      const store = graph.server.services.store;
      const before = (await store.audit.forNumber(e164Of(onGate), { limit: 1000 })).total;
      const huge = '1'.repeat(5 * 1024 * 1024);
      const payload = await mutate(REASSIGN, { phoneNumber: huge, destination: { queue: queueId(gates[0]!) }, description: 'd'.repeat(501) });
      expect(payload.userErrors).toEqual([
        { code: 'INPUT_TOO_LONG', field: ['input', 'phoneNumber'], message: `phoneNumber is ${huge.length} characters long; the limit is 64`, retryAfterSeconds: null },
        { code: 'INPUT_TOO_LONG', field: ['input', 'description'], message: 'description is 501 characters long; the limit is 500', retryAfterSeconds: null },
      ]);
      const ids = await mutate(ASSIGN, { phoneNumber: e164Of(onGate), destination: { queue: 'q'.repeat(257) } });
      expect(ids.userErrors).toEqual([{ code: 'INPUT_TOO_LONG', field: ['input', 'destination', 'queue'], message: 'queue is 257 characters long; the limit is 256' }]);
      expect((await store.audit.forNumber(e164Of(onGate), { limit: 1000 })).total).toBe(before);
      expect(await writes()).toEqual({});
    });

    it('stores bounded text in the history whatever a caller manages to send', async () => {
      const store = graph.server.services.store;
      await store.audit.write({ actor: 'a'.repeat(10_000), operation: 'test', phoneNumber: '+15550000000', outcome: 'REJECTED', detail: 'x'.repeat(1_000_000), before: { blob: 'y'.repeat(1_000_000) } });
      const [entry] = (await store.audit.forNumber('+15550000000', { limit: 1 })).entries;
      // Cut to the limit, with a note of how much was left out.
      expect(entry!.actor).toBe(`${'a'.repeat(200)}… [9800 more characters not kept]`);
      expect(entry!.detail!.length).toBeLessThanOrEqual(2100);
      expect(JSON.stringify(entry!.before).length).toBeLessThanOrEqual(8000);
    });
  });
  // Last: a 429 with Retry-After makes the RingCentral client hold back for two minutes, as it should.
  describe('say what really failed', () => {
    const rcLookup = 'GET /restapi/v1.0/account/{accountId}/phone-number/{phoneNumberId}';

    it('reports an unreadable RingCentral inventory as the provider\'s failure, not PHONE_NUMBER_NOT_FOUND', async () => {
      const direct = (await collect(clients.ringcentral!.listPhoneNumbersV2({ usageType: ['DirectNumber'] }))).find((n) => n.extension)!;
      const other = (await collect(clients.ringcentral!.listExtensions({ type: ['User'], status: ['Enabled'] }))).find((e) => e.id !== direct.extension!.id)!;
      await graph.query('{ phoneNumbers(first: 1) { totalCount } }');
      graph.server.services.cache.clear();
      await injectFaults(graph.sandbox.servers.ringcentral.baseUrl, { rules: [{ match: 'GET /restapi/*/phone-number*', error: { status: 503, message: 'down for maintenance' } }] });
      const payload = await mutate(REASSIGN, { phoneNumber: direct.phoneNumber, destination: { extension: gid('Extension', other.id) } });
      expect(payload.userErrors.map((e) => e.code)).toEqual(['PROVIDER_UNAVAILABLE']);
      expect(payload.userErrors[0]!.message).toContain('down for maintenance');
    });
    it('reports a rate-limited RingCentral read as PROVIDER_RATE_LIMITED with retryAfterSeconds, never "not found"', async () => {
      const direct = (await collect(clients.ringcentral!.listPhoneNumbersV2({ usageType: ['DirectNumber'] }))).find((n) => n.extension)!;
      const other = (await collect(clients.ringcentral!.listExtensions({ type: ['User'], status: ['Enabled'] }))).find((e) => e.id !== direct.extension!.id)!;
      await graph.query('{ phoneNumbers(first: 1) { totalCount } }');
      await injectFaults(graph.sandbox.servers.ringcentral.baseUrl, { rules: [{ match: rcLookup, error: { status: 429, message: 'Request rate exceeded', code: 'CMN-301', retryAfterSeconds: 120 } }] });
      const payload = await mutate(REASSIGN, { phoneNumber: direct.phoneNumber, destination: { extension: gid('Extension', other.id) } });
      expect(payload.userErrors).toEqual([{ code: 'PROVIDER_RATE_LIMITED', field: ['input', 'phoneNumber'], message: expect.stringContaining('nothing was changed. Try again in 120 s') as unknown as string, retryAfterSeconds: 120 }]);
      expect(await writes()).toEqual({});
    });

  });

});

/** Awaits a condition (a provider-side event the test cannot be told of), polling briefly. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function trackingKey(record: DnisRecord): { accountId: string; tracGroupId: string; tracId: string } {
  const t = record.assignedDnis!.tracNumber!;
  return { accountId: t.accountId ?? record.accountId!, tracGroupId: t.tracGroupId ?? t.groupId!, tracId: t.tracId };
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RcCompanyPhoneNumber } from '../../src/providers/ringcentral/index.js';
import { startGraph, type GraphHarness } from '../support/graph.js';
import { allPages, collect, EXTENSION_TYPE, globalId, readProviderTruth, sourcesOf, type ProviderTruth } from '../support/truth.js';

/**
 * The merge: each provider writes a number its own way (RingCX's DNIS
 * `12066103211`, RingCentral's and Ringyo's E.164, Zendesk's display format
 * `+1 (206) 423-9367`), and the graph shows one `PhoneNumber` per E.164 with
 * one source and one assignment per provider, each as that provider's own
 * API describes it. Nothing here changes provider state.
 */

const SOURCES = `sources {
  __typename provider providerId rawNumber
  ... on RingCxNumberSource { accountId accountName category description notes active carrier createdAt }
  ... on RingCentralNumberSource { usageType paymentType type provisioningStatus label features }
  ... on ZendeskNumberSource { displayNumber nickname groups { id } ivr { id } tollFree external capabilities { voice sms mms fax } }
  ... on RingyoNumberSource { friendlyName status region defaultAgent { id agentId } }
}`;

const ASSIGNMENTS = `assignments {
  id provider active description startDate endDate
  destination {
    __typename
    ... on Queue { id name queueGroup: group { name } }
    ... on TrackingNumber { id description }
    ... on Extension { id name extensionNumber type }
    ... on VoiceAgent { id agentId }
  }
}`;

const NUMBER = `query Number($e164: String!) { phoneNumber(e164: $e164) { id e164 ${SOURCES} ${ASSIGNMENTS} } }`;

/** RingCentral's values as the schema names them (those the seed uses). */
const USAGE: Record<string, string> = { DirectNumber: 'DIRECT_NUMBER', CompanyNumber: 'COMPANY_NUMBER', ContactCenterNumber: 'CONTACT_CENTER_NUMBER' };
const PAYMENT: Record<string, string> = { Local: 'LOCAL', TollFree: 'TOLL_FREE' };
const NUMBER_TYPE: Record<string, string> = { VoiceFax: 'VOICE_FAX', VoiceOnly: 'VOICE_ONLY', FaxOnly: 'FAX_ONLY' };
const NUMBER_STATUS: Record<string, string> = { Normal: 'NORMAL', PortedIn: 'PORTED_IN' };
const FEATURE: Record<string, string> = { CallerId: 'CALLER_ID', SmsSender: 'SMS_SENDER', A2PSmsSender: 'A2P_SMS_SENDER', MmsSender: 'MMS_SENDER', InternationalSmsSender: 'INTERNATIONAL_SMS_SENDER', Delegated: 'DELEGATED' };

describe('numbers merged across providers', () => {
  let graph: GraphHarness;
  let truth: ProviderTruth;

  beforeAll(async () => {
    graph = await startGraph();
    truth = await readProviderTruth(graph.backends.clients);
  });
  afterAll(async () => graph.close());

  const clients = () => graph.backends.clients;

  /** The RingCentral source of `e164`, read from RingCentral by its own lookups (v2 by number, v1 by id, the owner's number list). */
  async function ringcentralSource(e164: string) {
    const [v2] = await collect(clients().ringcentral!.listPhoneNumbersV2({ phoneNumber: e164 }));
    expect(v2).toBeDefined();
    const [lookup] = await clients().ringcentral!.getPhoneNumbers([v2!.id]);
    expect(lookup!.status).toBe('found');
    const v1 = (lookup as { phoneNumber: RcCompanyPhoneNumber }).phoneNumber;
    const ownerId = v2!.extension?.id;
    const features = ownerId ? (await collect(clients().ringcentral!.listExtensionPhoneNumbers(ownerId))).find((n) => n.id === v2!.id)!.features : [];
    const owner = ownerId ? await clients().ringcentral!.getExtension(ownerId) : undefined;
    return {
      v2: v2!,
      owner,
      source: {
        __typename: 'RingCentralNumberSource',
        provider: 'RINGCENTRAL',
        providerId: v2!.id,
        rawNumber: v2!.phoneNumber,
        usageType: USAGE[v2!.usageType],
        paymentType: PAYMENT[v1.paymentType!],
        type: NUMBER_TYPE[v2!.type!],
        provisioningStatus: NUMBER_STATUS[v2!.status!],
        label: v2!.label ?? null,
        features: features.map((f) => FEATURE[f]),
      },
    };
  }

  /** The RingCentral assignment of a number owned by `owner`. */
  function extensionAssignment(e164: string, v2: { label?: string }, owner: { id: string; name?: string; extensionNumber?: string; type: string }) {
    return {
      id: globalId('Assignment', 'ringcentral', e164),
      provider: 'RINGCENTRAL',
      active: true,
      description: v2.label ?? null,
      startDate: null,
      endDate: null,
      destination: { __typename: 'Extension', id: globalId('Extension', owner.id), name: owner.name, extensionNumber: owner.extensionNumber, type: EXTENSION_TYPE[owner.type] },
    };
  }

  it('shows the RingCX DNIS 12066103211 and RingCentral’s +12066103211 as one number, as each provider describes it', async () => {
    const pool = (await clients().ringcx!.getDnisPool('12066103211'))!;
    const routing = (await clients().ringcx!.getAssignedDnis('12066103211'))!;
    const account = truth.accounts.find((a) => a.accountId === pool.reservedAccountId)!;
    const rc = await ringcentralSource('+12066103211');
    // The case the product exists for: a call queue mid-migration, routed by both platforms.
    expect(pool.dnis).toBe('12066103211');
    expect(rc.v2).toMatchObject({ phoneNumber: '+12066103211', usageType: 'DirectNumber' });
    expect(rc.owner).toMatchObject({ type: 'Department' });
    const trac = routing.tracNumber!;

    const { body } = await graph.query(NUMBER, { e164: '12066103211' });
    expect(body).toEqual({
      data: {
        phoneNumber: {
          id: globalId('PhoneNumber', '+12066103211'),
          e164: '+12066103211',
          sources: [
            {
              __typename: 'RingCxNumberSource',
              provider: 'RINGCX',
              providerId: '12066103211',
              rawNumber: '12066103211',
              accountId: pool.reservedAccountId,
              accountName: account.accountName,
              category: pool.dnisCategory,
              description: pool.dnisDescription,
              notes: pool.notes,
              active: pool.active,
              carrier: pool.carrier,
              createdAt: pool.dateCreated!.toISOString(),
            },
            rc.source,
          ],
          assignments: [
            {
              id: globalId('Assignment', 'ringcx', '+12066103211'),
              provider: 'RINGCX',
              active: routing.isActive,
              description: routing.dnisDescription,
              startDate: routing.startDate!.toISOString(),
              endDate: null,
              destination: { __typename: 'TrackingNumber', id: globalId('TrackingNumber', trac.accountId!, trac.tracGroupId!, trac.tracId), description: trac.description },
            },
            extensionAssignment('+12066103211', rc.v2, rc.owner!),
          ],
        },
      },
    });
    expect(routing.endDate).toBeUndefined();
  });

  it('shows a number on a RingCX queue and a RingCentral extension with both assignments, RingCX first', async () => {
    const e164 = truth.sorted.find((n) => truth.numbers.get(n)!.ringcx?.assignedDnis?.gate && truth.numbers.get(n)!.ringcentral?.extension)!;
    expect(e164).toBeDefined();
    const dnis = e164.slice(1);
    const routing = (await clients().ringcx!.getAssignedDnis(dnis))!;
    const gate = routing.gate!;
    const rc = await ringcentralSource(e164);

    const { body } = await graph.query<{ phoneNumber: { assignments: unknown[] } }>(`query Number($e164: String!) { phoneNumber(e164: $e164) { ${ASSIGNMENTS} } }`, { e164: dnis });
    expect(body).toEqual({
      data: {
        phoneNumber: {
          assignments: [
            {
              id: globalId('Assignment', 'ringcx', e164),
              provider: 'RINGCX',
              active: routing.isActive,
              description: routing.dnisDescription,
              startDate: routing.startDate!.toISOString(),
              endDate: routing.endDate?.toISOString() ?? null,
              destination: { __typename: 'Queue', id: globalId('Queue', gate.accountId!, gate.gateId), name: gate.gateName, queueGroup: { name: gate.gateGroup!.groupName } },
            },
            extensionAssignment(e164, rc.v2, rc.owner!),
          ],
        },
      },
    });
  });

  it('shows a Zendesk number RingCentral also holds as one number, read from Zendesk’s display format', async () => {
    const shared = truth.zendesk.filter((n) => truth.numbers.get(n.number!)!.ringcentral);
    expect(shared).toHaveLength(40);
    // One a RingCentral call queue owns, so the number has routing to show.
    const talk = await clients().zendesk!.getPhoneNumber(shared.find((n) => truth.numbers.get(n.number!)!.ringcentral!.extension)!.id);
    const e164 = talk.number!;
    // Zendesk's way of writing it is not E.164; the graph reads it as the same number.
    expect(talk.display_number).toMatch(/^\+1 \(\d{3}\) \d{3}-\d{4}$/);
    expect(talk.display_number.replace(/\D/g, '')).toBe(e164.slice(1));
    const rc = await ringcentralSource(e164);

    const { body } = await graph.query(NUMBER, { e164: talk.display_number });
    expect(body).toEqual({
      data: {
        phoneNumber: {
          id: globalId('PhoneNumber', e164),
          e164,
          sources: [
            rc.source,
            {
              __typename: 'ZendeskNumberSource',
              provider: 'ZENDESK',
              providerId: talk.id,
              rawNumber: e164,
              displayNumber: talk.display_number,
              nickname: talk.nickname,
              // RingCentral's numbers are external caller IDs in Talk: Talk routes nothing to them.
              groups: [],
              ivr: null,
              tollFree: talk.toll_free,
              external: true,
              capabilities: { voice: talk.capabilities.voice, sms: talk.capabilities.sms, mms: talk.capabilities.mms, fax: false },
            },
          ],
          assignments: [extensionAssignment(e164, rc.v2, rc.owner!)],
        },
      },
    });
    expect(talk).toMatchObject({ external: true, group_ids: [], ivr_id: null });
    expect(rc.owner).toMatchObject({ type: 'Department' });
  });

  it('shows a Ringyo number RingCentral forwards to it as one number, with both providers’ routing', async () => {
    const shared = truth.ringyo.filter((n) => truth.numbers.get(n.phone_number)!.ringcentral?.extension);
    expect(shared.length).toBeGreaterThan(0);
    const agentNumber = await clients().ringyo!.getPhoneNumber(shared[0]!.id);
    const e164 = agentNumber.phone_number;
    const rc = await ringcentralSource(e164);
    const agentId = agentNumber.default_agent_id!;
    expect(agentId).toMatch(/^agent_/);

    const { body } = await graph.query(NUMBER, { e164 });
    expect(body).toEqual({
      data: {
        phoneNumber: {
          id: globalId('PhoneNumber', e164),
          e164,
          sources: [
            rc.source,
            {
              __typename: 'RingyoNumberSource',
              provider: 'RINGYO',
              providerId: agentNumber.id,
              rawNumber: e164,
              friendlyName: agentNumber.friendly_name,
              status: 'ACTIVE',
              region: agentNumber.region,
              defaultAgent: { id: globalId('VoiceAgent', agentId), agentId },
            },
          ],
          assignments: [
            extensionAssignment(e164, rc.v2, rc.owner!),
            { id: globalId('Assignment', 'ringyo', e164), provider: 'RINGYO', active: true, description: null, startDate: null, endDate: null, destination: { __typename: 'VoiceAgent', id: globalId('VoiceAgent', agentId), agentId } },
          ],
        },
      },
    });
    expect(agentNumber.status).toBe('active');
  });

  it('lists every number once, with every provider’s record of it: as many numbers as distinct E.164 numbers across the four lists', async () => {
    const listSizes = [truth.ringcx.length, truth.ringcentral.length, truth.zendesk.length, truth.ringyo.length];
    expect(listSizes).toEqual([2000, 311, 300, 100]);
    const shared = [...truth.numbers.values()].filter((r) => Object.keys(r).length > 1).length;
    expect(shared).toBe(110);
    expect(truth.numbers.size).toBe(2711 - 110);

    const pages = await allPages<{ e164: string; sources: unknown[] }>(
      graph,
      `query All($first: Int, $after: String) {
        page: phoneNumbers(first: $first, after: $after) {
          totalCount edges { cursor node { e164 } } nodes { e164 sources { provider providerId rawNumber } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      }`,
      {},
      500,
    );
    expect(pages.map((p) => p.totalCount)).toEqual(Array(6).fill(truth.numbers.size));
    expect(pages.flatMap((p) => p.nodes)).toEqual(truth.sorted.map((e164) => ({ e164, sources: sourcesOf(truth.numbers.get(e164)!) })));
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Gate, GateGroup, TracGroup } from '../../src/providers/ringcx/index.js';
import { startGraph, type GraphHarness } from '../support/graph.js';
import {
  byCodeUnit,
  byExtensionNumber,
  collect,
  EXTENSION_STATUS,
  EXTENSION_SUMMARY,
  EXTENSION_TYPE,
  extensionSummary,
  globalId,
  labelOf,
  readProviderTruth,
  ringcxSearch,
  sourcesOf,
  type ProviderTruth,
} from '../support/truth.js';

/**
 * Every query field of the graph, each answered in full (`toEqual` on the
 * whole response body, so an extra error or field fails too) and checked
 * against what the providers' own APIs say. Nothing here changes provider
 * state, so one graph and one cache serve the whole file.
 */

/** The number the playground's examples use: RingCX DNIS `12066103211`, also a RingCentral call-queue number. */
const MERGED = '+12066103211';

describe('query fields', () => {
  let graph: GraphHarness;
  let truth: ProviderTruth;

  beforeAll(async () => {
    graph = await startGraph();
    truth = await readProviderTruth(graph.backends.clients);
  });
  afterAll(async () => graph.close());

  const clients = () => graph.backends.clients;
  const records = (e164: string) => {
    const found = truth.numbers.get(e164);
    if (!found) throw new Error(`no provider holds ${e164}`);
    return found;
  };

  describe('phoneNumbers', () => {
    it('returns the first page of every provider number, one per E.164, in E.164 order', async () => {
      const { status, body } = await graph.query(`{
        phoneNumbers(first: 3) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage }
          nodes { id e164 nationalFormat internationalFormat country tollFree label sources { provider providerId rawNumber } }
        }
      }`);
      expect(status).toBe(200);
      expect(truth.sorted.slice(0, 3)).toEqual(['+12062023867', '+12062086827', '+12062314804']);
      const node = (e164: string, nationalFormat: string, internationalFormat: string) => ({
        id: globalId('PhoneNumber', e164),
        e164,
        nationalFormat,
        internationalFormat,
        country: 'US',
        tollFree: false,
        label: labelOf(records(e164)),
        sources: sourcesOf(records(e164)),
      });
      expect(body).toEqual({
        data: {
          phoneNumbers: {
            totalCount: truth.numbers.size,
            pageInfo: { hasNextPage: true, hasPreviousPage: false },
            nodes: [
              node('+12062023867', '(206) 202-3867', '+1 206 202 3867'),
              node('+12062086827', '(206) 208-6827', '+1 206 208 6827'),
              node('+12062314804', '(206) 231-4804', '+1 206 231 4804'),
            ],
          },
        },
      });
    });

    it('formats toll-free, Canadian and UK numbers for their country', async () => {
      const { body } = await graph.query(`{
        tollFree: phoneNumbers(filter: { tollFree: true }, first: 1) { nodes { ...N } }
        canada: phoneNumbers(filter: { country: "CA" }, first: 1) { nodes { ...N } }
        uk: phoneNumbers(filter: { country: "GB" }, first: 1) { nodes { ...N } }
      }
      fragment N on PhoneNumber { e164 nationalFormat internationalFormat country tollFree label }`);
      // The first of each kind in E.164 order, per the providers' own lists.
      expect(truth.sorted.find((n) => /^\+18(00|33|44|55|66|77|88)/.test(n))).toBe('+18002209401');
      expect(truth.sorted.find((n) => /^\+1(416|514|604)/.test(n))).toBe('+14162268292');
      expect(truth.sorted.find((n) => n.startsWith('+44'))).toBe('+441612585941');
      expect(body).toEqual({
        data: {
          tollFree: { nodes: [{ e164: '+18002209401', nationalFormat: '(800) 220-9401', internationalFormat: '+1 800 220 9401', country: 'US', tollFree: true, label: labelOf(records('+18002209401')) }] },
          canada: { nodes: [{ e164: '+14162268292', nationalFormat: '(416) 226-8292', internationalFormat: '+1 416 226 8292', country: 'CA', tollFree: false, label: labelOf(records('+14162268292')) }] },
          uk: { nodes: [{ e164: '+441612585941', nationalFormat: '0161 258 5941', internationalFormat: '+44 161 258 5941', country: 'GB', tollFree: false, label: labelOf(records('+441612585941')) }] },
        },
      });
    });
  });

  describe('phoneNumber', () => {
    const QUERY = `query Number($e164: String!) {
      phoneNumber(e164: $e164) {
        id e164 nationalFormat internationalFormat country tollFree label
        capabilities { voice sms mms fax }
        sources { provider providerId rawNumber }
        assignments { id provider destination { __typename } }
        extension { id name }
        trackingNumber { id description }
      }
    }`;

    it.each(['+12066103211', '(206) 610-3211', '12066103211', '+1 206-610-3211'])('reads %j as the merged number +12066103211', async (input) => {
      const { ringcx, ringcentral } = records(MERGED);
      const trac = ringcx!.assignedDnis!.tracNumber!;
      const owner = truth.extensions.find((e) => e.id === ringcentral!.extension!.id)!;
      const { body } = await graph.query(QUERY, { e164: input });
      expect(body).toEqual({
        data: {
          phoneNumber: {
            id: globalId('PhoneNumber', MERGED),
            e164: MERGED,
            nationalFormat: '(206) 610-3211',
            internationalFormat: '+1 206 610 3211',
            country: 'US',
            tollFree: false,
            label: ringcx!.dnisDescription,
            capabilities: { voice: true, sms: ringcx!.smsEnabled === true, mms: false, fax: ringcentral!.type === 'VoiceFax' },
            sources: sourcesOf(records(MERGED)),
            assignments: [
              { id: globalId('Assignment', 'ringcx', MERGED), provider: 'RINGCX', destination: { __typename: 'TrackingNumber' } },
              { id: globalId('Assignment', 'ringcentral', MERGED), provider: 'RINGCENTRAL', destination: { __typename: 'Extension' } },
            ],
            extension: { id: globalId('Extension', owner.id), name: owner.name },
            trackingNumber: { id: globalId('TrackingNumber', trac.accountId!, trac.tracGroupId!, trac.tracId), description: trac.description },
          },
        },
      });
    });

    it.each(['+441612585941', '+44 161 258 5941', '441612585941', '00441612585941', '011 44 161 258 5941'])('reads %j as the UK number +441612585941', async (input) => {
      const { ringcx } = records('+441612585941');
      const { body } = await graph.query('query Number($e164: String!) { phoneNumber(e164: $e164) { e164 nationalFormat country sources { provider rawNumber } } }', { e164: input });
      expect(body).toEqual({
        data: { phoneNumber: { e164: '+441612585941', nationalFormat: '0161 258 5941', country: 'GB', sources: [{ provider: 'RINGCX', rawNumber: ringcx!.dnis }] } },
      });
      expect(ringcx!.dnis).toBe('441612585941');
    });

    it('is null for a valid number no provider holds', async () => {
      expect(truth.numbers.has('+14155550123')).toBe(false);
      const { body } = await graph.query(QUERY, { e164: '(415) 555-0123' });
      expect(body).toEqual({ data: { phoneNumber: null } });
    });

    it.each([
      ['call me', 'e164 contains characters that are not part of a phone number: "call me"'],
      ['12345', 'e164 is too short to be a phone number: "12345"'],
      ['', 'e164 is empty'],
    ])('refuses %j with BAD_USER_INPUT naming the argument', async (input, message) => {
      const { status, body } = await graph.query('query Number($e164: String!) { phoneNumber(e164: $e164) { e164 } }', { e164: input });
      expect(status).toBe(200);
      expect(body).toEqual({
        data: { phoneNumber: null },
        errors: [{ message, locations: [{ line: 1, column: 32 }], path: ['phoneNumber'], extensions: { code: 'BAD_USER_INPUT', argument: 'e164' } }],
      });
    });
  });

  describe('availablePhoneNumbers', () => {
    const QUERY = `query Available($country: CountryCode!, $areaCode: String, $tollFree: Boolean, $contains: String) {
      availablePhoneNumbers(country: $country, areaCode: $areaCode, tollFree: $tollFree, contains: $contains) {
        e164 displayNumber country tollFree location price addressRequirements
      }
    }`;

    it.each([
      { variables: { country: 'US', areaCode: '206', contains: '77' }, search: { country: 'US', area_code: '206', contains: '77' } },
      { variables: { country: 'US', tollFree: true, contains: 'FLOWERS' }, search: { country: 'US', toll_free: true, contains: 'FLOWERS' } },
      { variables: { country: 'gb' }, search: { country: 'GB' } },
    ])('answers what Zendesk’s own search answers for $variables', async ({ variables, search }) => {
      const offered = await clients().zendesk!.searchAvailablePhoneNumbers(search);
      expect(offered.length).toBeGreaterThan(0);
      const { body } = await graph.query(QUERY, variables);
      expect(body).toEqual({
        data: {
          availablePhoneNumbers: offered.map((n) => ({
            e164: n.number,
            displayNumber: n.display_number,
            country: n.country_code,
            tollFree: n.toll_free,
            location: n.location,
            price: n.price,
            addressRequirements: n.address_requirements,
          })),
        },
      });
    });

    it('shows an offered number the way Zendesk does', async () => {
      const { body } = await graph.query<{ availablePhoneNumbers: unknown[] }>(QUERY, { country: 'US', tollFree: true, contains: 'FLOWERS' });
      expect(body.data!.availablePhoneNumbers[0]).toEqual({
        e164: '+18443569377',
        displayNumber: '+1 (844) 356-9377',
        country: 'US',
        tollFree: true,
        location: null,
        price: '$2.00',
        addressRequirements: 'none',
      });
    });

    it('refuses a country that is not a two-letter code before asking Zendesk', async () => {
      const before = await graph.calls();
      const { status, body } = await graph.query(QUERY, { country: 'USA' });
      expect(status).toBe(400);
      expect(body).toEqual({
        errors: [
          {
            message: 'Variable "$country" got invalid value "USA"; CountryCode must be a two-letter ISO 3166-1 code like "US", got "USA"',
            locations: [{ line: 1, column: 17 }],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
      expect(await graph.calls()).toEqual(before);
    });

    it('refuses a two-letter code that is not a country with a numbering plan, before asking Zendesk', async () => {
      const before = await graph.calls();
      const { status, body } = await graph.query(QUERY, { country: 'ZZ' });
      expect(status).toBe(400);
      expect(body.errors![0]).toMatchObject({
        message: 'Variable "$country" got invalid value "ZZ"; CountryCode "ZZ" is not a country with a phone numbering plan',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(await graph.calls()).toEqual(before);
    });

    it('refuses an inline country that is not a two-letter code, and a missing one, at validation', async () => {
      const bad = await graph.query('{ availablePhoneNumbers(country: "USA") { e164 } }');
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({
        errors: [{ message: 'CountryCode must be a two-letter ISO 3166-1 code like "US", got "USA"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      });
      const missing = await graph.query('{ availablePhoneNumbers { e164 } }');
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({
        errors: [
          {
            message: 'Field "availablePhoneNumbers" argument "country" of type "CountryCode!" is required, but it was not provided.',
            locations: [{ line: 1, column: 3 }],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      });
    });
  });

  describe('queues and queue', () => {
    /** Every gate group of every RingCX sub-account, with its gates. */
    async function ringcxQueues(): Promise<{ accountId: string; accountName: string; group: GateGroup; gate: Gate }[]> {
      const out: { accountId: string; accountName: string; group: GateGroup; gate: Gate }[] = [];
      for (const account of truth.accounts) {
        for (const group of await collect(clients().ringcx!.listGateGroupsWithGates(account.accountId))) {
          for (const gate of group.gates) out.push({ accountId: account.accountId, accountName: account.accountName!, group, gate });
        }
      }
      return out;
    }

    it('lists every RingCX queue of every sub-account, sorted by group then name', async () => {
      const listed = await ringcxQueues();
      expect(listed).toHaveLength(40);
      const expected = listed
        .sort((a, b) => a.group.groupName!.localeCompare(b.group.groupName!) || a.gate.gateName!.localeCompare(b.gate.gateName!))
        .map(({ accountId, accountName, group, gate }) => ({
          id: globalId('Queue', accountId, gate.gateId),
          name: gate.gateName,
          description: gate.gateDesc,
          active: gate.isActive,
          group: { id: globalId('QueueGroup', accountId, group.gateGroupId), name: group.groupName },
          account: { id: accountId, name: accountName },
        }));
      const { body } = await graph.query('{ queues { id name description active group { id name } account { id name } } }');
      expect(body).toEqual({ data: { queues: expected } });
      expect(expected[0]).toMatchObject({ name: 'Financial Assistance', group: { name: 'Billing' }, account: { name: 'Brightline Billing & Claims' } });
    });

    it('finds one queue by ID, with the numbers RingCX says are on it', async () => {
      const nurse = (await ringcxQueues()).find((q) => q.gate.gateName === 'Nurse Advice Line')!;
      const onGate = await ringcxSearch(clients(), { product: 'ACD', objectId: nurse.gate.gateId, accountIds: [nurse.accountId] });
      expect(onGate.length).toBeGreaterThan(3);
      const id = globalId('Queue', nurse.accountId, nurse.gate.gateId);
      const { body } = await graph.query(
        `query Queue($id: ID!) {
          queue(id: $id) { id name description active group { name } account { id name } phoneNumbers(first: 3) { totalCount nodes { e164 } } }
        }`,
        { id },
      );
      expect(body).toEqual({
        data: {
          queue: {
            id,
            name: 'Nurse Advice Line',
            description: nurse.gate.gateDesc,
            active: nurse.gate.isActive,
            group: { name: 'Clinical Support' },
            account: { id: '15300001', name: 'Brightline Patient Access' },
            phoneNumbers: { totalCount: onGate.length, nodes: onGate.slice(0, 3).map((e164) => ({ e164 })) },
          },
        },
      });
    });

    it('is null for a well-formed queue ID RingCX does not have', async () => {
      const { body } = await graph.query('query Queue($id: ID!) { queue(id: $id) { id } }', { id: globalId('Queue', '15300001', '99999') });
      expect(body).toEqual({ data: { queue: null } });
    });

    it('refuses an ID of another type with BAD_USER_INPUT naming the argument', async () => {
      const id = globalId('Extension', '1914288004');
      const { body } = await graph.query('query Queue($id: ID!) { queue(id: $id) { id } }', { id });
      expect(body).toEqual({
        data: { queue: null },
        errors: [{ message: `id is not a valid Queue ID: "${id}"`, locations: [{ line: 1, column: 25 }], path: ['queue'], extensions: { code: 'BAD_USER_INPUT', argument: 'id' } }],
      });
    });
  });

  describe('trackingGroups and trackingGroup', () => {
    async function ringcxTracking(): Promise<{ accountId: string; group: TracGroup }[]> {
      const out: { accountId: string; group: TracGroup }[] = [];
      for (const account of truth.accounts) {
        for (const group of await clients().ringcx!.listTracGroups(account.accountId)) out.push({ accountId: account.accountId, group });
      }
      return out;
    }
    const numberOf = (accountId: string, group: TracGroup) => (t: TracGroup['tracNumbers'][number]) => ({
      id: globalId('TrackingNumber', accountId, group.tracGroupId, t.tracId),
      description: t.description,
      active: t.assignedDnis!.isActive,
      phoneNumber: { e164: `+${t.assignedDnis!.dnis}` },
    });

    it('lists every tracking group of every sub-account with its numbers, in RingCX’s order', async () => {
      const listed = await ringcxTracking();
      expect(listed.map(({ group }) => group.groupName)).toEqual(['Google Ads', 'Radio Spots', 'Direct Mail', 'Billboards', 'Social Media', 'Partner Referrals']);
      const { body } = await graph.query(`{
        trackingGroups { id name isDefault trackingNumbers { id description active phoneNumber { e164 } } }
      }`);
      expect(body).toEqual({
        data: {
          trackingGroups: listed.map(({ accountId, group }) => ({
            id: globalId('TrackingGroup', accountId, group.tracGroupId),
            name: group.groupName,
            isDefault: group.isDefault === true,
            trackingNumbers: group.tracNumbers.map(numberOf(accountId, group)),
          })),
        },
      });
    });

    it('finds one tracking group by ID', async () => {
      const google = (await ringcxTracking()).find(({ group }) => group.groupName === 'Google Ads')!;
      const id = globalId('TrackingGroup', '15300001', '801');
      const { body } = await graph.query(
        `query Group($id: ID!) {
          trackingGroup(id: $id) { id name isDefault trackingNumbers { id description active phoneNumber { e164 } group { id } } }
        }`,
        { id },
      );
      expect(body).toEqual({
        data: {
          trackingGroup: {
            id,
            name: 'Google Ads',
            isDefault: true,
            trackingNumbers: google.group.tracNumbers.map((t) => ({ ...numberOf('15300001', google.group)(t), group: { id } })),
          },
        },
      });
    });

    it('is null for an unknown group, and refuses an ID of another type', async () => {
      const unknown = await graph.query('query Group($id: ID!) { trackingGroup(id: $id) { id } }', { id: globalId('TrackingGroup', '15300001', '999') });
      expect(unknown.body).toEqual({ data: { trackingGroup: null } });
      const id = globalId('Queue', '15300001', '801');
      const wrong = await graph.query('query Group($id: ID!) { trackingGroup(id: $id) { id } }', { id });
      expect(wrong.body).toEqual({
        data: { trackingGroup: null },
        errors: [
          { message: `id is not a valid TrackingGroup ID: "${id}"`, locations: [{ line: 1, column: 25 }], path: ['trackingGroup'], extensions: { code: 'BAD_USER_INPUT', argument: 'id' } },
        ],
      });
    });
  });

  describe('extensions, extension and account', () => {
    const CONTACT = 'contact { firstName lastName email company jobTitle department }';
    const contactOf = (id: string) => {
      const c = truth.extensions.find((e) => e.id === id)!.contact ?? {};
      return {
        firstName: c.firstName ?? null,
        lastName: c.lastName ?? null,
        email: c.email ?? null,
        company: c.company ?? null,
        jobTitle: c.jobTitle ?? null,
        department: c.department ?? null,
      };
    };

    it('lists RingCentral extensions by extension number, first page', async () => {
      const sorted = [...truth.extensions].sort(byExtensionNumber);
      const { body } = await graph.query(`{
        extensions(first: 3) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { ${EXTENSION_SUMMARY} ${CONTACT} } }
      }`);
      expect(sorted.slice(0, 3).map((e) => e.extensionNumber)).toEqual(['101', '102', '103']);
      expect(body).toEqual({
        data: {
          extensions: {
            totalCount: 150,
            pageInfo: { hasNextPage: true, hasPreviousPage: false },
            nodes: sorted.slice(0, 3).map((e) => ({ ...extensionSummary(e), contact: contactOf(e.id) })),
          },
        },
      });
    });

    it('filters extensions and continues after a cursor', async () => {
      const queues = [...(await collect(clients().ringcentral!.listExtensions({ type: ['Department'], status: ['Enabled'] })))].sort(byExtensionNumber);
      expect(queues).toHaveLength(12);
      const QUERY = `query Ext($after: String) {
        extensions(filter: { types: [DEPARTMENT], statuses: [ENABLED] }, first: 2, after: $after) {
          totalCount pageInfo { hasNextPage hasPreviousPage } edges { cursor } nodes { ${EXTENSION_SUMMARY} }
        }
      }`;
      const first = await graph.query<{ extensions: { edges: { cursor: string }[] } }>(QUERY);
      const after = first.body.data!.extensions.edges[1]!.cursor;
      const { body } = await graph.query(QUERY.replace('edges { cursor } ', ''), { after });
      expect(body).toEqual({
        data: {
          extensions: {
            totalCount: 12,
            pageInfo: { hasNextPage: true, hasPreviousPage: true },
            nodes: queues.slice(2, 4).map(extensionSummary),
          },
        },
      });
    });

    it('finds one extension by ID, with its numbers and forwarding numbers', async () => {
      const operatorId = (await clients().ringcentral!.getAccount()).operator!.id;
      const forwarding = await collect(clients().ringcentral!.listForwardingNumbers(operatorId));
      expect(forwarding.length).toBeGreaterThan(0);
      const owned = truth.ringcentral.filter((n) => n.extension?.id === operatorId).map((n) => n.phoneNumber).sort(byCodeUnit);
      expect(owned.length).toBeGreaterThan(0);
      const operator = truth.extensions.find((e) => e.id === operatorId)!;
      const { body } = await graph.query(
        `query Ext($id: ID!) {
          extension(id: $id) {
            ${EXTENSION_SUMMARY} ${CONTACT}
            phoneNumbers { e164 }
            forwardingNumbers { id phoneNumber label type features flipNumber }
          }
        }`,
        { id: globalId('Extension', operatorId) },
      );
      const FORWARDING_TYPE: Record<string, string> = { Mobile: 'MOBILE', Home: 'HOME', Work: 'WORK' };
      const FEATURE: Record<string, string> = { CallFlip: 'CALL_FLIP', CallForwarding: 'CALL_FORWARDING' };
      expect(body).toEqual({
        data: {
          extension: {
            ...extensionSummary(operator),
            contact: contactOf(operatorId),
            phoneNumbers: owned.map((e164) => ({ e164 })),
            forwardingNumbers: forwarding.map((f) => ({
              id: f.id,
              phoneNumber: f.phoneNumber,
              label: f.label,
              type: FORWARDING_TYPE[f.type!],
              features: f.features.map((x) => FEATURE[x]),
              flipNumber: f.flipNumber ?? null,
            })),
          },
        },
      });
      expect(operator).toMatchObject({ extensionNumber: '101', name: 'Ethan Fischer', type: 'User', status: 'Enabled' });
    });

    it('is null for an extension RingCentral does not have, and refuses an ID of another type', async () => {
      const unknown = await graph.query('query Ext($id: ID!) { extension(id: $id) { id } }', { id: globalId('Extension', '999') });
      expect(unknown.body).toEqual({ data: { extension: null } });
      const id = globalId('Queue', '999');
      const wrong = await graph.query('query Ext($id: ID!) { extension(id: $id) { id } }', { id });
      expect(wrong.body).toEqual({
        data: { extension: null },
        errors: [{ message: `id is not a valid Extension ID: "${id}"`, locations: [{ line: 1, column: 23 }], path: ['extension'], extensions: { code: 'BAD_USER_INPUT', argument: 'id' } }],
      });
    });

    it('returns the RingCentral account with its main number', async () => {
      const account = await clients().ringcentral!.getAccount();
      const main = truth.ringcentral.find((n) => n.phoneNumber === account.mainNumber)!;
      expect(main.usageType).toBe('MainCompanyNumber');
      const { body } = await graph.query(`{
        account { id status servicePlan mainNumber { e164 sources { provider providerId rawNumber } } }
      }`);
      expect(body).toEqual({
        data: {
          account: {
            id: globalId('Account', account.id),
            status: 'CONFIRMED',
            servicePlan: account.serviceInfo!.servicePlan!.name,
            mainNumber: { e164: account.mainNumber, sources: sourcesOf(records(account.mainNumber!)) },
          },
        },
      });
      expect(account.status).toBe('Confirmed');
    });
  });

  describe('node and nodes', () => {
    const FRAGMENT = `fragment N on Node {
      __typename id
      ... on PhoneNumber { e164 }
      ... on Assignment { provider active description phoneNumber { e164 } }
      ... on Queue { name description active queueGroup: group { name } account { id name } phoneNumbers(first: 2) { totalCount nodes { e164 } } }
      ... on VisualIvr { name description active phoneNumbers(first: 2) { totalCount nodes { e164 } } }
      ... on CloudRouteProfile { name groupName active phoneNumbers(first: 2) { totalCount nodes { e164 } } }
      ... on TrackingGroup { name isDefault }
      ... on TrackingNumber { description active tracked: phoneNumber { e164 } trackingGroup: group { name } }
      ... on Extension { extensionNumber name type extensionStatus: status }
      ... on ZendeskGroup { name description }
      ... on ZendeskIvr { name }
      ... on VoiceAgent { agentId }
      ... on Account { accountStatus: status servicePlan mainNumber { e164 } }
    }`;

    interface Case {
      type: string;
      id: string;
      expected: Record<string, unknown>;
    }

    /** One object of every Node type, found through the providers' APIs, with what the graph should say of it. */
    async function cases(): Promise<Case[]> {
      const c = clients();
      const page = (numbers: string[]) => ({ totalCount: numbers.length, nodes: numbers.slice(0, 2).map((e164) => ({ e164 })) });

      const merged = records(MERGED);
      const assigned = merged.ringcx!.assignedDnis!;
      const trac = assigned.tracNumber!;

      const onQueue = truth.ringcx.find((r) => r.assignedDnis?.gate)!;
      const gateRef = onQueue.assignedDnis!.gate!;
      const gateGroups = await collect(c.ringcx!.listGateGroupsWithGates(gateRef.accountId!));
      const gateGroup = gateGroups.find((g) => g.gates.some((x) => x.gateId === gateRef.gateId))!;
      const gate = gateGroup.gates.find((x) => x.gateId === gateRef.gateId)!;

      const onIvr = truth.ringcx.find((r) => r.assignedDnis?.visualIvr)!;
      const ivr = onIvr.assignedDnis!.visualIvr!;

      const onCloud = truth.ringcx.find((r) => r.assignedDnis?.cloudRouteProfile)!;
      const cloudRef = onCloud.assignedDnis!.cloudRouteProfile!;
      const cloudGroup = (await c.ringcx!.listCloudRouteGroups(onCloud.accountId!)).find((g) => g.cloudRouteProfiles.some((p) => p.cloudProfileId === cloudRef.cloudProfileId))!;
      const cloud = cloudGroup.cloudRouteProfiles.find((p) => p.cloudProfileId === cloudRef.cloudProfileId)!;

      const tracGroup = (await c.ringcx!.listTracGroups(trac.accountId!)).find((g) => g.tracGroupId === trac.tracGroupId)!;
      const owner = truth.extensions.find((e) => e.id === merged.ringcentral!.extension!.id)!;

      const zendeskGroups = await collect(c.zendesk!.listGroups());
      const onGroup = truth.zendesk.find((n) => n.default_group_id && !n.ivr_id)!;
      const zGroup = zendeskGroups.find((g) => g.id === onGroup.default_group_id)!;
      const zIvr = (await c.zendesk!.listIvrs()).find((i) => i.phone_number_ids.length > 0)!;

      const agentId = truth.ringyo.find((n) => n.default_agent_id)!.default_agent_id!;
      const account = await c.ringcentral!.getAccount();

      return [
        { type: 'PhoneNumber', id: globalId('PhoneNumber', MERGED), expected: { e164: MERGED } },
        {
          type: 'Assignment',
          id: globalId('Assignment', 'ringcx', MERGED),
          expected: { provider: 'RINGCX', active: assigned.isActive, description: assigned.dnisDescription, phoneNumber: { e164: MERGED } },
        },
        {
          type: 'Queue',
          id: globalId('Queue', gateRef.accountId!, gate.gateId),
          expected: {
            name: gate.gateName,
            description: gate.gateDesc,
            active: gate.isActive,
            queueGroup: { name: gateGroup.groupName },
            account: { id: gateRef.accountId, name: truth.accounts.find((a) => a.accountId === gateRef.accountId)!.accountName },
            phoneNumbers: page(await ringcxSearch(c, { product: 'ACD', objectId: gate.gateId, accountIds: [gateRef.accountId!] })),
          },
        },
        {
          type: 'VisualIvr',
          id: globalId('VisualIvr', ivr.visualIvrId),
          expected: {
            name: ivr.visualIvrName,
            description: ivr.visualIvrDesc,
            active: ivr.isActive,
            phoneNumbers: page(await ringcxSearch(c, { product: 'VISUAL_IVR', objectId: ivr.visualIvrId })),
          },
        },
        {
          type: 'CloudRouteProfile',
          id: globalId('CloudRouteProfile', cloud.cloudProfileId),
          expected: {
            name: cloud.profileName,
            groupName: cloudGroup.groupName,
            active: cloud.isActive,
            phoneNumbers: page(await ringcxSearch(c, { product: 'CLOUD_PROFILE', objectId: cloud.cloudProfileId })),
          },
        },
        { type: 'TrackingGroup', id: globalId('TrackingGroup', trac.accountId!, trac.tracGroupId!), expected: { name: tracGroup.groupName, isDefault: tracGroup.isDefault === true } },
        {
          type: 'TrackingNumber',
          id: globalId('TrackingNumber', trac.accountId!, trac.tracGroupId!, trac.tracId),
          expected: { description: trac.description, active: assigned.isActive, tracked: { e164: MERGED }, trackingGroup: { name: tracGroup.groupName } },
        },
        {
          type: 'Extension',
          id: globalId('Extension', owner.id),
          expected: { extensionNumber: owner.extensionNumber, name: owner.name, type: EXTENSION_TYPE[owner.type], extensionStatus: EXTENSION_STATUS[owner.status!] },
        },
        { type: 'ZendeskGroup', id: globalId('ZendeskGroup', zGroup.id), expected: { name: zGroup.name, description: zGroup.description } },
        { type: 'ZendeskIvr', id: globalId('ZendeskIvr', zIvr.id), expected: { name: zIvr.name } },
        { type: 'VoiceAgent', id: globalId('VoiceAgent', agentId), expected: { agentId } },
        {
          type: 'Account',
          id: globalId('Account', account.id),
          expected: { accountStatus: 'CONFIRMED', servicePlan: account.serviceInfo!.servicePlan!.name, mainNumber: { e164: account.mainNumber } },
        },
      ];
    }

    it('fetches one object of every Node type by ID with node(id:)', async () => {
      const all = await cases();
      expect(all.map((c) => c.type)).toEqual([
        'PhoneNumber', 'Assignment', 'Queue', 'VisualIvr', 'CloudRouteProfile', 'TrackingGroup',
        'TrackingNumber', 'Extension', 'ZendeskGroup', 'ZendeskIvr', 'VoiceAgent', 'Account',
      ]);
      for (const { type, id, expected } of all) {
        const { body } = await graph.query(`query Node($id: ID!) { node(id: $id) { ...N } } ${FRAGMENT}`, { id });
        expect({ type, body }).toEqual({ type, body: { data: { node: { __typename: type, id, ...expected } } } });
      }
    });

    it('fetches them all at once with nodes(ids:), in order, with null for malformed and unknown IDs', async () => {
      const all = await cases();
      const unknown = [
        globalId('PhoneNumber', '+14155550123'),
        globalId('Assignment', 'zendesk', MERGED),
        globalId('Queue', '15300001', '1'),
        globalId('VisualIvr', '1'),
        globalId('CloudRouteProfile', '1'),
        globalId('TrackingGroup', '15300001', '1'),
        globalId('TrackingNumber', '15300001', '801', '1'),
        globalId('Extension', '1'),
        globalId('ZendeskGroup', '1'),
        globalId('ZendeskIvr', '1'),
        globalId('VoiceAgent', 'agent_nobody'),
        globalId('Account', '1'),
      ];
      const malformed = ['not an id!', 'bm90aGluZw', globalId('Unknown', '1'), globalId('queue', '15300001', '40101')];
      const ids = [...all.map((c) => c.id), ...malformed, ...unknown];
      const { body } = await graph.query(`query Nodes($ids: [ID!]!) { nodes(ids: $ids) { ...N } } ${FRAGMENT}`, { ids });
      expect(body).toEqual({
        data: {
          nodes: [...all.map(({ type, id, expected }) => ({ __typename: type, id, ...expected })), ...malformed.map(() => null), ...unknown.map(() => null)],
        },
      });
    });

    describe('Zendesk groups and IVRs no number routes to', () => {
      // These tests change Zendesk's data through its API; the seed is restored around them.
      beforeEach(async () => graph.reset());
      afterAll(async () => graph.reset());
      const QUERY = 'query Node($id: ID!) { node(id: $id) { __typename id ... on ZendeskGroup { name } ... on ZendeskIvr { name } } }';

      it('finds a group Zendesk lists that no number routes to', async () => {
        const groups = await collect(clients().zendesk!.listGroups());
        const unrouted = groups.filter((g) => !truth.zendesk.some((n) => n.default_group_id === g.id || n.group_ids.includes(g.id)));
        expect(unrouted.map((g) => g.name)).toEqual(['Legacy Phone Queue']);
        const id = globalId('ZendeskGroup', unrouted[0]!.id);
        const { body } = await graph.query(QUERY, { id });
        expect(body).toEqual({ data: { node: { __typename: 'ZendeskGroup', id, name: 'Legacy Phone Queue' } } });
      });

      it('finds an IVR Zendesk lists once no number routes to it any more', async () => {
        const zendesk = clients().zendesk!;
        const ivr = (await zendesk.listIvrs()).find((i) => i.name === 'Technical Support IVR')!;
        expect(ivr.phone_number_ids.length).toBeGreaterThan(0);
        for (const numberId of ivr.phone_number_ids) await zendesk.updatePhoneNumber(numberId, { ivr_id: null });
        expect((await zendesk.listIvrs()).find((i) => i.id === ivr.id)!.phone_number_ids).toEqual([]);

        const id = globalId('ZendeskIvr', ivr.id);
        const { body } = await graph.query(QUERY, { id });
        expect(body).toEqual({ data: { node: { __typename: 'ZendeskIvr', id, name: 'Technical Support IVR' } } });
      });
    });

    it('is null from node(id:) for a malformed ID', async () => {
      const { body } = await graph.query('query Node($id: ID!) { node(id: $id) { id } }', { id: '%%%' });
      expect(body).toEqual({ data: { node: null } });
    });

    it('takes 100 IDs and refuses 101 with BAD_USER_INPUT naming the argument', async () => {
      const id = globalId('PhoneNumber', MERGED);
      const hundred = await graph.query('query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array(100).fill(id) });
      expect(hundred.body).toEqual({ data: { nodes: Array(100).fill({ id }) } });

      const { status, body } = await graph.query('query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array(101).fill(id) });
      expect(status).toBe(200);
      expect(body).toEqual({
        data: null,
        errors: [{ message: 'ids may hold at most 100 IDs, got 101', locations: [{ line: 1, column: 29 }], path: ['nodes'], extensions: { code: 'BAD_USER_INPUT', argument: 'ids' } }],
      });
    });
  });
});

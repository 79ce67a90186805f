import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { RcExtension } from '../../src/providers/ringcentral/index.js';
import { startGraph, type GraphHarness } from '../support/graph.js';
import {
  allPages,
  byCodeUnit,
  byExtensionNumber,
  collect,
  EXTENSION_SUMMARY,
  extensionSummary,
  flipChar,
  globalId,
  readProviderTruth,
  ringcxSearch,
  type NumberRecords,
  type Page,
  type ProviderTruth,
} from '../support/truth.js';

/**
 * Filters and paging of the two connections with filters, `phoneNumbers` and
 * `extensions`. Each filter's result is compared, number for number, with the
 * same question put to the providers' own data; each list is read to its end
 * with `first`/`after`. Nothing here changes provider state, so one graph and
 * one cache serve the whole file.
 */

const NUMBERS = `query Numbers($filter: PhoneNumberFilter, $first: Int, $after: String) {
  page: phoneNumbers(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { e164 } }
    nodes { e164 }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const EXTENSIONS = `query Extensions($filter: ExtensionFilter, $first: Int, $after: String) {
  page: extensions(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { id } }
    nodes { ${EXTENSION_SUMMARY} }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

type NumberPage = Page<{ e164: string }>;

/**
 * Whether some provider routes the number with an active routing, as the
 * providers' own data says it (the schema's `assigned`): a disabled routing
 * sends calls nowhere, so it does not count.
 */
function routed(records: NumberRecords, ringcxAssigned: Set<string>): boolean {
  const { ringcx, ringcentral, zendesk, ringyo } = records;
  const zendeskRoutes = !!zendesk?.ivr_id || !!zendesk?.default_group_id || (zendesk?.group_ids.length ?? 0) > 0;
  return (
    (ringcx !== undefined && ringcxAssigned.has(ringcx.dnis) && ringcx.assignedDnis?.isActive !== false) ||
    (ringcentral?.extension !== undefined && ringcentral.status !== 'Pending' && ringcentral.activationStatus !== 'Inactive') ||
    (zendeskRoutes && zendesk!.voice_enabled !== false) ||
    (!!ringyo?.default_agent_id && ringyo.status === 'active')
  );
}

/** The providers' own names and descriptions of a number, for text search. */
function wordsOf({ ringcx, ringcentral, zendesk, ringyo }: NumberRecords): string {
  return [ringcx?.dnisDescription, ringcx?.assignedDnis?.dnisDescription, ringcentral?.label, zendesk?.nickname, ringyo?.friendly_name]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

describe('filters and paging', () => {
  let graph: GraphHarness;
  let truth: ProviderTruth;
  /** RingCX's own answer to "which DNIS are assigned" (`tnManager/search assigned=true`). */
  let ringcxAssigned: Set<string>;

  beforeAll(async () => {
    graph = await startGraph();
    truth = await readProviderTruth(graph.backends.clients);
    const accountIds = truth.accounts.map((a) => a.accountId);
    ringcxAssigned = new Set((await ringcxSearch(graph.backends.clients, { assigned: true, accountIds })).map((e164) => e164.slice(1)));
  });
  afterAll(async () => graph.close());

  const clients = () => graph.backends.clients;
  const where = (keep: (records: NumberRecords, e164: string) => boolean) => truth.sorted.filter((e164) => keep(truth.numbers.get(e164)!, e164));

  /** Every number the graph lists for `filter`, read page by page, with the total each page reported. */
  async function listed(filter: Record<string, unknown>, first = 500): Promise<{ totals: number[]; e164: string[] }> {
    const pages = await allPages<{ e164: string }>(graph, NUMBERS, { filter }, first);
    return { totals: [...new Set(pages.map((p) => p.totalCount))], e164: pages.flatMap((p) => p.nodes.map((n) => n.e164)) };
  }

  /** Asserts that the graph lists exactly `expected` for `filter`, and that `expected` is not trivially empty. */
  async function expectListed(filter: Record<string, unknown>, expected: string[]): Promise<void> {
    expect(expected.length).toBeGreaterThan(0);
    expect(await listed(filter)).toEqual({ totals: [expected.length], e164: expected });
  }

  describe('phoneNumbers filters', () => {
    it('providers: only numbers held by at least one of the providers named', async () => {
      await expectListed({ providers: ['ZENDESK', 'RINGYO'] }, where((r) => !!r.zendesk || !!r.ringyo));
      await expectListed({ providers: ['RINGCX'] }, where((r) => !!r.ringcx));
      expect(where((r) => !!r.ringcx)).toHaveLength(2000);
    });

    it('assigned: true lists the numbers some provider routes with an active routing, false the numbers that route nowhere', async () => {
      const yes = where((r) => routed(r, ringcxAssigned));
      const no = where((r) => !routed(r, ringcxAssigned));
      await expectListed({ assigned: true }, yes);
      await expectListed({ assigned: false }, no);
      expect(yes.length + no.length).toBe(truth.numbers.size);
      // Some numbers have only a disabled routing: they route nowhere.
      expect(no.some((e164) => truth.numbers.get(e164)!.ringcx?.assignedDnis?.isActive === false)).toBe(true);
    });

    it('destination: a queue’s ID lists exactly the numbers RingCX says are on that queue', async () => {
      const gate = truth.ringcx.find((r) => r.assignedDnis?.gate?.gateName === 'Nurse Advice Line')!.assignedDnis!.gate!;
      const onGate = await ringcxSearch(clients(), { product: 'ACD', objectId: gate.gateId, accountIds: [gate.accountId!] });
      await expectListed({ destination: globalId('Queue', gate.accountId!, gate.gateId) }, onGate);
    });

    it('destination: an extension’s ID lists the numbers RingCentral says it owns', async () => {
      const owner = truth.ringcentral.find((n) => n.phoneNumber === '+12066103211')!.extension!.id;
      const owned = truth.ringcentral.filter((n) => n.extension?.id === owner).map((n) => n.phoneNumber).sort(byCodeUnit);
      expect(owned.length).toBeGreaterThan(1);
      await expectListed({ destination: globalId('Extension', owner) }, owned);
    });

    it('destination: a Zendesk IVR’s ID lists the numbers Zendesk says the IVR answers', async () => {
      const ivr = (await clients().zendesk!.listIvrs())[0]!;
      const ids = new Set(ivr.phone_number_ids);
      await expectListed({ destination: globalId('ZendeskIvr', ivr.id) }, truth.zendesk.filter((n) => ids.has(n.id)).map((n) => n.number!).sort(byCodeUnit));
    });

    it('destination: a voice agent’s ID lists the Ringyo numbers it answers', async () => {
      const agent = truth.ringyo.find((n) => n.default_agent_id)!.default_agent_id!;
      await expectListed({ destination: globalId('VoiceAgent', agent) }, where((r) => r.ringyo?.default_agent_id === agent));
    });

    it('destination: an ID nothing routes to lists nothing', async () => {
      expect(await listed({ destination: globalId('Queue', '15300001', '99999') })).toEqual({ totals: [0], e164: [] });
      expect(await listed({ destination: 'not an id' })).toEqual({ totals: [0], e164: [] });
    });

    it('country: only numbers of that country, read case-insensitively', async () => {
      const countryOf = (e164: string) => parsePhoneNumberFromString(e164)?.country;
      const gb = where((_, e164) => countryOf(e164) === 'GB');
      const ca = where((_, e164) => countryOf(e164) === 'CA');
      const us = where((_, e164) => countryOf(e164) === 'US');
      expect([gb.length, ca.length, us.length]).toEqual([104, 153, 2344]);
      expect(gb.every((e164) => e164.startsWith('+44'))).toBe(true);
      await expectListed({ country: 'GB' }, gb);
      await expectListed({ country: 'ca' }, ca);
      await expectListed({ country: 'US' }, us);
      expect(await listed({ country: 'FR' })).toEqual({ totals: [0], e164: [] });
    });

    it('tollFree: true lists the North American toll-free numbers, false the rest', async () => {
      const tollFree = (e164: string) => /^\+18(00|33|44|55|66|77|88)\d{7}$/.test(e164);
      await expectListed({ tollFree: true }, where((_, e164) => tollFree(e164)));
      await expectListed({ tollFree: false }, where((_, e164) => !tollFree(e164)));
    });

    it.each([
      ['4155', '4155'],
      ['(206) 610', '206610'],
      ['+44 161', '44161'],
    ])('search %j: digits match anywhere in the number', async (search, digits) => {
      await expectListed({ search }, where((_, e164) => e164.includes(digits)));
    });

    it('search by digits finds the merged number from a fragment of it', async () => {
      expect(await listed({ search: '610-3211' })).toEqual({ totals: [1], e164: ['+12066103211'] });
    });

    it.each([
      ['HELPDESK line', 'RingCentral labels'],
      ['nurse advice', 'RingCX descriptions'],
      ['caller ID (', 'Zendesk nicknames'],
      ['(via RingCentral)', 'Ringyo friendly names'],
    ])('search %j: text matches the providers’ labels and descriptions, case-insensitively (%s)', async (search) => {
      await expectListed({ search }, where((r) => wordsOf(r).includes(search.toLowerCase())));
    });

    it('combines every field set with AND', async () => {
      const filter = { providers: ['RINGCX'], assigned: false, country: 'GB', tollFree: false };
      await expectListed(filter, where((r, e164) => !!r.ringcx && !routed(r, ringcxAssigned) && e164.startsWith('+44')));
    });

    it.each(['+', '  ', '()-.'])('refuses a search of %j, which has neither digits nor letters', async (search) => {
      const { body } = await graph.query(NUMBERS, { filter: { search }, first: 10 });
      expect(body.data).toBeNull();
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: `filter.search must contain digits or letters, got ${JSON.stringify(search)}`,
          extensions: { code: 'BAD_USER_INPUT', argument: 'filter.search' },
        }),
      ]);
    });

    it('answers an empty page when nothing matches', async () => {
      const { body } = await graph.query(NUMBERS, { filter: { search: 'no provider calls a number this' }, first: 10 });
      expect(body).toEqual({
        data: { page: { totalCount: 0, edges: [], nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } } },
      });
    });
  });

  describe('phoneNumbers paging', () => {
    it('pages through a filtered list: every number once, in E.164 order, with consistent page info', async () => {
      const zendesk = truth.zendesk.map((n) => n.number!).sort(byCodeUnit);
      expect(zendesk).toHaveLength(300);
      const pages = await allPages<{ e164: string }>(graph, NUMBERS, { filter: { providers: ['ZENDESK'] } }, 70);

      expect(pages.map((p) => p.nodes.length)).toEqual([70, 70, 70, 70, 20]);
      expect(pages.flatMap((p) => p.nodes.map((n) => n.e164))).toEqual(zendesk);
      pages.forEach((page, i) => {
        expect(page.totalCount).toBe(300);
        expect(page.edges.map((e) => e.node)).toEqual(page.nodes);
        expect(new Set(page.edges.map((e) => e.cursor)).size).toBe(page.edges.length);
        expect(page.pageInfo).toEqual({
          hasNextPage: i < pages.length - 1,
          hasPreviousPage: i > 0,
          startCursor: page.edges[0]!.cursor,
          endCursor: page.edges.at(-1)!.cursor,
        });
      });
    });

    it('continues after any edge’s cursor, not only a page’s end', async () => {
      const first = await graph.query<{ page: NumberPage }>(NUMBERS, { first: 20 });
      const cursor = first.body.data!.page.edges[9]!.cursor;
      const { body } = await graph.query<{ page: NumberPage }>(NUMBERS, { first: 5, after: cursor });
      expect(body.data!.page.nodes.map((n) => n.e164)).toEqual(truth.sorted.slice(10, 15));
      expect(body.data!.page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    });

    it('answers the last page, then an empty page after it', async () => {
      const filter = { providers: ['RINGYO'] };
      const ringyo = truth.ringyo.map((n) => n.phone_number).sort(byCodeUnit);
      const before = await graph.query<{ page: NumberPage }>(NUMBERS, { filter, first: 97 });
      const { body } = await graph.query<{ page: NumberPage }>(NUMBERS, { filter, first: 10, after: before.body.data!.page.pageInfo.endCursor });
      const last = body.data!.page;
      expect(last.nodes.map((n) => n.e164)).toEqual(ringyo.slice(97));
      expect(last.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: last.edges[0]!.cursor, endCursor: last.edges[2]!.cursor });
      expect(last.totalCount).toBe(100);

      const after = await graph.query(NUMBERS, { filter, first: 10, after: last.pageInfo.endCursor });
      expect(after.body).toEqual({
        data: { page: { totalCount: 100, edges: [], nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } } },
      });
    });

    describe('when numbers are added or removed between pages', () => {
      // Changes RingCX's pool through its API; the seed is restored around it.
      beforeEach(async () => graph.reset());
      afterAll(async () => graph.reset());

      it('continues after the cursor’s number, neither skipping nor repeating', async () => {
        const first = await graph.query<{ page: NumberPage }>(NUMBERS, { first: 5 });
        const page1 = first.body.data!.page;
        expect(page1.nodes.map((n) => n.e164)).toEqual(truth.sorted.slice(0, 5));
        // Remove an earlier number and the cursor's own number; add one before them all.
        const removed = [truth.sorted[2]!, truth.sorted[4]!];
        for (const e164 of removed) expect(Object.keys(truth.numbers.get(e164)!)).toEqual(['ringcx']);
        const ringcx = clients().ringcx!;
        for (const e164 of removed) expect(await ringcx.deleteDnisPool(e164.slice(1))).toBe(true);
        await ringcx.createDnisPool([{ dnis: '12062001234', reservedAccountId: '15300001' }]);
        expect(truth.numbers.has('+12062001234')).toBe(false);
        expect('+12062001234' < truth.sorted[0]!).toBe(true);
        await graph.sync();

        const { body } = await graph.query<{ page: NumberPage }>(NUMBERS, { first: 5, after: page1.pageInfo.endCursor });
        expect(body.data!.page.nodes.map((n) => n.e164)).toEqual(truth.sorted.slice(5, 10));
        expect(body.data!.page.totalCount).toBe(truth.numbers.size - 2 + 1);
        expect(body.data!.page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
      });
    });

    it('returns 50 numbers when first is not given', async () => {
      const { body } = await graph.query<{ page: NumberPage }>('{ page: phoneNumbers { totalCount nodes { e164 } } }');
      expect(body.data!.page.nodes.map((n) => n.e164)).toEqual(truth.sorted.slice(0, 50));
    });

    it('takes first from 1 to 500', async () => {
      const one = await graph.query<{ page: NumberPage }>(NUMBERS, { first: 1 });
      expect(one.body.data!.page.nodes).toEqual([{ e164: truth.sorted[0] }]);
      const most = await graph.query<{ page: NumberPage }>(NUMBERS, { first: 500 });
      expect(most.body.data!.page.nodes.map((n) => n.e164)).toEqual(truth.sorted.slice(0, 500));
    });

    it.each([0, -1, 501])('refuses first: %i with BAD_USER_INPUT naming first', async (first) => {
      const { status, body } = await graph.query(NUMBERS, { first });
      expect(status).toBe(200);
      expect(body).toEqual({
        data: null,
        errors: [
          {
            message: `first must be between 1 and 500, got ${first}`,
            locations: [{ line: 2, column: 3 }],
            path: ['page'],
            extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
          },
        ],
      });
    });

    describe('refuses a cursor it did not issue for this list', () => {
      let real: string;
      let extensionCursor: string;
      let queueCursor: string;
      beforeAll(async () => {
        real = (await graph.query<{ page: NumberPage }>(NUMBERS, { first: 3 })).body.data!.page.pageInfo.endCursor!;
        extensionCursor = (await graph.query<{ page: Page<unknown> }>(EXTENSIONS, { first: 3 })).body.data!.page.pageInfo.endCursor!;
        const queue = await graph.query<{ queues: { phoneNumbers: { pageInfo: { endCursor: string } } }[] }>('{ queues { phoneNumbers(first: 1) { pageInfo { endCursor } } } }');
        queueCursor = queue.body.data!.queues[0]!.phoneNumbers.pageInfo.endCursor;
      });

      const cases: [string, () => string][] = [
        ['one character of its body changed', () => flipChar(real, 5)],
        ['one character of its signature changed', () => flipChar(real, real.length - 3)],
        ['its signature removed', () => real.split('.')[0]!],
        ['garbage', () => 'garbage'],
        ['an extensions cursor', () => extensionCursor],
        ['a cursor from a queue’s numbers', () => queueCursor],
      ];

      it('accepts the real cursor', async () => {
        const { body } = await graph.query<{ page: NumberPage }>(NUMBERS, { first: 2, after: real });
        expect(body.data!.page.nodes.map((n) => n.e164)).toEqual(truth.sorted.slice(3, 5));
      });

      it.each(cases)('%s: BAD_USER_INPUT naming after', async (_name, make) => {
        const after = make();
        expect(after).not.toBe(real);
        const { body } = await graph.query(NUMBERS, { first: 2, after });
        expect(body).toEqual({
          data: null,
          errors: [
            {
              message: `after is not a valid cursor for this list: "${after.slice(0, 80)}"`,
              locations: [{ line: 2, column: 3 }],
              path: ['page'],
              extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
            },
          ],
        });
      });

      it('a phoneNumbers cursor passed to extensions: BAD_USER_INPUT naming after', async () => {
        const { body } = await graph.query(EXTENSIONS, { first: 2, after: real });
        expect(body).toEqual({
          data: { page: null },
          errors: [
            {
              message: `after is not a valid cursor for this list: "${real.slice(0, 80)}"`,
              locations: [{ line: 2, column: 3 }],
              path: ['page'],
              extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
            },
          ],
        });
      });
    });
  });

  describe('extensions', () => {
    const summaries = (list: RcExtension[]) => [...list].sort(byExtensionNumber).map(extensionSummary);

    async function listedExtensions(filter: Record<string, unknown> | null, first = 500): Promise<{ totals: number[]; nodes: unknown[] }> {
      const pages = await allPages<unknown>(graph, EXTENSIONS, { filter }, first);
      return { totals: [...new Set(pages.map((p) => p.totalCount))], nodes: pages.flatMap((p) => p.nodes) };
    }

    it('types: only extensions of those types, as RingCentral filters them', async () => {
      const expected = summaries(await collect(clients().ringcentral!.listExtensions({ type: ['Department', 'IvrMenu'] })));
      expect(expected).toHaveLength(17);
      expect(await listedExtensions({ types: ['DEPARTMENT', 'IVR_MENU'] })).toEqual({ totals: [17], nodes: expected });
    });

    it('statuses: only extensions in those statuses, as RingCentral filters them', async () => {
      const expected = summaries(await collect(clients().ringcentral!.listExtensions({ status: ['Disabled', 'NotActivated'] })));
      expect(expected).toHaveLength(13);
      expect(await listedExtensions({ statuses: ['DISABLED', 'NOT_ACTIVATED'] })).toEqual({ totals: [13], nodes: expected });
    });

    it.each([
      ['SUPPORT', 'a name'],
      ['50', 'an extension number'],
      ['ethan.fischer@', 'an email'],
    ])('search %j finds %s, case-insensitively', async (search) => {
      const needle = search.toLowerCase();
      const expected = summaries(truth.extensions.filter((e) => [e.name, e.extensionNumber, e.contact?.email].some((v) => v?.toLowerCase().includes(needle))));
      expect(expected.length).toBeGreaterThan(0);
      expect(await listedExtensions({ search })).toEqual({ totals: [expected.length], nodes: expected });
    });

    it('combines types, statuses and search with AND', async () => {
      const matches = (e: RcExtension) => [e.name, e.extensionNumber, e.contact?.email].some((v) => v?.toLowerCase().includes('son'));
      const enabledUsers = truth.extensions.filter((e) => e.type === 'User' && e.status === 'Enabled');
      const expected = summaries(enabledUsers.filter(matches));
      // Each part narrows: the answer is smaller than either half alone.
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(enabledUsers.length);
      expect(expected.length).toBeLessThan(truth.extensions.filter(matches).length);
      expect(await listedExtensions({ types: ['USER'], statuses: ['ENABLED'], search: 'SON' })).toEqual({ totals: [expected.length], nodes: expected });
    });

    it('pages through every extension once, in extension-number order', async () => {
      const pages = await allPages<unknown>(graph, EXTENSIONS, { filter: null }, 40);
      expect(pages.map((p) => p.nodes.length)).toEqual([40, 40, 40, 30]);
      expect(pages.flatMap((p) => p.nodes)).toEqual(summaries(truth.extensions));
      pages.forEach((page, i) => {
        expect(page.totalCount).toBe(150);
        expect(page.pageInfo).toEqual({
          hasNextPage: i < 3,
          hasPreviousPage: i > 0,
          startCursor: page.edges[0]!.cursor,
          endCursor: page.edges.at(-1)!.cursor,
        });
      });
    });

    it('answers an empty page when nothing matches', async () => {
      const { body } = await graph.query(EXTENSIONS, { filter: { search: 'nobody has this name' }, first: 5 });
      expect(body).toEqual({
        data: { page: { totalCount: 0, edges: [], nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } } },
      });
    });

    it.each([0, -1, 501])('refuses first: %i with BAD_USER_INPUT naming first', async (first) => {
      const { body } = await graph.query(EXTENSIONS, { first });
      expect(body).toEqual({
        data: { page: null },
        errors: [
          { message: `first must be between 1 and 500, got ${first}`, locations: [{ line: 2, column: 3 }], path: ['page'], extensions: { code: 'BAD_USER_INPUT', argument: 'first' } },
        ],
      });
    });

    it.each([
      ['tampered', (c: string) => flipChar(c, 4)],
      ['garbage', () => 'garbage'],
    ])('refuses a %s cursor with BAD_USER_INPUT naming after', async (_name, make) => {
      const real = (await graph.query<{ page: Page<unknown> }>(EXTENSIONS, { first: 3 })).body.data!.page.pageInfo.endCursor!;
      const after = make(real);
      const { body } = await graph.query(EXTENSIONS, { first: 2, after });
      expect(body).toEqual({
        data: { page: null },
        errors: [
          {
            message: `after is not a valid cursor for this list: "${after.slice(0, 80)}"`,
            locations: [{ line: 2, column: 3 }],
            path: ['page'],
            extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
          },
        ],
      });
    });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { RingCxApi } from '../../src/providers/ringcx/index.js';
import { numbersCsv, testNumber } from '../support/csv.js';
import { startGraph, type GraphHarness, type GraphResponse } from '../support/graph.js';
import { postMultipart } from '../support/multipart.js';
import { injectFaults } from '../support/sandbox.js';

const UPLOAD = `mutation Upload($input: UploadPhoneNumbersInput!) {
  uploadPhoneNumbers(input: $input) {
    userErrors { field message code }
    upload {
      id dryRun replayed
      totals { rows created exists duplicate invalid failed }
      rows(first: 500) { totalCount nodes { line phoneNumber status message } }
    }
  }
}`;
const HISTORY = `query History($e164: String!) { phoneNumber(e164: $e164) { history(first: 5) { nodes { actor operation outcome after } } } }`;

const SEARCH_DNIS = 'POST /voice/api/v2/admin/utilities/tnManager/searchDnis';
const CREATE = 'POST /voice/api/v1/admin/utilities/tnManager/dnisPool';
const LOOKUP = 'POST /voice/api/v1/admin/utilities/tnManager/search';
const ACCOUNTS = 'GET /voice/api/v1/admin/accounts';
const TOKEN_ROUTES = /oauth\/token|auth\/login|auth\/token\/refresh/;

interface Row {
  line: number;
  phoneNumber: string | null;
  status: string;
  message: string | null;
}
interface Payload {
  userErrors: { field: string[]; message: string; code: string }[];
  upload: {
    id: string;
    dryRun: boolean;
    replayed: boolean;
    totals: Record<string, number>;
    rows: { totalCount: number; nodes: Row[] };
  } | null;
}
type UploadResponse = GraphResponse<{ uploadPhoneNumbers: Payload }>;

const ACTOR = { 'x-switchboard-actor': 'ops@example.com' };

/** The payload of a response that must be a plain 200 without top-level errors. */
function payloadOf(response: UploadResponse): Payload {
  expect(response.body.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response.body.data!.uploadPhoneNumbers;
}

/**
 * `uploadPhoneNumbers` over HTTP against the sandbox: inline CSV and
 * multipart files, dry and real runs, idempotent retries, limits, and what
 * RingCX did, read back through RingCX's own API (`tnManager/search`,
 * `dnisPool/{dnis}`) and its request counters.
 */
describe('uploadPhoneNumbers', () => {
  let graph: GraphHarness;
  let ringcx: RingCxApi;
  let account: string;
  let otherAccount: string;

  /** RingCX requests made while `work` runs, by route (token exchanges left out). */
  const ringcxCalls = async <T>(work: () => Promise<T>): Promise<{ result: T; calls: Record<string, number> }> => {
    const before = (await graph.stats()).ringcx.byRoute;
    const result = await work();
    const after = (await graph.stats()).ringcx.byRoute;
    const calls: Record<string, number> = {};
    for (const [route, n] of Object.entries(after)) {
      const delta = n - (before[route] ?? 0);
      if (delta > 0 && !TOKEN_ROUTES.test(route)) calls[route] = delta;
    }
    return { result, calls };
  };
  const upload = (input: Record<string, unknown>) => graph.query<{ uploadPhoneNumbers: Payload }>(UPLOAD, { input }, ACTOR);
  const uploadFile = (input: Record<string, unknown>, file: Parameters<typeof postMultipart>[1]['file'], headers: Record<string, string> = ACTOR) =>
    postMultipart<{ uploadPhoneNumbers: Payload }>(graph.url, { query: UPLOAD, variables: { input }, file, headers });
  /** The pool records RingCX holds for these numbers, by DNIS (one `tnManager/search`). */
  const inPool = async (e164s: string[]) => {
    const page = await ringcx.searchDnisPoolPage({ dnis: e164s.map((e) => e.slice(1)) }, { maxRows: e164s.length });
    return new Map(page.records.map((r) => [`+${r.dnis}`, r]));
  };
  const db = () => graph.server.services.store.db;
  const auditFor = (subject: string) =>
    db().selectFrom('audit').select(['actor', 'operation', 'phone_number', 'outcome', 'detail']).where('subject', '=', subject).orderBy('id').execute();
  const lastAudit = () => db().selectFrom('audit').select(['actor', 'operation', 'subject', 'outcome', 'detail']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  const uploadCount = () => countRows(graph, 'uploads');

  beforeAll(async () => {
    graph = await startGraph();
    ringcx = graph.backends.clients.ringcx!;
    [account, otherAccount] = (await ringcx.listAccounts()).map((a) => a.accountId) as [string, string];
  });
  afterAll(async () => graph.close());
  beforeEach(async () => {
    await graph.reset();
    // The 100,000-row upload makes 201 calls; RingCX allows 120 a minute.
    await injectFaults(graph.sandbox.servers.ringcx.baseUrl, { rateLimits: { default: { limit: 10_000, windowSeconds: 60 } } });
  });

  /**
   * Every kind of row at once: a byte-order mark, CRLF line ends, quoted
   * commas, escaped quotes and a line break inside quotes, blank and
   * comma-only lines, a duplicate, bad numbers, a number RingCX already
   * holds, a missing and an unknown account, a bad `active`, and a row with a
   * field too many. The last line has no line end.
   */
  const messy = () =>
    [
      '\ufeffPhone Number,accountId,description,category,notes,active',
      `(720) 300-0001,${account},"Sales, East",Local,"Line one`,
      `line two",true`,
      '',
      `+1 720 300 0002,${otherAccount},Support,,,false`,
      ',,,,,',
      `720.300.0001,${account},again,,,`,
      `not a number,${account},,,,`,
      `+1 206 610 3211,${account},already there,,,`,
      '7203000003,,no account,,,',
      '7203000004,99999,,,,maybe',
      `7203000006,${account},a,b,c,true,extra`,
      `"7203000005",${account},"He said ""hi""",,,TRUE`,
    ].join('\r\n');
  const messyNumbers = ['+17203000001', '+17203000002', '+17203000003', '+17203000004', '+17203000005', '+17203000006'];

  const expectedRows = (createdMessage: string | null): Row[] => [
    { line: 2, phoneNumber: '+17203000001', status: 'CREATED', message: createdMessage },
    { line: 5, phoneNumber: '+17203000002', status: 'CREATED', message: createdMessage },
    { line: 7, phoneNumber: '+17203000001', status: 'DUPLICATE', message: 'Same number as line 2; this row is ignored.' },
    { line: 8, phoneNumber: null, status: 'INVALID', message: 'phoneNumber contains characters that are not part of a phone number: "not a number".' },
    { line: 9, phoneNumber: '+12066103211', status: 'EXISTS', message: `Already in the RingCX DNIS pool (account ${account}); left as it is.` },
    { line: 10, phoneNumber: '+17203000003', status: 'INVALID', message: 'accountId is required (or give defaultAccountId).' },
    {
      line: 11,
      phoneNumber: '+17203000004',
      status: 'INVALID',
      message: 'accountId "99999" is not a RingCX sub-account Switchboard manages; active must be true or false, not "maybe".',
    },
    {
      line: 12,
      phoneNumber: '+17203000006',
      status: 'INVALID',
      message: 'the row has 7 fields but the header has 6 (a comma in a value that is not quoted?).',
    },
    { line: 13, phoneNumber: '+17203000005', status: 'CREATED', message: createdMessage },
  ];
  const messyTotals = { rows: 9, created: 3, exists: 1, duplicate: 1, invalid: 4, failed: 0 };

  it('reports every row of a dry run and changes nothing at RingCX', async () => {
    const { result, calls } = await ringcxCalls(() => upload({ csv: messy(), dryRun: true }));
    const payload = payloadOf(result);
    expect(payload).toEqual({
      userErrors: [],
      upload: {
        id: expect.any(String),
        dryRun: true,
        replayed: false,
        totals: messyTotals,
        rows: { totalCount: 9, nodes: expectedRows('Would be added to the RingCX DNIS pool (dry run: nothing was changed).') },
      },
    });
    // The existence check is one read of the pool (the account list is read once and cached); nothing is written.
    expect(calls).toEqual({ [ACCOUNTS]: 1, [SEARCH_DNIS]: 1 });
    expect([...(await inPool(messyNumbers)).keys()]).toEqual([]);
    expect(await auditFor(payload.upload!.id)).toEqual([
      {
        actor: 'ops@example.com',
        operation: 'uploadPhoneNumbers',
        phone_number: null,
        outcome: 'DRY_RUN',
        detail: '9 rows: 3 would be created, 1 already in the pool, 1 duplicate, 4 invalid, 0 failed',
      },
    ]);
  });

  it('adds the valid rows to RingCX in a real run, with the dry run’s statuses, and records each number’s history', async () => {
    const dry = payloadOf(await upload({ csv: messy(), dryRun: true }));
    const { result, calls } = await ringcxCalls(() => upload({ csv: messy() }));
    const real = payloadOf(result);
    expect(real.userErrors).toEqual([]);
    expect(real.upload).toEqual({ id: expect.any(String), dryRun: false, replayed: false, totals: messyTotals, rows: { totalCount: 9, nodes: expectedRows(null) } });
    expect(real.upload!.rows.nodes.map((r) => r.status)).toEqual(dry.upload!.rows.nodes.map((r) => r.status));
    // One read of the pool and one POST for the three new numbers.
    expect(calls).toEqual({ [SEARCH_DNIS]: 1, [CREATE]: 1 });

    // What RingCX holds now, through its own API.
    const pool = await inPool(messyNumbers);
    expect([...pool.keys()].sort()).toEqual(['+17203000001', '+17203000002', '+17203000005']);
    expect(await ringcx.getDnisPool('17203000001')).toMatchObject({
      dnis: '17203000001',
      reservedAccountId: account,
      dnisDescription: 'Sales, East',
      dnisCategory: 'Local',
      notes: 'Line one\nline two',
      active: true,
    });
    expect(await ringcx.getDnisPool('17203000002')).toMatchObject({ reservedAccountId: otherAccount, dnisDescription: 'Support', active: false });
    expect(await ringcx.getDnisPool('17203000005')).toMatchObject({ reservedAccountId: account, dnisDescription: 'He said "hi"', active: true });
    expect(await ringcx.getDnisPool('12066103211')).toMatchObject({ reservedAccountId: account });
    expect((await ringcx.getDnisPool('12066103211'))?.dnisDescription).not.toBe('already there');

    // The upload asked for RingCX's next pass; once it ran (here: now, since tests drive the sync), the graph has the new numbers, each with its history entry.
    expect((await graph.server.services.store.inventory.syncStates()).find((st) => st.provider === 'ringcx')!.nextRunAt! <= new Date().toISOString()).toBe(true);
    await graph.sync();
    const history = await graph.query<{ phoneNumber: { history: { nodes: unknown[] } } | null }>(HISTORY, { e164: '+17203000001' });
    expect(history.body.data?.phoneNumber?.history.nodes).toEqual([
      {
        actor: 'ops@example.com',
        operation: 'uploadPhoneNumbers',
        outcome: 'SUCCEEDED',
        after: expect.objectContaining({ dnis: '17203000001', reservedAccountId: account, dnisDescription: 'Sales, East' }),
      },
    ]);
    expect((await auditFor(real.upload!.id)).map((e) => [e.phone_number, e.outcome])).toEqual([
      ['+17203000001', 'SUCCEEDED'],
      ['+17203000002', 'SUCCEEDED'],
      ['+17203000005', 'SUCCEEDED'],
      [null, 'SUCCEEDED'],
    ]);
  });

  it('gives the stored report back by its ID, page by page, without calling RingCX', async () => {
    const real = payloadOf(await upload({ csv: messy() }));
    const page = (after: string | null) =>
      graph.query<{ phoneNumberUpload: { id: string; totals: unknown; rows: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { line: number; status: string }[] } } | null }>(
        `query($id: ID!, $after: String) { phoneNumberUpload(id: $id) { id totals { rows created } rows(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { line status } } } }`,
        { id: real.upload!.id, after },
      );
    const { result, calls } = await ringcxCalls(async () => {
      const first = (await page(null)).body.data!.phoneNumberUpload!;
      const second = (await page(first.rows.pageInfo.endCursor)).body.data!.phoneNumberUpload!;
      const third = (await page(second.rows.pageInfo.endCursor)).body.data!.phoneNumberUpload!;
      return [first, second, third];
    });
    expect(calls).toEqual({});
    expect(result.map((p) => p.rows.nodes.map((r) => [r.line, r.status])).flat()).toEqual(expectedRows(null).map((r) => [r.line, r.status]));
    expect(result.map((p) => p.rows.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(result[0]).toMatchObject({ id: real.upload!.id, totals: { rows: 9, created: messyTotals.created } });
    expect((await graph.query('{ phoneNumberUpload(id: "no-such-upload") { id } }')).body).toEqual({ data: { phoneNumberUpload: null } });
  });

  it('accepts the same file as a multipart upload, and applies defaultAccountId to rows without an account', async () => {
    const csv = 'phoneNumber,description\n7203100001,first\n7203100002,second\n';
    const { result, calls } = await ringcxCalls(() => uploadFile({ defaultAccountId: otherAccount }, csv));
    const payload = payloadOf(result);
    expect(payload.userErrors).toEqual([]);
    expect(payload.upload!.totals).toEqual({ rows: 2, created: 2, exists: 0, duplicate: 0, invalid: 0, failed: 0 });
    expect(calls).toEqual({ [ACCOUNTS]: 1, [SEARCH_DNIS]: 1, [CREATE]: 1 });
    const pool = await inPool(['+17203100001', '+17203100002']);
    expect([...pool.values()].map((r) => [r.dnis, r.reservedAccountId, r.dnisDescription])).toEqual([
      ['17203100001', otherAccount, 'first'],
      ['17203100002', otherAccount, 'second'],
    ]);
  });

  it('refuses a multipart request without the preflight header (CSRF), before any resolver runs', async () => {
    const uploads = await uploadCount();
    const { result, calls } = await ringcxCalls(() =>
      postMultipart(graph.url, { query: UPLOAD, variables: { input: {} }, file: `phoneNumber,accountId\n7203200001,${account}\n`, preflight: false }),
    );
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.message).toMatch(/Cross-Site Request Forgery.*apollo-require-preflight/s);
    expect(calls).toEqual({});
    expect(await uploadCount()).toBe(uploads);
    expect((await inPool(['+17203200001'])).size).toBe(0);
  });

  describe('idempotency', () => {
    it('answers a retry with the same key and content with the first report, and calls no provider', async () => {
      const csv = `phoneNumber,accountId\n7203300001,${account}\n7203300002,${account}\n`;
      const first = payloadOf(await upload({ csv, idempotencyKey: 'retry-1' }));
      expect(first.upload!.totals.created).toBe(2);

      // The same content sent as a file is the same request.
      const { result, calls } = await ringcxCalls(() => uploadFile({ idempotencyKey: 'retry-1' }, csv));
      const retry = payloadOf(result);
      expect(retry).toEqual({ userErrors: [], upload: { ...first.upload!, replayed: true } });
      expect(calls).toEqual({});
      expect(await lastAudit()).toMatchObject({ operation: 'uploadPhoneNumbers', subject: first.upload!.id, outcome: 'SUCCEEDED' });
      expect((await lastAudit()).detail).toMatch(/same idempotencyKey.*nothing was changed/);
      expect([...(await inPool(['+17203300001', '+17203300002'])).keys()]).toHaveLength(2);
    });

    it('refuses the same key with different content, or with dryRun changed, and changes nothing', async () => {
      const csv = `phoneNumber,accountId\n7203400001,${account}\n`;
      const first = payloadOf(await upload({ csv, idempotencyKey: 'retry-2', dryRun: true }));
      const other = `phoneNumber,accountId\n7203400002,${account}\n`;
      for (const input of [
        { csv: other, idempotencyKey: 'retry-2', dryRun: true },
        { csv, idempotencyKey: 'retry-2', dryRun: false },
        { csv, idempotencyKey: 'retry-2', dryRun: true, defaultAccountId: account },
      ]) {
        const { result, calls } = await ringcxCalls(() => upload(input));
        expect(payloadOf(result)).toEqual({
          upload: null,
          userErrors: [
            {
              field: ['input', 'idempotencyKey'],
              code: 'IDEMPOTENCY_KEY_REUSED',
              message: `This idempotencyKey was used for a different upload (upload ${first.upload!.id}); use a new key for new content.`,
            },
          ],
        });
        expect(calls).toEqual({});
      }
      expect((await inPool(['+17203400001', '+17203400002'])).size).toBe(0);
    });

    it('refuses a second request with the key while the first is still running', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      async function* slowFile() {
        yield `phoneNumber,accountId\n7203500001,${account}\n`;
        await held;
        yield `7203500002,${account}\n`;
      }
      const firstRequest = uploadFile({ idempotencyKey: 'held' }, slowFile());
      // The first request has claimed the key once its upload is stored as running.
      await waitFor(async () => (await graph.server.services.store.uploads.byKey('held'))?.status === 'running');

      const { result, calls } = await ringcxCalls(() => upload({ csv: 'phoneNumber,accountId\n', idempotencyKey: 'held' }));
      const running = (await graph.server.services.store.uploads.byKey('held'))!;
      expect(payloadOf(result)).toEqual({
        upload: null,
        userErrors: [
          {
            field: ['input', 'idempotencyKey'],
            code: 'UPLOAD_IN_PROGRESS',
            message: `An upload with this idempotencyKey is still running (upload ${running.id}); retry when it ends.`,
          },
        ],
      });
      expect(calls).toEqual({});

      release();
      const first = payloadOf(await firstRequest);
      expect(first.upload).toMatchObject({ id: running.id, totals: { rows: 2, created: 2 } });
      expect([...(await inPool(['+17203500001', '+17203500002'])).keys()]).toHaveLength(2);
    });
  });

  describe('refusals', () => {
    const cases: [string, Record<string, unknown>, { field: string[]; code: string; message: string | RegExp }][] = [
      ['neither file nor csv', {}, { field: ['input', 'file'], code: 'UPLOAD_REQUIRED', message: 'Give the CSV as file (a multipart upload) or as csv (text).' }],
      [
        'an unknown column',
        { csv: 'phoneNumber,accountId,descripton\n7203600001,15300001,x\n' },
        {
          field: ['input', 'csv'],
          code: 'INVALID_CSV',
          message: 'Line 1 (the header): unknown column "descripton"; the columns are phoneNumber, accountId, description, category, notes, active.',
        },
      ],
      [
        'no accountId column and no default',
        { csv: 'phoneNumber\n7203600001\n' },
        { field: ['input', 'csv'], code: 'INVALID_CSV', message: 'Line 1 (the header): the accountId column is missing; add it, or give defaultAccountId.' },
      ],
      [
        'a quote that is never closed',
        { csv: 'phoneNumber,accountId,description\n7203600001,15300001,ok\n7203600002,15300001,"broken\n7203600003,15300001,x\n' },
        { field: ['input', 'csv'], code: 'INVALID_CSV', message: 'The CSV ends inside a quoted field (at line 4): a quote opened on an earlier line is never closed.' },
      ],
      [
        'an empty file',
        { csv: '\ufeff\n\n' },
        { field: ['input', 'csv'], code: 'INVALID_CSV', message: /^The CSV is empty; its first row must name the columns/ },
      ],
      [
        'an unknown defaultAccountId',
        { csv: 'phoneNumber\n7203600001\n', defaultAccountId: '424242' },
        { field: ['input', 'defaultAccountId'], code: 'INVALID_INPUT', message: 'defaultAccountId "424242" is not a RingCX sub-account Switchboard manages.' },
      ],
      ['a blank idempotencyKey', { csv: 'phoneNumber\n', idempotencyKey: ' ' }, { field: ['input', 'idempotencyKey'], code: 'INVALID_INPUT', message: 'idempotencyKey must be 1 to 200 characters, not blank.' }],
    ];

    it.each(cases)('refuses %s as a whole: a user error naming the field, nothing sent, nothing kept', async (_name, input, error) => {
      const uploads = await uploadCount();
      const { result, calls } = await ringcxCalls(() => upload(input));
      const payload = payloadOf(result);
      expect(payload.upload).toBeNull();
      expect(payload.userErrors).toEqual([{ field: error.field, code: error.code, message: typeof error.message === 'string' ? error.message : expect.stringMatching(error.message) }]);
      expect(calls[SEARCH_DNIS]).toBeUndefined();
      expect(calls[CREATE]).toBeUndefined();
      expect(await uploadCount()).toBe(uploads);
      expect(await lastAudit()).toMatchObject({ actor: 'ops@example.com', operation: 'uploadPhoneNumbers', outcome: 'REJECTED', detail: expect.stringContaining(error.code) });
      expect((await inPool(['+17203600001', '+17203600002'])).size).toBe(0);
    });

    it('refuses a file and csv given together', async () => {
      const payload = payloadOf(await uploadFile({ csv: 'phoneNumber\n' }, 'phoneNumber\n'));
      expect(payload).toEqual({ upload: null, userErrors: [{ field: ['input', 'csv'], code: 'UPLOAD_REQUIRED', message: 'Give the CSV as file or as csv, not both.' }] });
    });
  });

  it('takes inline CSV larger than a default JSON body (1 MiB)', async () => {
    const rows = 25_000;
    const csv = [...numbersCsv(rows, { accountId: account, areaCode: '737' })].join('');
    expect(Buffer.byteLength(JSON.stringify({ csv }))).toBeGreaterThan(1024 * 1024);
    const payload = payloadOf(await upload({ csv, dryRun: true }));
    expect(payload.upload!.totals).toEqual({ rows, created: rows, exists: 0, duplicate: 0, invalid: 0, failed: 0 });
  });

  it('re-checks a batch RingCX refuses because a number was added meanwhile: that row EXISTS, the rest is resent', async () => {
    const numbers = [1, 2, 3].map((i) => `+1720370000${i}`);
    const csv = `phoneNumber,accountId\n${numbers.map((n) => `${n},${account}`).join('\n')}\n`;
    // Hold our POST for a second, long enough to add one of its numbers through another route.
    await injectFaults(graph.sandbox.servers.ringcx.baseUrl, {
      rules: [{ match: CREATE, latencyMs: 1000, times: 1 }],
      rateLimits: { default: { limit: 10_000, windowSeconds: 60 } },
    });
    const { result, calls } = await ringcxCalls(async () => {
      const request = upload({ csv });
      await waitFor(async () => ((await graph.stats()).ringcx.byRoute[CREATE] ?? 0) > 0);
      await ringcx.uploadDnisPool(`dnis,reservedAccountId,dnisDescription\n17203700002,${otherAccount},someone else\n`);
      return request;
    });
    const payload = payloadOf(result);
    expect(payload.upload!.rows.nodes).toEqual([
      { line: 2, phoneNumber: numbers[0], status: 'CREATED', message: null },
      { line: 3, phoneNumber: numbers[1], status: 'EXISTS', message: 'Added to the RingCX DNIS pool by someone else during the upload; left as it is.' },
      { line: 4, phoneNumber: numbers[2], status: 'CREATED', message: null },
    ]);
    // The refused POST, one re-check of its numbers, and the resent rest.
    expect(calls).toEqual({ [ACCOUNTS]: 1, [SEARCH_DNIS]: 1, [CREATE]: 2, [LOOKUP]: 1, 'POST /voice/api/v1/admin/utilities/tnManager/uploadDnisPool': 1 });
    const pool = await inPool(numbers);
    expect([...pool.values()].map((r) => [r.dnis, r.reservedAccountId])).toEqual([
      ['17203700001', account],
      ['17203700002', otherAccount],
      ['17203700003', account],
    ]);
  });

  it('stops sending when RingCX fails, and reports the unsent rows as FAILED', async () => {
    const rows = 1200;
    await injectFaults(graph.sandbox.servers.ringcx.baseUrl, {
      rules: [{ match: CREATE, error: { status: 503, message: 'Service unavailable' } }],
      rateLimits: { default: { limit: 10_000, windowSeconds: 60 } },
    });
    const input = { csv: [...numbersCsv(rows, { accountId: account, first: 50_000 })].join(''), idempotencyKey: 'outage' };
    const { result, calls } = await ringcxCalls(() => upload(input));
    const payload = payloadOf(result);
    expect(payload.upload!.totals).toEqual({ rows, created: 0, exists: 0, duplicate: 0, invalid: 0, failed: rows });
    // The first batch is sent and re-checked (the outcome of a 5xx is unknown); the other 700 rows are not sent.
    expect(calls).toEqual({ [ACCOUNTS]: 1, [SEARCH_DNIS]: 1, [CREATE]: 1, [LOOKUP]: 1 });
    const first = payload.upload!.rows.nodes[0]!;
    const [last] = await pageAfter(payload.upload!.id, 1100, (query) => graph.query(query, { input }));
    expect(first).toMatchObject({ status: 'FAILED', message: expect.stringMatching(/^RingCX failed: .*Service unavailable/) });
    expect(last).toMatchObject({ status: 'FAILED', message: expect.stringMatching(/^Not sent: RingCX failed an earlier batch/) });
    expect((await inPool([testNumber(50_000), testNumber(50_000 + rows - 1)])).size).toBe(0);
    // The upload's entry, then the retry's, which answers with the same result.
    expect((await auditFor(payload.upload!.id)).map((e) => [e.phone_number, e.outcome])).toEqual([
      [null, 'FAILED'],
      [null, 'FAILED'],
    ]);
  });

  it('streams a 100,000-row file: every row stored, sent in batches of 500, the report paged', async () => {
    const rows = 100_000;
    const file = () => numbersCsv(rows, { accountId: account });
    const { result, calls } = await ringcxCalls(() => uploadFile({ idempotencyKey: 'hundred-thousand' }, file()));
    const payload = payloadOf(result);
    expect(payload.userErrors).toEqual([]);
    expect(payload.upload!.totals).toEqual({ rows, created: rows, exists: 0, duplicate: 0, invalid: 0, failed: 0 });
    expect(payload.upload!.rows.totalCount).toBe(rows);
    expect(payload.upload!.rows.nodes).toHaveLength(500);
    expect(payload.upload!.rows.nodes[0]).toEqual({ line: 2, phoneNumber: testNumber(0), status: 'CREATED', message: null });
    // One pool read, then 200 POSTs of 500 rows.
    expect(calls).toEqual({ [ACCOUNTS]: 1, [SEARCH_DNIS]: 1, [CREATE]: rows / 500 });
    // The last row, read back by a retry of the same request, which calls no provider.
    const tail = await pageAfter(payload.upload!.id, rows, (query) =>
      postMultipart(graph.url, { query, variables: { input: { idempotencyKey: 'hundred-thousand' } }, file: file() }),
    );
    expect(tail).toEqual([{ line: rows + 1, phoneNumber: testNumber(rows - 1), status: 'CREATED', message: null }]);
    const pool = await inPool([testNumber(0), testNumber(54_321), testNumber(rows - 1)]);
    expect(pool.size).toBe(3);
    expect(pool.get(testNumber(54_321))).toMatchObject({ reservedAccountId: account, dnisDescription: 'Bulk 54321, load test', active: true });
  }, 120_000);

  /**
   * A page of an upload's report after `line`: the report is read back by
   * replaying the request (same key, same content), with a cursor for that
   * line (cursors name a line; built here to jump deep into a long report).
   */
  async function pageAfter(id: string, line: number, send: (query: string) => Promise<UploadResponse>): Promise<Row[]> {
    const after = graph.server.services.paginator.encode(String(line).padStart(10, '0'), `upload-rows:${id}`);
    const query = `mutation Page($input: UploadPhoneNumbersInput!) {
      uploadPhoneNumbers(input: $input) { userErrors { code } upload { id replayed rows(first: 2, after: "${after}") { totalCount nodes { line phoneNumber status message } } } }
    }`;
    const { result, calls } = await ringcxCalls(() => send(query));
    const payload = payloadOf(result);
    expect(payload.upload).toMatchObject({ id, replayed: true });
    expect(calls).toEqual({});
    return payload.upload!.rows.nodes;
  }
});

describe('uploadPhoneNumbers limits', () => {
  let graph: GraphHarness;
  let account: string;
  const upload = (input: Record<string, unknown>) => graph.query<{ uploadPhoneNumbers: Payload }>(UPLOAD, { input });

  beforeAll(async () => {
    graph = await startGraph({ env: { UPLOAD_MAX_BYTES: '2048', UPLOAD_MAX_ROWS: '10' } });
    account = (await graph.backends.clients.ringcx!.listAccounts())[0]!.accountId;
  });
  afterAll(async () => graph.close());
  beforeEach(async () => graph.reset());

  const count = (table: 'uploads' | 'upload_rows') => countRows(graph, table);
  const csvOf = (rows: number) => [...numbersCsv(rows, { accountId: account })].join('');
  const quiet = async () => {
    const { byRoute } = (await graph.stats()).ringcx;
    return { searches: byRoute[SEARCH_DNIS] ?? 0, creates: byRoute[CREATE] ?? 0 };
  };

  it('accepts a file at the limits', async () => {
    const csv = csvOf(10);
    expect(Buffer.byteLength(csv)).toBeLessThanOrEqual(2048);
    const payload = payloadOf(await postMultipart(graph.url, { query: UPLOAD, variables: { input: { dryRun: true } }, file: csv }));
    expect(payload.upload!.totals.rows).toBe(10);
  });

  const over: ['file' | 'csv', 'bytes' | 'rows'][] = [
    ['file', 'bytes'],
    ['csv', 'bytes'],
    ['file', 'rows'],
    ['csv', 'rows'],
  ];
  it.each(over)('refuses a %s over the %s limit with a clear error, sends nothing and keeps nothing', async (field, limit) => {
    const csv = limit === 'bytes' ? `phoneNumber,accountId,notes\n7203800001,${account},"${'x'.repeat(3000)}"\n` : csvOf(11);
    const [uploads, rows] = [await count('uploads'), await count('upload_rows')];
    const response =
      field === 'file'
        ? await postMultipart<{ uploadPhoneNumbers: Payload }>(graph.url, { query: UPLOAD, variables: { input: {} }, file: csv })
        : await upload({ csv });
    expect(payloadOf(response)).toEqual({
      upload: null,
      userErrors: [
        limit === 'bytes'
          ? { field: ['input', field], code: 'UPLOAD_TOO_LARGE', message: 'The CSV is larger than the limit of 2,048 bytes; split it into smaller files.' }
          : { field: ['input', field], code: 'TOO_MANY_ROWS', message: 'The CSV has more than the limit of 10 data rows; split it into smaller files.' },
      ],
    });
    expect(await quiet()).toEqual({ searches: 0, creates: 0 });
    expect([await count('uploads'), await count('upload_rows')]).toEqual([uploads, rows]);
    expect(await graph.server.services.store.db.selectFrom('audit').select(['outcome', 'detail']).orderBy('id', 'desc').limit(1).executeTakeFirst()).toEqual({
      outcome: 'REJECTED',
      detail: expect.stringMatching(limit === 'bytes' ? /^UPLOAD_TOO_LARGE: / : /^TOO_MANY_ROWS: /),
    });
    expect(await graph.backends.clients.ringcx!.getDnisPool('17203800001')).toBeNull();
  });
});

async function countRows(graph: GraphHarness, table: 'uploads' | 'upload_rows'): Promise<number> {
  const { n } = await graph.server.services.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Waits for a condition that another request brings about (polled, with a deadline). */
async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

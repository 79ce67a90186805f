import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { Contract, describeWithContracts } from '../support/openapi.js';
import { resetSandbox } from '../support/sandbox.js';
import { RC_TOKEN, startRingCx, TNM, type RingCxHarness } from '../providers/ringcx/support.js';

/**
 * Every RingCX operation the client uses, fetched from the sandbox and
 * validated against the official spec extract (Ajv). Paths are the real
 * `/voice/api/...` ones, not the 2021 duplicates without the prefix. The
 * refresh endpoint is documented in prose only and has no spec entry.
 */

type Json = Record<string, unknown>;
const ACCOUNT = '/voice/api/v1/admin/accounts/{accountId}';

describeWithContracts('RingCX sandbox conforms to the spec extract', () => {
  let rcx: RingCxHarness;
  const contract = new Contract('ringcx');
  /** Fetches `path` and validates the answer against `specPath`. */
  let check: (method: string, specPath: string, path: string, body?: unknown, status?: number) => Promise<unknown>;

  beforeAll(async () => {
    rcx = await startRingCx();
    check = async (method, specPath, path, body, status = 200) => {
      const response = await rcx.raw(method, path, body);
      expect(response.status).toBe(status);
      expect(contract.errors(method, specPath, status, response.body)).toEqual([]);
      return response.body;
    };
  });
  afterAll(async () => rcx.close());
  beforeEach(async () => resetSandbox(rcx.baseUrl));

  it('token exchange', async () => {
    const response = await fetch(`${rcx.baseUrl}/api/auth/login/rc/accesstoken`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `rcAccessToken=${RC_TOKEN}&rcTokenType=Bearer&includeRefresh=true`,
    });
    expect(response.status).toBe(200);
    expect(contract.errors('POST', '/api/auth/login/rc/accesstoken', 200, await response.json())).toEqual([]);
  });

  it('accounts', async () => {
    await check('GET', '/voice/api/v1/admin/accounts', '/voice/api/v1/admin/accounts');
    await check('GET', `${TNM}/accounts`, `${TNM}/accounts`);
  });

  it('searches', async () => {
    const v2 = (await check('POST', '/voice/api/v2/admin/utilities/tnManager/searchDnis', '/voice/api/v2/admin/utilities/tnManager/searchDnis', {})) as { totalCount: number };
    expect(v2.totalCount).toBe(2000);
    await check('POST', `${TNM}/searchDnis`, `${TNM}/searchDnis`, { accountIds: ['15300001'], dnisState: 'ASSIGNED' });
    await check('POST', `${TNM}/search`, `${TNM}/search?page=0&maxRows=50&count=true`, { product: 'ACD', objectId: 40101 });
  });

  it('DNIS pool reads and writes', async () => {
    const records = ((await rcx.raw('POST', `${TNM}/search?maxRows=1000`, {})).body as { records: Json[] }).records;
    // Every record of the first page, assigned or not, to cover each embedded destination.
    for (const record of records.slice(0, 40)) await check('GET', `${TNM}/dnisPool/{dnis}`, `${TNM}/dnisPool/${record.dnis as string}`);
    await check('POST', `${TNM}/dnisPool`, `${TNM}/dnisPool`, [{ dnis: '14155550170', reservedAccountId: '15300001', dnisDescription: 'Conformance', active: true }]);
    await check('PUT', `${TNM}/dnisPool`, `${TNM}/dnisPool`, [{ dnis: '14155550170', notes: 'updated' }]);
    await check('PUT', `${TNM}/updateBulkDnisPool`, `${TNM}/updateBulkDnisPool`, [{ dnis: '14155550170', dnisCategory: 'Local' }]);
    await check('DELETE', `${TNM}/dnisPool/{dnis}`, `${TNM}/dnisPool/14155550170`);
    await check('PUT', `${TNM}/dnisPool/bulkDelete`, `${TNM}/dnisPool/bulkDelete`, [records[0]!.dnis]);
  });

  it('upload', async () => {
    const data = new FormData();
    data.append('file', new Blob(['dnis,dnisDescription,reservedAccountId\n14155550171,"A, B",15300001\n12,bad,15300001\n'], { type: 'text/csv' }), 'pool.csv');
    const response = await fetch(`${rcx.baseUrl}${TNM}/uploadDnisPool?fileType=COMMA`, { method: 'POST', headers: { 'x-auth-token': rcx.apiToken }, body: data });
    expect(response.status).toBe(200);
    expect(contract.errors('POST', `${TNM}/uploadDnisPool`, 200, await response.json())).toEqual([]);
  });

  it('assignments to every kind of destination', async () => {
    const v2 = (await rcx.raw('POST', '/voice/api/v2/admin/utilities/tnManager/searchDnis', {})).body as { entries: Record<string, { records: Json[] }> };
    const rows = Object.values(v2.entries).flatMap((e) => e.records);
    for (const type of ['GATE', 'VISUAL_IVR', 'CLOUD_PROFILE', 'TRAC_NUMBER']) {
      const row = rows.find((r) => (r.assignedDnis as Json | undefined)?.endPointType === type)!;
      await check('GET', `${TNM}/assignedDnis/{dnis}`, `${TNM}/assignedDnis/${row.dnis as string}`);
    }
    const free = rows.filter((r) => r.dnisState === 'UNASSIGNED').map((r) => r.dnis as string);
    await check('PUT', `${TNM}/assignedDnis/gates/{gateId}`, `${TNM}/assignedDnis/gates/40101`, [{ dnis: free[0], isActive: true, dnisDescription: 'Conformance' }]);
    await check('PUT', `${TNM}/assignedDnis/visualIvrs/{visualIvrId}`, `${TNM}/assignedDnis/visualIvrs/7101`, [{ dnis: free[1] }]);
    await check('PUT', `${TNM}/assignedDnis/cloudRouteProfiles/{cloudRouteProfileId}`, `${TNM}/assignedDnis/cloudRouteProfiles/5101`, [{ dnis: free[2], startDate: '2026-01-01T00:00:00Z' }]);
    await check('DELETE', `${TNM}/assignedDnis/{dnis}`, `${TNM}/assignedDnis/${free[0]!}`);
  });

  it('queues', async () => {
    await check('GET', `${ACCOUNT}/gateGroups/withChildren`, '/voice/api/v1/admin/accounts/15300001/gateGroups/withChildren?page=0&maxRows=10');
    await check('GET', `${ACCOUNT}/gateGroups/{gateGroupId}/gates`, '/voice/api/v1/admin/accounts/15300001/gateGroups/1201/gates');
    await check('GET', `${ACCOUNT}/gateGroups/{gateGroupId}/gates/{gateId}`, '/voice/api/v1/admin/accounts/15300001/gateGroups/1201/gates/40101');
  });

  it('cloud routing', async () => {
    await check('GET', '/voice/api/v2-skinny/admin/accounts/{accountId}/cloudRouteProfileGroups/withChildren', '/voice/api/v2-skinny/admin/accounts/15300001/cloudRouteProfileGroups/withChildren');
    await check('GET', `${ACCOUNT}/cloudRouteProfileGroups/{cloudRouteGroupId}/cloudRouteProfiles`, '/voice/api/v1/admin/accounts/15300001/cloudRouteProfileGroups/501/cloudRouteProfiles');
    await check(
      'GET',
      `${ACCOUNT}/cloudRouteProfileGroups/{cloudRouteGroupId}/cloudRouteProfiles/{cloudRouteProfileId}`,
      '/voice/api/v1/admin/accounts/15300001/cloudRouteProfileGroups/501/cloudRouteProfiles/5101',
    );
  });

  it('v1 cloud route groups differ from the spec only where springfox mis-typed a Java Collection', async () => {
    // Not used by the client (it reads the v2-skinny listing). The spec types
    // `cloudRouteProfiles`/`cloudRouteDestinations` as opaque "Collection*"
    // objects; a Java Collection serialises as a JSON array, which we send.
    const response = await rcx.raw('GET', '/voice/api/v1/admin/accounts/15300001/cloudRouteProfileGroups/withChildren');
    const groups = response.body as Json[];
    expect(groups.every((g) => Array.isArray(g.cloudRouteProfiles) && Array.isArray(g.cloudRouteDestinations))).toBe(true);
    expect(contract.errors('GET', `${ACCOUNT}/cloudRouteProfileGroups/withChildren`, 200, response.body)).toEqual(
      groups.flatMap((_, i) => [`/${i}/cloudRouteDestinations must be object`, `/${i}/cloudRouteProfiles must be object`]),
    );
    const withoutCollections = groups.map(({ cloudRouteProfiles: _p, cloudRouteDestinations: _d, ...rest }) => rest);
    expect(contract.errors('GET', `${ACCOUNT}/cloudRouteProfileGroups/withChildren`, 200, withoutCollections)).toEqual([]);
    for (const profile of groups.flatMap((g) => g.cloudRouteProfiles as Json[])) {
      expect(contract.errors('GET', `${ACCOUNT}/cloudRouteProfileGroups/{cloudRouteGroupId}/cloudRouteProfiles/{cloudRouteProfileId}`, 200, profile)).toEqual([]);
    }
  });

  it('tracking', async () => {
    const groups = (await check('GET', `${ACCOUNT}/tracGroups/withChildren`, '/voice/api/v1/admin/accounts/15300001/tracGroups/withChildren')) as { tracNumbers: { tracId: number }[] }[];
    const tracId = groups[0]!.tracNumbers[0]!.tracId;
    await check('GET', `${ACCOUNT}/tracGroups/{tracGroupId}`, '/voice/api/v1/admin/accounts/15300001/tracGroups/801');
    await check('PUT', `${ACCOUNT}/tracGroups/{tracGroupId}`, '/voice/api/v1/admin/accounts/15300001/tracGroups/801', { groupName: 'Google Ads (renamed)' });
    await check('GET', `${ACCOUNT}/tracGroups/{tracGroupId}/tracNumbers`, '/voice/api/v1/admin/accounts/15300001/tracGroups/801/tracNumbers');
    await check('GET', `${ACCOUNT}/tracGroups/{tracGroupId}/tracNumbers/{tracId}`, `/voice/api/v1/admin/accounts/15300001/tracGroups/801/tracNumbers/${tracId}`);
    await check('PUT', `${ACCOUNT}/tracGroups/{tracGroupId}/tracNumbers/{tracId}`, `/voice/api/v1/admin/accounts/15300001/tracGroups/801/tracNumbers/${tracId}`, { recordCall: 1 });
    await check('POST', `${ACCOUNT}/tracGroups/{tracGroupId}/tracNumbers`, '/voice/api/v1/admin/accounts/15300001/tracGroups/801/tracNumbers', { description: 'Google Ads — Conformance' });
  });
});

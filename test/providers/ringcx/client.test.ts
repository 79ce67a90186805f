import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ProviderError } from '../../../src/providers/core/errors.js';
import type { RingCxClient } from '../../../src/providers/ringcx/index.js';
import { injectFaults, resetSandbox, sandboxStats } from '../../support/sandbox.js';
import { collect, startRingCx, TNM, type RingCxHarness } from './support.js';

type Row = { dnis: string; dnisState: string; dnisDescription: string; assignedDnis?: { endPointType: string; endPointId: string } };
type V2 = { entries: Record<string, { name: string; records: Row[] }>; totalCount: number };

const SEARCH = `POST ${TNM}/search`;

describe('RingCxClient against the sandbox', () => {
  let rcx: RingCxHarness;
  let client: RingCxClient;
  /** The seed, read raw (v2 searchDnis) so tests compare the client with the wire. */
  let seed: V2;
  let rows: (Row & { accountId: string })[];

  const unassigned = () => rows.filter((r) => r.dnisState === 'UNASSIGNED');
  const onGate = (gateId: string) => rows.filter((r) => r.assignedDnis?.endPointType === 'GATE' && r.assignedDnis.endPointId === gateId);

  beforeAll(async () => {
    rcx = await startRingCx();
    client = rcx.client();
    seed = (await rcx.raw('POST', '/voice/api/v2/admin/utilities/tnManager/searchDnis', {})).body as V2;
    rows = Object.entries(seed.entries).flatMap(([accountId, entry]) => entry.records.map((r) => ({ ...r, accountId })));
  });
  afterAll(async () => rcx.close());
  beforeEach(async () => resetSandbox(rcx.baseUrl));

  describe('accounts', () => {
    it('lists the sub-accounts (both endpoints)', async () => {
      const accounts = await client.listAccounts();
      expect(accounts[0]).toEqual({
        accountId: '15300001',
        accountName: 'Brightline Patient Access',
        mainAccountId: '15300000',
        mainAccountName: 'Brightline Health',
        archivedAccount: false,
        enableTracking: true,
        enableVisualIvr: true,
        enableCloudRouting: true,
        defaultCallerid: expect.stringMatching(/^\d{11,12}$/),
        startDate: new Date(Date.UTC(2019, 0, 1)),
      });
      expect(await client.listTnManagerAccounts()).toEqual(accounts);
    });
  });

  describe('searchDnis', () => {
    it('flattens v2 entries into rows tagged with their account', async () => {
      const result = await client.searchDnis();
      expect(result.totalCount).toBe(2000);
      expect(result.records).toHaveLength(2000);
      const perAccount = Object.fromEntries(Object.entries(seed.entries).map(([id, e]) => [id, e.records.length]));
      const counted: Record<string, number> = {};
      for (const r of result.records) counted[r.accountId!] = (counted[r.accountId!] ?? 0) + 1;
      expect(counted).toEqual(perAccount);
      const first = result.records[0]!;
      const wire = seed.entries[first.accountId!]!.records[0]!;
      expect(first).toMatchObject({ dnis: wire.dnis, dnisState: wire.dnisState, accountName: seed.entries[first.accountId!]!.name });
      expect(first.dateCreated).toBeInstanceOf(Date);
    });

    it('reads the v1 shape ({records, totalElements}) to the same rows', async () => {
      const v1 = await client.searchDnis({ accountIds: ['15300003'] }, { version: 'v1' });
      const v2 = await client.searchDnis({ accountIds: ['15300003'] });
      expect(v1.totalCount).toBe(v2.totalCount);
      expect(v1.records.map(({ accountName: _n, ...r }) => r)).toEqual(v2.records.map(({ accountName: _n, ...r }) => r));
      expect(await sandboxStats(rcx.baseUrl)).toEqual({
        rateLimited: 0,
        total: 2,
        byRoute: { [`POST ${TNM}/searchDnis`]: 1, 'POST /voice/api/v2/admin/utilities/tnManager/searchDnis': 1 },
      });
    });

    it('filters by account, state and text', async () => {
      const result = await client.searchDnis({ accountIds: ['15300002'], dnisState: 'UNASSIGNED' });
      const expected = rows.filter((r) => r.accountId === '15300002' && r.dnisState === 'UNASSIGNED').map((r) => r.dnis);
      expect(result.records.map((r) => r.dnis)).toEqual(expected);
      expect(result.records.every((r) => r.assignedDnis === undefined)).toBe(true);

      const text = await client.searchDnis({ searchText: 'claim status' });
      expect(text.records.length).toBeGreaterThan(0);
      expect(text.records.every((r) => /claim status/i.test(r.dnisDescription ?? ''))).toBe(true);
    });
  });

  describe('tnManager/search', () => {
    it('pages through a listing with 0-based pages until a short page', async () => {
      const all = await collect(client.searchDnisPool({ accountIds: ['15300003'] }, { pageSize: 150 }));
      const expected = seed.entries['15300003']!.records.map((r) => r.dnis);
      expect(expected).toHaveLength(400);
      expect(all.map((r) => r.dnis)).toEqual(expected);
      expect(all.every((r) => r.reservedAccountId === '15300003')).toBe(true);
      // 150 + 150 + 100: the short third page ends it.
      expect((await sandboxStats(rcx.baseUrl)).byRoute[SEARCH]).toBe(3);
    });

    it('asks for one more (empty) page when the last page is full', async () => {
      const all = await collect(client.searchDnisPool({ accountIds: ['15300003'] }, { pageSize: 200 }));
      expect(all).toHaveLength(400);
      expect((await sandboxStats(rcx.baseUrl)).byRoute[SEARCH]).toBe(3);
    });

    it('looks up many DNIS in one call, in any format', async () => {
      const [a, b, c] = [rows[10]!, rows[500]!, rows[1500]!];
      const found = await collect(client.searchDnisPool({ dnis: [a.dnis, `+${b.dnis}`, c.dnis, '14155550123'] }));
      expect(found.map((r) => r.dnis).sort()).toEqual([a.dnis, b.dnis, c.dnis].sort());
      expect((await sandboxStats(rcx.baseUrl)).byRoute[SEARCH]).toBe(1);
    });

    it('finds the numbers assigned to one queue (product ACD + objectId)', async () => {
      const found = await collect(client.searchDnisPool({ product: 'ACD', objectId: '40101' }));
      expect(found.map((r) => r.dnis)).toEqual(onGate('40101').map((r) => r.dnis));
      expect(found.length).toBeGreaterThan(10);
      expect(found.every((r) => r.assignedDnis?.gate?.gateId === '40101' && r.assignedDnis.gate.gateName === 'New Appointments')).toBe(true);
    });

    it('returns one page with the total when asked, and counts', async () => {
      const page = await client.searchDnisPoolPage({ assigned: false }, { page: 1, maxRows: 10, count: true });
      const notAssigned = rows.filter((r) => r.assignedDnis === undefined).map((r) => r.dnis).sort();
      expect(page.totalCount).toBe(notAssigned.length);
      expect(page.records.map((r) => r.dnis)).toEqual(notAssigned.slice(10, 20));
      expect(await client.countDnisPool({ assigned: true, active: true })).toBe(rows.filter((r) => r.dnisState === 'ASSIGNED').length);
    });

    it('retries the read-only search POST after a 5xx', async () => {
      await injectFaults(rcx.baseUrl, { rules: [{ match: SEARCH, error: { status: 502 }, times: 1 }] });
      await expect(client.searchDnisPoolPage({ dnis: [rows[0]!.dnis] })).resolves.toMatchObject({ records: [{ dnis: rows[0]!.dnis }] });
      expect((await sandboxStats(rcx.baseUrl)).byRoute[SEARCH]).toBe(2);
    });
  });

  describe('DNIS pool', () => {
    it('gets a record with its assignment, or null when unknown', async () => {
      const row = onGate('40102')[0]!;
      const record = await client.getDnisPool(row.dnis);
      expect(record).toMatchObject({
        dnis: row.dnis,
        dnisE164: `+${row.dnis}`,
        reservedAccountId: '15300001',
        dnisDescription: row.dnisDescription,
        active: true,
        phoneNumbersI18nEnabled: true,
        assignedDnis: {
          dnis: row.dnis,
          endPointType: 'GATE',
          endPointId: '40102',
          gate: {
            gateId: '40102',
            gateName: 'Nurse Advice Line',
            gateGroupId: '1202',
            groupId: '1202',
            accountId: '15300001',
            gateGroup: { gateGroupId: '1202', groupName: 'Clinical Support', accountId: '15300001', billingKey: 'PA-CLIN' },
          },
        },
      });
      expect(record!.dateCreated).toBeInstanceOf(Date);
      expect(record!.assignedDnis!.startDate).toBeInstanceOf(Date);
      expect(await client.getDnisPool('14155550123')).toBeNull();
    });

    it('creates records, refuses duplicates with CONFLICT, and never retries the POST', async () => {
      const created = await client.createDnisPool([
        { dnis: '14155550123', reservedAccountId: '15300002', dnisDescription: 'Billing pilot line', dnisCategory: 'Local', notes: 'Pilot', active: true },
        { dnis: '442079460000', reservedAccountId: '15300001', dnisDescription: 'London clinic' },
      ]);
      expect(created.map((r) => [r.dnis, r.dnisE164, r.reservedAccountId, r.dnisDescription])).toEqual([
        ['14155550123', '+14155550123', '15300002', 'Billing pilot line'],
        ['442079460000', '+442079460000', '15300001', 'London clinic'],
      ]);
      expect(await client.getDnisPool('442079460000')).toMatchObject({ dnisDescription: 'London clinic', active: true });

      const duplicate = await client.createDnisPool([{ dnis: '14155550124', reservedAccountId: '15300002' }, { dnis: '14155550123', reservedAccountId: '15300002' }]).catch((e: unknown) => e);
      expect(duplicate).toMatchObject({ code: 'CONFLICT', status: 409, providerCode: 'dnis.already.exists.exception' });
      expect((duplicate as Error).message).toBe(`ringcx POST ${TNM}/dnisPool failed with 409: DNIS already exists: Already in the DNIS pool: 14155550123`);
      // All or nothing: the valid first item was not created either.
      expect(await client.getDnisPool('14155550124')).toBeNull();

      await injectFaults(rcx.baseUrl, { rules: [{ match: `POST ${TNM}/dnisPool`, error: { status: 503 } }] });
      await expect(client.createDnisPool([{ dnis: '14155550125', reservedAccountId: '15300002' }])).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503 });
      expect((await sandboxStats(rcx.baseUrl)).byRoute[`POST ${TNM}/dnisPool`]).toBe(3);
    });

    it('refuses an invalid record as BAD_REQUEST naming the field, creating nothing', async () => {
      const error = await client.createDnisPool([{ dnis: '14155550126', reservedAccountId: '15300002' }, { dnis: '12345', reservedAccountId: '99' }]).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'BAD_REQUEST', status: 400, providerCode: 'validation.exception' });
      expect((error as Error).message).toBe(
        `ringcx POST ${TNM}/dnisPool failed with 400: The request failed validation ([1].dnis is not a valid phone number; [1].reservedAccountId is not an account you can manage)`,
      );
      expect(await client.getDnisPool('14155550126')).toBeNull();
    });

    it('updates, bulk-updates, deletes and bulk-deletes', async () => {
      const [a, b, c] = unassigned();
      const updated = await client.updateDnisPool([{ dnis: a!.dnis, notes: 'Moved to billing', dnisDescription: 'Billing overflow' }]);
      expect(updated).toEqual([expect.objectContaining({ dnis: a!.dnis, notes: 'Moved to billing', dnisDescription: 'Billing overflow', lastModifiedBy: 'api.integration@brightlinehealth.example' })]);

      const assigned = onGate('40103')[0]!;
      const bulk = await client.updateBulkDnisPool([
        { dnis: assigned.dnis, dnisCategory: 'Priority', assignedDnis: { dnisDescription: 'Imaging (priority)', isActive: false } },
        { dnis: '14155550199' },
      ]);
      expect(bulk).toEqual({ status: 'PARTIAL_SUCCESS', message: '1 DNIS updated; not in the DNIS pool: 14155550199', updatedRows: 1 });
      expect(await client.getAssignedDnis(assigned.dnis)).toMatchObject({ dnisDescription: 'Imaging (priority)', isActive: false });

      expect(await client.deleteDnisPool(b!.dnis)).toBe(true);
      expect(await client.getDnisPool(b!.dnis)).toBeNull();
      await expect(client.deleteDnisPool(b!.dnis)).rejects.toMatchObject({ code: 'NOT_FOUND', providerCode: 'dnis.not.found.exception' });

      expect(await client.bulkDeleteDnisPool([c!.dnis, assigned.dnis])).toBe(true);
      expect(await client.getDnisPool(c!.dnis)).toBeNull();
      // Deleting a number removes its assignment with it.
      expect(await client.getAssignedDnis(assigned.dnis).catch((e: ProviderError) => e.providerCode)).toBe('dnis.not.found.exception');
    });

    it('refuses an update of an unknown DNIS with NOT_FOUND and changes nothing', async () => {
      const a = unassigned()[0]!;
      const error = await client.updateDnisPool([{ dnis: a.dnis, notes: 'should not stick' }, { dnis: '14155550198', notes: 'x' }]).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, providerCode: 'dnis.not.found.exception' });
      expect((await client.getDnisPool(a.dnis))!.notes).toBeUndefined();
    });
  });

  describe('uploadDnisPool', () => {
    it('stores valid rows (quoted commas included) and reports the bad ones by line', async () => {
      const csv = [
        'dnis,dnisDescription,dnisCategory,reservedAccountId,notes,active',
        '14155550130,"Support, West Coast",Local,15300001,"Ported from PBX, 2021",true',
        '+1 (415) 555-0131,Claims intake,Local,15300002,,',
        '12345,Too short,Local,15300001,,true',
        `${rows[0]!.dnis},Already there,Local,15300001,,true`,
        '14155550132,Unquoted, comma,Local,15300001,,true',
        '14155550133,Wrong account,Local,999,,maybe',
      ].join('\n');
      const preview = await client.uploadDnisPool(csv);
      expect(preview.uploadStatus).toEqual({
        validated: false,
        totalRecords: 6,
        validRecords: 2,
        errorCode: 'dnis.upload.invalid.rows',
        errorMessage: [
          'Line 4: dnis "12345" is not a valid phone number',
          `Line 5: dnis ${rows[0]!.dnis} already exists in the DNIS pool`,
          'Line 6: expected 6 fields but found 7 (quote values that contain the delimiter)',
          'Line 7: reservedAccountId "999" is not an account you can manage; active "maybe" must be true or false',
        ],
      });
      expect(preview.records).toEqual([
        { lineNumber: 2, dnis: '14155550130', dnisE164: '+14155550130', dnisDescription: 'Support, West Coast', dnisCategory: 'Local', reservedAccountId: '15300001', notes: 'Ported from PBX, 2021', active: true },
        { lineNumber: 3, dnis: '14155550131', dnisE164: '+14155550131', dnisDescription: 'Claims intake', dnisCategory: 'Local', reservedAccountId: '15300002', notes: '', active: true },
      ]);
      expect(await client.getDnisPool('14155550130')).toMatchObject({ dnisDescription: 'Support, West Coast', notes: 'Ported from PBX, 2021' });
      expect(await client.getDnisPool('14155550133')).toBeNull();
    });

    it('honours a custom quote character and is never retried', async () => {
      const csv = "dnis,dnisDescription,reservedAccountId\n14155550140,'After hours, East',15300003\n";
      const preview = await client.uploadDnisPool(Buffer.from(csv), { quoteCharacter: "'" });
      expect(preview.uploadStatus).toEqual({ validated: true, totalRecords: 1, validRecords: 1, errorMessage: [] });
      expect(preview.records[0]).toMatchObject({ dnisDescription: 'After hours, East' });

      await injectFaults(rcx.baseUrl, { rules: [{ match: `POST ${TNM}/uploadDnisPool`, error: { status: 500 } }] });
      await expect(client.uploadDnisPool(csv)).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 500 });
      expect((await sandboxStats(rcx.baseUrl)).byRoute[`POST ${TNM}/uploadDnisPool`]).toBe(2);
    });

    it('refuses a file without the required columns', async () => {
      await expect(client.uploadDnisPool('number,label\n14155550141,x\n')).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        providerCode: 'dnis.upload.invalid.header',
        message: `ringcx POST ${TNM}/uploadDnisPool failed with 400: The file has unknown columns: Unknown column(s): number, label; expected dnis, dnisDescription, dnisCategory, reservedAccountId, notes, active`,
      });
    });
  });

  describe('assignments', () => {
    it('reads an assignment; null when unassigned; NOT_FOUND when not in the pool', async () => {
      const ivr = rows.find((r) => r.assignedDnis?.endPointType === 'VISUAL_IVR')!;
      const assignment = await client.getAssignedDnis(ivr.dnis);
      expect(assignment).toMatchObject({ dnis: ivr.dnis, endPointType: 'VISUAL_IVR', visualIvr: { visualIvrId: ivr.assignedDnis!.endPointId, isDeleted: false } });
      expect(assignment!.gate).toBeUndefined();
      expect(await client.getAssignedDnis(unassigned()[0]!.dnis)).toBeNull();
      await expect(client.getAssignedDnis('14155550123')).rejects.toMatchObject({ code: 'NOT_FOUND', providerCode: 'dnis.not.found.exception' });
    });

    it('assigns to a queue, then updates the same assignment in place', async () => {
      const [a, b] = unassigned();
      const result = await client.assignToGate('40105', [
        { dnis: a!.dnis, isActive: true, dnisDescription: 'Claim status (new line)' },
        { dnis: b!.dnis, startDate: new Date(Date.UTC(2026, 0, 1)) },
      ]);
      expect(result.map((r) => [r.dnis, r.dnisDescription, r.isActive, r.gate?.gateId, r.gate?.gateName])).toEqual([
        [a!.dnis, 'Claim status (new line)', true, '40105', 'Claim Status'],
        [b!.dnis, b!.dnisDescription, true, '40105', 'Claim Status'],
      ]);
      expect(result[1]!.startDate).toEqual(new Date(Date.UTC(2026, 0, 1)));

      const again = await client.assignToGate('40105', [{ dnis: a!.dnis, isActive: false, dnisDescription: 'Paused' }]);
      expect(again[0]).toMatchObject({ dnis: a!.dnis, isActive: false, dnisDescription: 'Paused' });
      expect(await client.getAssignedDnis(a!.dnis)).toMatchObject({ isActive: false, dnisDescription: 'Paused', gate: { gateId: '40105' } });
    });

    it('refuses a DNIS assigned elsewhere with CONFLICT and leaves every number as it was', async () => {
      const free = unassigned()[0]!;
      const taken = onGate('40101')[0]!;
      const before = await client.getAssignedDnis(taken.dnis);
      const error = await client.assignToGate('40102', [{ dnis: free.dnis }, { dnis: taken.dnis }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ code: 'CONFLICT', status: 409, providerCode: 'dnis.already.assigned.exception', retryable: false });
      expect((error as Error).message).toBe(
        `ringcx PUT ${TNM}/assignedDnis/gates/40102 failed with 409: DNIS is already assigned to another destination: ${taken.dnis} is assigned to queue (gate) 40101`,
      );
      expect(await client.getAssignedDnis(taken.dnis)).toEqual(before);
      expect(await client.getAssignedDnis(free.dnis)).toBeNull();
      // A 409 is an answer, not a failure: not retried.
      expect((await sandboxStats(rcx.baseUrl)).byRoute[`PUT ${TNM}/assignedDnis/gates/{gateId}`]).toBe(1);
    });

    it('answers NOT_FOUND for an unknown destination or a DNIS not in the pool', async () => {
      await expect(client.assignToGate('49999', [{ dnis: unassigned()[0]!.dnis }])).rejects.toMatchObject({ code: 'NOT_FOUND', providerCode: 'gate.not.found.exception' });
      await expect(client.assignToVisualIvr('7101', [{ dnis: '14155550123' }])).rejects.toMatchObject({ code: 'NOT_FOUND', providerCode: 'dnis.not.found.exception' });
    });

    it('assigns to a Visual IVR and a cloud route profile, embedding the spec names', async () => {
      const [a, b] = unassigned();
      const [ivr] = await client.assignToVisualIvr('7101', [{ dnis: a!.dnis }]);
      expect(ivr!.visualIvr).toEqual({
        visualIvrId: '7101',
        visualIvrName: 'Main Menu',
        visualIvrDesc: 'Front door menu for the patient access line',
        visualIvrGroupId: '301',
        groupId: '301',
        accountId: '15300001',
        isActive: true,
        isDeleted: false,
      });
      const [cloud] = await client.assignToCloudRouteProfile('5105', [{ dnis: b!.dnis }]);
      expect(cloud!.cloudRouteProfile).toEqual({
        cloudProfileId: '5105',
        profileName: 'Outsourced Billing Vendor',
        cloudGroupId: '503',
        groupId: '503',
        accountId: '15300002',
        isActive: true,
        isDeleted: false,
      });
    });

    it('unassigns', async () => {
      const row = onGate('40104')[0]!;
      expect(await client.deleteAssignedDnis(row.dnis)).toBe(true);
      expect(await client.getAssignedDnis(row.dnis)).toBeNull();
      await expect(client.deleteAssignedDnis(row.dnis)).rejects.toMatchObject({ code: 'NOT_FOUND', providerCode: 'dnis.not.assigned.exception' });
    });
  });

  describe('queues and cloud routing', () => {
    it('pages through gate groups with their gates', async () => {
      const groups = await collect(client.listGateGroupsWithGates('15300001', { pageSize: 2 }));
      expect(groups.map((g) => [g.gateGroupId, g.groupName, g.gates.length])).toEqual([
        ['1201', 'Scheduling', 5],
        ['1202', 'Clinical Support', 5],
        ['1203', 'Spanish Language Services', 5],
      ]);
      expect(groups[0]!.gates.map((g) => g.gateName)).toEqual([
        'New Appointments',
        'Reschedule & Cancel',
        'Imaging Scheduling',
        'Specialist Referrals',
        'Pediatrics Scheduling',
      ]);
      expect((await sandboxStats(rcx.baseUrl)).byRoute['GET /voice/api/v1/admin/accounts/{accountId}/gateGroups/withChildren']).toBe(2);
    });

    it('lists the gates of a group and gets one gate with its group', async () => {
      const gates = await collect(client.listGates('15300002', '1205', { pageSize: 3 }));
      expect(gates.map((g) => g.gateName)).toEqual(['Claim Status', 'Insurance Verification', 'Prior Authorization', 'Denials & Appeals']);
      const gate = await client.getGate('15300002', '1205', gates[1]!.gateId);
      expect(gate).toMatchObject({ gateId: gates[1]!.gateId, gateName: 'Insurance Verification', gateGroup: { gateGroupId: '1205', groupName: 'Claims', gates: [] } });
      await expect(client.getGate('15300001', '1205', gates[1]!.gateId)).rejects.toMatchObject({ code: 'NOT_FOUND', providerCode: 'gate.group.not.found.exception' });
      await expect(client.getGate('99999', '1205', '1')).rejects.toMatchObject({ code: 'NOT_FOUND', providerCode: 'account.not.found.exception' });
    });

    it('lists cloud route groups (v2-skinny) and their profiles', async () => {
      const groups = await client.listCloudRouteGroups('15300001');
      expect(groups.map((g) => [g.cloudGroupId, g.groupName, g.cloudRouteProfiles.map((p) => p.profileName), g.cloudRouteDestinations.map((d) => d.destinationName)])).toEqual([
        ['501', 'Overflow Routing', ['After-Hours Answering Service', 'Nurse Line Overflow'], ['Answering Service PSTN', 'On-call Nurse Mobile']],
        ['502', 'Business Continuity', ['Disaster Recovery — Main Campus', 'Weather Closure'], ['DR Site Main Line', 'Emergency Operations Center']],
      ]);
      const profiles = await client.listCloudRouteProfiles('15300001', '502');
      expect(profiles.map((p) => p.cloudProfileId)).toEqual(['5103', '5104']);
      expect(await client.getCloudRouteProfile('15300001', '502', '5104')).toEqual({
        cloudProfileId: '5104',
        profileName: 'Weather Closure',
        profileDesc: 'Weather closure routing for all clinics',
        routingType: 'ROUND_ROBIN',
        isActive: true,
        isDeleted: false,
        cloudRouteGroup: { cloudGroupId: '502', groupName: 'Business Continuity' },
      });
    });
  });

  describe('tracking numbers', () => {
    it('lists tracking groups with their numbers in one call', async () => {
      const groups = await client.listTracGroups('15300002');
      expect(groups.map((g) => [g.tracGroupId, g.groupName])).toEqual([
        ['803', 'Direct Mail'],
        ['804', 'Billboards'],
      ]);
      const number = groups[0]!.tracNumbers[0]!;
      expect(number).toMatchObject({ tracId: expect.any(String), accountId: '15300002', description: 'Direct Mail — Statement Insert' });
      // The spec's shape: the number sits in assignedDnis, flags are 0/1 ints.
      expect(number.assignedDnis!.dnis).toMatch(/^\d{11,12}$/);
      expect([0, 1]).toContain(number.recordCall);
      expect(await client.getAssignedDnis(number.assignedDnis!.dnis)).toMatchObject({
        endPointType: 'TRAC_NUMBER',
        tracNumber: { tracId: number.tracId, tracGroupId: '803', groupId: '803', accountId: '15300002', description: 'Direct Mail — Statement Insert' },
      });
      expect((await sandboxStats(rcx.baseUrl)).byRoute['GET /voice/api/v1/admin/accounts/{accountId}/tracGroups/withChildren']).toBe(1);
    });

    it('gets and updates a tracking group', async () => {
      expect(await client.getTracGroup('15300003', '805')).toEqual({
        tracGroupId: '805',
        groupName: 'Social Media',
        isDefault: false,
        permissions: ['CREATE', 'READ', 'UPDATE', 'DELETE', 'REPORT'],
        tracNumbers: [],
      });
      expect(await client.updateTracGroup('15300003', '805', { groupName: 'Paid Social' })).toMatchObject({ tracGroupId: '805', groupName: 'Paid Social' });
      expect((await client.getTracGroup('15300003', '805')).groupName).toBe('Paid Social');
    });

    it('creates a tracking number that owns its DNIS, then reads and updates it', async () => {
      const free = rows.find((r) => r.accountId === '15300001' && r.dnisState === 'UNASSIGNED')!;
      const created = await client.createTracNumber('15300001', '802', {
        description: 'Radio Spots — Podcast Network',
        assignedDnis: { dnis: free.dnis, dnisDescription: 'Podcast tracking line', isActive: true },
        recordCall: 1,
        openType: 'STANDARD',
      });
      expect(created).toMatchObject({
        accountId: '15300001',
        description: 'Radio Spots — Podcast Network',
        tracGroup: { tracGroupId: '802', groupName: 'Radio Spots' },
        assignedDnis: { dnis: free.dnis, dnisDescription: 'Podcast tracking line', isActive: true, endPointType: 'TRAC_NUMBER', endPointId: created.tracId },
        recordCall: 1,
        revMatch: 0,
      });
      expect(await client.getAssignedDnis(free.dnis)).toMatchObject({ tracNumber: { tracId: created.tracId, tracGroupId: '802' } });
      expect((await client.listTracNumbers('15300001', '802')).map((t) => t.tracId)).toContain(created.tracId);

      const updated = await client.updateTracNumber('15300001', '802', created.tracId, { description: 'Radio Spots — Podcasts', voicemailEnabled: 1 });
      expect(updated).toMatchObject({ description: 'Radio Spots — Podcasts', voicemailEnabled: 1, assignedDnis: { dnis: free.dnis } });
      expect(await client.getTracNumber('15300001', '802', created.tracId)).toEqual(updated);
    });

    it('refuses a tracking number for a DNIS assigned elsewhere (CONFLICT) and creates nothing', async () => {
      const taken = onGate('40101')[0]!;
      const before = await client.listTracNumbers('15300001', '801');
      await expect(
        client.createTracNumber('15300001', '801', { description: 'Google Ads — Test', assignedDnis: { dnis: taken.dnis } }),
      ).rejects.toMatchObject({ code: 'CONFLICT', providerCode: 'dnis.already.assigned.exception' });
      expect(await client.listTracNumbers('15300001', '801')).toEqual(before);
      expect(await client.getAssignedDnis(taken.dnis)).toMatchObject({ gate: { gateId: '40101' } });
    });

    it('never retries the tracking-number POST', async () => {
      await injectFaults(rcx.baseUrl, { rules: [{ match: 'POST */tracNumbers', error: { status: 503 } }] });
      await expect(client.createTracNumber('15300001', '801', { description: 'Google Ads — Retry test' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      expect((await sandboxStats(rcx.baseUrl)).byRoute['POST /voice/api/v1/admin/accounts/{accountId}/tracGroups/{tracGroupId}/tracNumbers']).toBe(1);
    });
  });
});

import { RcxError, validationError, type ValidationErrorData } from './errors.js';
import type {
  AccountRec,
  AssignmentRec,
  Destination,
  DestinationKind,
  GateGroupRec,
  GateRec,
  PoolRec,
  RingCxData,
  TracGroupRec,
  TracNumberRec,
} from './model.js';
import {
  canonicalDnis,
  newDnis,
  type AssignIn,
  type DnisListRequestIn,
  type PoolIn,
  type Product,
  type SearchCriteriaIn,
  type TracGroupIn,
  type TracNumberIn,
} from './requests.js';
import { ID_BASE } from './seed.js';
import { dnisState, type Lookup } from './views.js';

const PRODUCT_KIND: Partial<Record<Product, DestinationKind>> = {
  ACD: 'gate',
  VISUAL_IVR: 'visualIvr',
  CLOUD_PROFILE: 'cloudRouteProfile',
  TRAC_NUMBER: 'tracNumber',
};

const KIND_LABEL: Record<DestinationKind, string> = {
  gate: 'queue (gate)',
  visualIvr: 'Visual IVR',
  cloudRouteProfile: 'cloud route profile',
  tracNumber: 'tracking number',
};

const NOT_FOUND_CODE: Record<DestinationKind, string> = {
  gate: 'gate.not.found.exception',
  visualIvr: 'visual.ivr.not.found.exception',
  cloudRouteProfile: 'cloud.route.profile.not.found.exception',
  tracNumber: 'trac.number.not.found.exception',
};

/** Who last touched a record, for `lastModifiedBy`. */
const API_USER = 'api.integration@brightlinehealth.example';

/** One page of a list: `page` is 0-based. */
export function pageOf<T>(items: T[], page: number, maxRows: number): T[] {
  return items.slice(page * maxRows, page * maxRows + maxRows);
}

/**
 * RingCX's data and rules, in memory. Every mutation validates the whole
 * request before changing anything, so a refused request leaves no trace
 * (the documented conflict rule for assignments, and our choice for creates).
 */
export class RingCxState implements Lookup {
  readonly mainAccount;
  private readonly data: RingCxData;
  private readonly poolByDnis = new Map<string, PoolRec>();
  private readonly assignmentByDnis = new Map<string, AssignmentRec>();

  constructor(data: RingCxData) {
    this.data = data;
    this.mainAccount = data.mainAccount;
    for (const record of data.pool) this.poolByDnis.set(record.dnis, record);
    for (const assignment of data.assignments) this.assignmentByDnis.set(assignment.dnis, assignment);
  }

  // -------------------------------------------------------------------------------------------
  // Lookup (views resolve embedded objects through these)

  gate(id: number): GateRec | undefined {
    return this.data.gates.find((g) => g.gateId === id);
  }
  gateGroup(id: number): GateGroupRec | undefined {
    return this.data.gateGroups.find((g) => g.gateGroupId === id);
  }
  visualIvr(id: number) {
    return this.data.visualIvrs.find((v) => v.visualIvrId === id);
  }
  cloudProfile(id: number) {
    return this.data.cloudProfiles.find((p) => p.cloudProfileId === id);
  }
  tracNumber(id: number): TracNumberRec | undefined {
    return this.data.tracNumbers.find((t) => t.tracId === id);
  }
  assignment(dnis: string): AssignmentRec | undefined {
    return this.assignmentByDnis.get(dnis);
  }
  pool(dnis: string): PoolRec | undefined {
    return this.poolByDnis.get(dnis);
  }

  // -------------------------------------------------------------------------------------------
  // Accounts

  accounts(): AccountRec[] {
    return this.data.accounts;
  }

  /** The sub-account named in a path, or 404. */
  account(accountId: string): AccountRec {
    const account = this.data.accounts.find((a) => a.accountId === accountId);
    if (!account) throw new RcxError(404, 'account.not.found.exception', 'Account not found', `No account with id ${accountId}`);
    return account;
  }

  private isAccount(accountId: string): boolean {
    return this.data.accounts.some((a) => a.accountId === accountId);
  }

  // -------------------------------------------------------------------------------------------
  // Searches

  /** All pool records, ordered by DNIS so paging is stable. */
  private sortedPool(): PoolRec[] {
    return [...this.data.pool].sort((a, b) => (a.dnis < b.dnis ? -1 : a.dnis > b.dnis ? 1 : 0));
  }

  /**
   * `DnisListRequest`: unknown account ids are dropped, like the accounts the
   * caller may not see ("filter out restricted accounts"), not refused.
   */
  searchDnis(request: DnisListRequestIn): { accounts: AccountRec[]; records: Map<string, PoolRec[]> } {
    const accounts = request.accountIds ? this.data.accounts.filter((a) => request.accountIds!.includes(a.accountId)) : this.data.accounts;
    const text = request.searchText?.trim().toLowerCase() ?? '';
    const digits = canonicalDnis(text);
    const state = request.dnisState ?? 'ALL';
    const records = new Map<string, PoolRec[]>(accounts.map((a) => [a.accountId, []]));
    for (const record of this.sortedPool()) {
      const bucket = records.get(record.reservedAccountId);
      if (!bucket) continue;
      if (state !== 'ALL' && dnisState(record, this) !== state) continue;
      if (text !== '' && !matchesText(record, this.assignment(record.dnis), text, digits)) continue;
      bucket.push(record);
    }
    return { accounts, records };
  }

  /** `TnManagerSearchCriteria` filtering for `tnManager/search`. */
  search(criteria: SearchCriteriaIn): PoolRec[] {
    const wanted = criteria.dnis ? new Set(criteria.dnis.map(canonicalDnis)) : undefined;
    const accounts = criteria.accountIds ? new Set(criteria.accountIds) : undefined;
    const kind = criteria.product ? PRODUCT_KIND[criteria.product] : undefined;
    return this.sortedPool().filter((record) => {
      if (wanted && !wanted.has(record.dnis)) return false;
      if (accounts && !accounts.has(record.reservedAccountId)) return false;
      if (criteria.active !== undefined && record.active !== criteria.active) return false;
      const assignment = this.assignment(record.dnis);
      if (criteria.assigned !== undefined && (assignment !== undefined) !== criteria.assigned) return false;
      if (criteria.dnisFilter && !record.dnis.includes(canonicalDnis(criteria.dnisFilter))) return false;
      if (criteria.notes && !record.notes.toLowerCase().includes(criteria.notes.toLowerCase())) return false;
      if (criteria.product) {
        // Products that hold no voice DNIS here (chat queues, agents…) match nothing.
        if (!kind || !assignment || assignment.destination.kind !== kind) return false;
        if (criteria.objectId !== undefined && assignment.destination.id !== criteria.objectId) return false;
        if (criteria.groupId !== undefined && this.destinationGroupId(assignment.destination) !== criteria.groupId) return false;
      }
      return true;
    });
  }

  private destinationGroupId(destination: Destination): number | undefined {
    switch (destination.kind) {
      case 'gate':
        return this.gate(destination.id)?.gateGroupId;
      case 'visualIvr':
        return this.visualIvr(destination.id)?.visualIvrGroupId;
      case 'cloudRouteProfile':
        return this.cloudProfile(destination.id)?.cloudGroupId;
      case 'tracNumber':
        return this.tracNumber(destination.id)?.tracGroupId;
    }
  }

  // -------------------------------------------------------------------------------------------
  // DNIS pool

  /** The pool record, or 404 `dnis.not.found.exception`. */
  poolRecord(raw: string): PoolRec {
    const record = this.pool(canonicalDnis(raw));
    if (!record) throw new RcxError(404, 'dnis.not.found.exception', 'DNIS not found', `DNIS ${raw} is not in the DNIS pool`);
    return record;
  }

  /**
   * Creates every record or none: one invalid or already-existing DNIS refuses
   * the whole array (400 for invalid fields, 409 for duplicates).
   */
  createPool(items: PoolIn[], now: number): PoolRec[] {
    const errors: ValidationErrorData[] = [];
    const created: PoolRec[] = [];
    const seen = new Set<string>();
    const duplicates: string[] = [];
    items.forEach((item, i) => {
      const number = newDnis(item.dnis);
      if (!number) errors.push({ attributeName: `[${i}].dnis`, message: 'is not a valid phone number', value: item.dnis });
      if (item.reservedAccountId === undefined) errors.push({ attributeName: `[${i}].reservedAccountId`, message: 'must not be null' });
      else if (!this.isAccount(item.reservedAccountId)) {
        errors.push({ attributeName: `[${i}].reservedAccountId`, message: 'is not an account you can manage', value: item.reservedAccountId });
      }
      if (!number) return;
      if (item.dnisE164 !== undefined && item.dnisE164 !== number.dnisE164) {
        errors.push({ attributeName: `[${i}].dnisE164`, message: `does not match dnis (expected ${number.dnisE164})`, value: item.dnisE164 });
      }
      if (this.pool(number.dnis) || seen.has(number.dnis)) duplicates.push(number.dnis);
      seen.add(number.dnis);
      created.push({
        dnis: number.dnis,
        dnisE164: number.dnisE164,
        reservedAccountId: item.reservedAccountId ?? '',
        dnisDescription: item.dnisDescription ?? '',
        dnisCategory: item.dnisCategory ?? 'Local',
        notes: item.notes ?? '',
        active: item.active ?? true,
        carrier: item.carrier ?? 'Bandwidth',
        dnisManagedByRC: false,
        phoneNumbersI18nEnabled: true,
        smsEnabled: item.smsEnabled ?? false,
        inboundContext: item.inboundContext ?? '',
        vendorId: item.vendorId ?? '',
        dateCreated: now,
        lastModified: now,
        lastModifiedBy: API_USER,
      });
    });
    if (items.length === 0) errors.push({ attributeName: '(body)', message: 'must contain at least one DnisPool' });
    if (errors.length > 0) throw validationError(errors);
    if (duplicates.length > 0) {
      throw new RcxError(409, 'dnis.already.exists.exception', 'DNIS already exists', `Already in the DNIS pool: ${duplicates.join(', ')}`);
    }
    for (const record of created) this.insertPool(record);
    return created;
  }

  /** Stores new records (creation and upload); validation happened already. */
  insertPool(record: PoolRec): void {
    this.data.pool.push(record);
    this.poolByDnis.set(record.dnis, record);
  }

  /** Whether a DNIS could be created, and why not; used by the upload's per-row report. */
  checkNew(raw: string): { ok: true; dnis: string; dnisE164: string } | { ok: false; reason: string } {
    const number = newDnis(raw);
    if (!number) return { ok: false, reason: `dnis "${raw}" is not a valid phone number` };
    if (this.pool(number.dnis)) return { ok: false, reason: `dnis ${number.dnis} already exists in the DNIS pool` };
    return { ok: true, ...number };
  }

  accountExists(accountId: string): boolean {
    return this.isAccount(accountId);
  }

  /**
   * PUT `dnisPool`: merges the fields given into existing records. Every DNIS
   * must exist (404 otherwise) and nothing changes unless all do.
   */
  updatePool(items: PoolIn[], now: number): PoolRec[] {
    const targets = this.resolveUpdates(items, 'strict');
    return targets.map(([record, item]) => this.applyPoolUpdate(record, item, now));
  }

  /**
   * PUT `updateBulkDnisPool`: like `updatePool` but, being a bulk job, skips
   * DNIS that are not in the pool and reports how many rows it updated; the
   * items' `assignedDnis` fields update the current assignment too.
   */
  updateBulk(items: PoolIn[], now: number): { updated: number; skipped: string[] } {
    const targets = this.resolveUpdates(items, 'skip');
    for (const [record, item] of targets) {
      this.applyPoolUpdate(record, item, now);
      const assignment = this.assignment(record.dnis);
      if (assignment && item.assignedDnis) {
        if (item.assignedDnis.dnisDescription !== undefined) assignment.dnisDescription = item.assignedDnis.dnisDescription;
        if (item.assignedDnis.isActive !== undefined) assignment.isActive = item.assignedDnis.isActive;
      }
    }
    const found = new Set(targets.map(([record]) => record.dnis));
    return { updated: targets.length, skipped: items.map((i) => canonicalDnis(i.dnis)).filter((d) => !found.has(d)) };
  }

  private resolveUpdates(items: PoolIn[], missing: 'strict' | 'skip'): [PoolRec, PoolIn][] {
    const errors: ValidationErrorData[] = [];
    const unknown: string[] = [];
    const targets: [PoolRec, PoolIn][] = [];
    items.forEach((item, i) => {
      const record = this.pool(canonicalDnis(item.dnis));
      if (!record) {
        unknown.push(item.dnis);
        return;
      }
      if (item.reservedAccountId !== undefined && !this.isAccount(item.reservedAccountId)) {
        errors.push({ attributeName: `[${i}].reservedAccountId`, message: 'is not an account you can manage', value: item.reservedAccountId });
      }
      if (item.dnisE164 !== undefined && item.dnisE164 !== record.dnisE164) {
        errors.push({ attributeName: `[${i}].dnisE164`, message: 'cannot be changed', value: item.dnisE164 });
      }
      targets.push([record, item]);
    });
    if (errors.length > 0) throw validationError(errors);
    if (missing === 'strict' && unknown.length > 0) {
      throw new RcxError(404, 'dnis.not.found.exception', 'DNIS not found', `Not in the DNIS pool: ${unknown.join(', ')}`);
    }
    return targets;
  }

  private applyPoolUpdate(record: PoolRec, item: PoolIn, now: number): PoolRec {
    const fields = ['reservedAccountId', 'dnisDescription', 'dnisCategory', 'notes', 'carrier', 'inboundContext', 'vendorId'] as const;
    for (const field of fields) if (item[field] !== undefined) record[field] = item[field]!;
    if (item.active !== undefined) record.active = item.active;
    if (item.smsEnabled !== undefined) record.smsEnabled = item.smsEnabled;
    record.lastModified = now;
    record.lastModifiedBy = API_USER;
    return record;
  }

  /** Removes a DNIS; its assignment (if any) goes with it, so routing stops at once. */
  deletePool(raw: string): void {
    const record = this.poolRecord(raw);
    this.removePool(record.dnis);
  }

  /** Bulk delete is idempotent: DNIS already gone are ignored, so a retried request succeeds. */
  bulkDelete(list: string[]): number {
    let removed = 0;
    for (const raw of list) {
      const dnis = canonicalDnis(raw);
      if (this.pool(dnis)) {
        this.removePool(dnis);
        removed += 1;
      }
    }
    return removed;
  }

  private removePool(dnis: string): void {
    this.data.pool = this.data.pool.filter((r) => r.dnis !== dnis);
    this.poolByDnis.delete(dnis);
    this.unassign(dnis);
  }

  // -------------------------------------------------------------------------------------------
  // Assignments

  /** The assignment of a DNIS; 404 with distinct codes for "unknown" and "not assigned". */
  assignmentOf(raw: string): AssignmentRec {
    const record = this.poolRecord(raw);
    const assignment = this.assignment(record.dnis);
    if (!assignment) {
      throw new RcxError(404, 'dnis.not.assigned.exception', 'DNIS is not assigned', `DNIS ${record.dnis} is not assigned to any destination`);
    }
    return assignment;
  }

  deleteAssignment(raw: string): void {
    const assignment = this.assignmentOf(raw);
    this.unassign(assignment.dnis);
  }

  private unassign(dnis: string): void {
    this.data.assignments = this.data.assignments.filter((a) => a.dnis !== dnis);
    this.assignmentByDnis.delete(dnis);
  }

  /** 404 unless the destination exists. */
  requireDestination(destination: Destination): void {
    const exists =
      destination.kind === 'gate'
        ? this.gate(destination.id)
        : destination.kind === 'visualIvr'
          ? this.visualIvr(destination.id)
          : destination.kind === 'cloudRouteProfile'
            ? this.cloudProfile(destination.id)
            : this.tracNumber(destination.id);
    if (!exists) {
      throw new RcxError(404, NOT_FOUND_CODE[destination.kind], `${capitalise(KIND_LABEL[destination.kind])} not found`, `No ${KIND_LABEL[destination.kind]} with id ${destination.id}`);
    }
  }

  /**
   * Assigns DNIS to one destination. All-or-nothing: every DNIS must be in the
   * pool (404) and none may be assigned to another destination (409, the
   * documented conflict rule: unassign first). Assigning a DNIS again to the
   * same destination updates its description, active flag and dates.
   */
  assign(destination: Destination, items: AssignIn[], now: number): AssignmentRec[] {
    this.requireDestination(destination);
    this.checkAssignable(items.map((item) => item.dnis), destination);
    return items.map((item) => this.upsertAssignment(destination, item, now));
  }

  private checkAssignable(list: string[], destination: Destination): void {
    const unknown = list.filter((dnis) => !this.pool(dnis));
    if (unknown.length > 0) {
      throw new RcxError(404, 'dnis.not.found.exception', 'DNIS not found', `Not in the DNIS pool: ${unknown.join(', ')}`);
    }
    const conflicts = list
      .map((dnis) => this.assignment(dnis))
      .filter((a): a is AssignmentRec => a !== undefined && !(a.destination.kind === destination.kind && a.destination.id === destination.id));
    if (conflicts.length > 0) {
      const where = conflicts.map((a) => `${a.dnis} is assigned to ${KIND_LABEL[a.destination.kind]} ${a.destination.id}`).join('; ');
      throw new RcxError(409, 'dnis.already.assigned.exception', 'DNIS is already assigned to another destination', where);
    }
  }

  private upsertAssignment(destination: Destination, item: AssignIn, now: number): AssignmentRec {
    const existing = this.assignment(item.dnis);
    if (existing) {
      if (item.dnisDescription !== undefined) existing.dnisDescription = item.dnisDescription;
      if (item.isActive !== undefined) existing.isActive = item.isActive;
      if (item.originatingDnis !== undefined) existing.originatingDnis = item.originatingDnis;
      if (item.startDate !== undefined) existing.startDate = item.startDate;
      if (item.endDate !== undefined) existing.endDate = item.endDate;
      return existing;
    }
    const record = this.pool(item.dnis)!;
    const created: AssignmentRec = {
      dnis: item.dnis,
      destination,
      dnisDescription: item.dnisDescription ?? record.dnisDescription,
      isActive: item.isActive ?? true,
      originatingDnis: item.originatingDnis ?? '',
      startDate: item.startDate ?? now,
      ...(item.endDate !== undefined && { endDate: item.endDate }),
    };
    this.data.assignments.push(created);
    this.assignmentByDnis.set(created.dnis, created);
    return created;
  }

  // -------------------------------------------------------------------------------------------
  // Queues and cloud routing

  gateGroups(accountId: string): GateGroupRec[] {
    this.account(accountId);
    return this.data.gateGroups.filter((g) => g.accountId === accountId);
  }

  gateGroupIn(accountId: string, gateGroupId: number): GateGroupRec {
    const group = this.gateGroups(accountId).find((g) => g.gateGroupId === gateGroupId);
    if (!group) throw new RcxError(404, 'gate.group.not.found.exception', 'Gate group not found', `No gate group ${gateGroupId} in account ${accountId}`);
    return group;
  }

  gatesOf(gateGroupId: number): GateRec[] {
    return this.data.gates.filter((g) => g.gateGroupId === gateGroupId);
  }

  gateIn(accountId: string, gateGroupId: number, gateId: number): GateRec {
    this.gateGroupIn(accountId, gateGroupId);
    const gate = this.gatesOf(gateGroupId).find((g) => g.gateId === gateId);
    if (!gate) throw new RcxError(404, NOT_FOUND_CODE.gate, 'Queue (gate) not found', `No gate ${gateId} in gate group ${gateGroupId}`);
    return gate;
  }

  cloudGroups(accountId: string) {
    this.account(accountId);
    return this.data.cloudGroups.filter((g) => g.accountId === accountId);
  }

  cloudGroupIn(accountId: string, cloudGroupId: number) {
    const group = this.cloudGroups(accountId).find((g) => g.cloudGroupId === cloudGroupId);
    if (!group) throw new RcxError(404, 'cloud.route.group.not.found.exception', 'Cloud route group not found', `No cloud route group ${cloudGroupId} in account ${accountId}`);
    return group;
  }

  cloudProfilesOf(cloudGroupId: number) {
    return this.data.cloudProfiles.filter((p) => p.cloudGroupId === cloudGroupId);
  }

  cloudDestinationsOf(cloudGroupId: number) {
    return this.data.cloudDestinations.filter((d) => d.cloudGroupId === cloudGroupId);
  }

  cloudProfileIn(accountId: string, cloudGroupId: number, profileId: number) {
    this.cloudGroupIn(accountId, cloudGroupId);
    const profile = this.cloudProfilesOf(cloudGroupId).find((p) => p.cloudProfileId === profileId);
    if (!profile) throw new RcxError(404, NOT_FOUND_CODE.cloudRouteProfile, 'Cloud route profile not found', `No cloud route profile ${profileId} in group ${cloudGroupId}`);
    return profile;
  }

  // -------------------------------------------------------------------------------------------
  // Tracking

  tracGroups(accountId: string): TracGroupRec[] {
    this.account(accountId);
    return this.data.tracGroups.filter((g) => g.accountId === accountId);
  }

  tracGroupIn(accountId: string, tracGroupId: number): TracGroupRec {
    const group = this.tracGroups(accountId).find((g) => g.tracGroupId === tracGroupId);
    if (!group) throw new RcxError(404, 'trac.group.not.found.exception', 'Tracking group not found', `No tracking group ${tracGroupId} in account ${accountId}`);
    return group;
  }

  updateTracGroup(accountId: string, tracGroupId: number, input: TracGroupIn): TracGroupRec {
    const group = this.tracGroupIn(accountId, tracGroupId);
    if (input.groupName !== undefined) group.groupName = input.groupName;
    if (input.isDefault !== undefined) group.isDefault = input.isDefault;
    return group;
  }

  tracNumbersOf(tracGroupId: number): TracNumberRec[] {
    return this.data.tracNumbers.filter((t) => t.tracGroupId === tracGroupId);
  }

  tracNumberIn(accountId: string, tracGroupId: number, tracId: number): TracNumberRec {
    this.tracGroupIn(accountId, tracGroupId);
    const trac = this.tracNumbersOf(tracGroupId).find((t) => t.tracId === tracId);
    if (!trac) throw new RcxError(404, NOT_FOUND_CODE.tracNumber, 'Tracking number not found', `No tracking number ${tracId} in tracking group ${tracGroupId}`);
    return trac;
  }

  /** The assignment a tracking number owns (its DNIS), if any. */
  tracAssignment(tracId: number): AssignmentRec | undefined {
    return this.data.assignments.find((a) => a.destination.kind === 'tracNumber' && a.destination.id === tracId);
  }

  /**
   * Creates a tracking number; `assignedDnis.dnis` assigns that DNIS to it.
   * The DNIS is checked first (404 not in the pool, 409 assigned elsewhere) so
   * a refused request creates nothing.
   */
  createTracNumber(accountId: string, tracGroupId: number, input: TracNumberIn, now: number): TracNumberRec {
    const group = this.tracGroupIn(accountId, tracGroupId);
    const tracId = Math.max(ID_BASE.tracNumber - 1, ...this.data.tracNumbers.map((t) => t.tracId)) + 1;
    if (input.assignedDnis) this.checkAssignable([input.assignedDnis.dnis], { kind: 'tracNumber', id: tracId });
    const trac: TracNumberRec = {
      tracId,
      tracGroupId: group.tracGroupId,
      accountId: group.accountId,
      description: input.description ?? '',
      billingCode: '',
      billingKey: '',
      introMsg: '',
      whisperMsg: '',
      endcallMsg: '',
      outboundCallerId: input.assignedDnis?.dnis ?? '',
      openType: 'STANDARD',
      closeType: 'STANDARD',
      openLocatorId: 0,
      closeLocatorId: 0,
      dequeueDelay: 0,
      shortCallTime: 10,
      surveyId: 0,
      recordCall: 0,
      revMatch: 0,
      voicemailEnabled: 0,
      monSched: '00:00-23:59',
      tueSched: '00:00-23:59',
      wedSched: '00:00-23:59',
      thuSched: '00:00-23:59',
      friSched: '00:00-23:59',
      satSched: '00:00-23:59',
      sunSched: '00:00-23:59',
    };
    applyTracFields(trac, input);
    this.data.tracNumbers.push(trac);
    if (input.assignedDnis) this.upsertAssignment({ kind: 'tracNumber', id: tracId }, input.assignedDnis, now);
    return trac;
  }

  /**
   * Merges the fields given. `assignedDnis` with the number it already owns
   * updates that assignment; with another number it moves the tracking
   * number to it (checked like any assignment) and frees the old one.
   */
  updateTracNumber(accountId: string, tracGroupId: number, tracId: number, input: TracNumberIn, now: number): TracNumberRec {
    const trac = this.tracNumberIn(accountId, tracGroupId, tracId);
    const destination: Destination = { kind: 'tracNumber', id: tracId };
    const current = this.tracAssignment(tracId);
    if (input.assignedDnis) this.checkAssignable([input.assignedDnis.dnis], destination);
    applyTracFields(trac, input);
    if (input.assignedDnis) {
      if (current && current.dnis !== input.assignedDnis.dnis) this.unassign(current.dnis);
      this.upsertAssignment(destination, input.assignedDnis, now);
    }
    return trac;
  }
}

function applyTracFields(trac: TracNumberRec, input: TracNumberIn): void {
  const { assignedDnis: _ignored, ...fields } = input;
  Object.assign(trac, fields);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function matchesText(record: PoolRec, assignment: AssignmentRec | undefined, text: string, digits: string): boolean {
  if (digits.length >= 3 && record.dnis.includes(digits)) return true;
  const haystack = [record.dnisDescription, record.notes, record.dnisCategory, record.carrier, assignment?.dnisDescription ?? ''];
  return haystack.some((value) => value.toLowerCase().includes(text));
}

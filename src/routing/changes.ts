import type { UserErrorCode } from '../__generated__/resolvers-types.js';
import { ProviderError, unavailability, type ProviderName } from '../providers/index.js';
import { ChangeInProgressError, type AuditLog, type AuditOutcome, type Journal } from '../store/index.js';
import type { NumberLocation, PlannedCall, RoutingAdapter } from './adapters.js';
import {
  describeDestination,
  describeRouting,
  fulfils,
  journaled,
  reachesTarget,
  routingRecord,
  sameDestination,
  sameRouting,
  type CurrentRouting,
  type Destination,
  type Routing,
  type RoutingTarget,
} from './model.js';

/**
 * Why a change was refused or could not be made; `field` is the input path
 * at fault. Codes are the schema's `UserErrorCode` enum (generated), so the
 * list lives in one place.
 */
export interface ChangeError {
  code: UserErrorCode;
  message: string;
  field: string[];
  retryAfterSeconds?: number;
}

export interface ChangeOutcome {
  provider: ProviderName;
  /** Where the number routed before (read from the provider). */
  previous: Routing | null;
  /** Where it routes now; for a dry run, where it would route. Null when it routes nowhere or is not known. */
  routing: Routing | null;
  /** Whether `routing` is this change's live result (false for a dry run, a refusal, or an unknown outcome). */
  live: boolean;
  /** The provider calls made, or for a dry run to be made. */
  plan: PlannedCall[];
  /** The journal intent, once the change got that far. */
  changeId: string | null;
  errors: ChangeError[];
}

/** What the journal keeps of a routing change: enough to finish or undo it after a crash. */
export interface RoutingPlan {
  location: NumberLocation;
  /** The routing to restore if the change fails half-way; null when there was none. */
  from: Routing | null;
  /** The routing asked for; null for an unassignment. */
  to: RoutingTarget | null;
}

export interface ChangeDependencies {
  adapters: Partial<Record<ProviderName, RoutingAdapter>>;
  journal: Journal;
  audit: AuditLog;
  /** A destination's name from reference data, for messages and the history. */
  nameOf(destination: Destination): Promise<string | null>;
  /**
   * Whether a destination exists at its provider (queues, cloud route
   * profiles, extensions and Zendesk groups from their lists; Visual IVRs,
   * which no endpoint lists, from the assignments seen). Throws the
   * ProviderError that kept it from knowing.
   */
  destinationExists(destination: Destination): Promise<boolean>;
  /**
   * Called after a write may have changed the number's routing at
   * `provider`: the verified state is read back and written through to the
   * inventory index. Never throws.
   */
  changed(provider: ProviderName, location: NumberLocation): Promise<void>;
}

/** What every change request says. */
interface ChangeBase {
  /** The input field naming the destination (`["input", "destination", "queue"]`), for refusals about it. */
  destinationField?: string[];
  location: NumberLocation;
  actor: string;
  /**
   * Providers whose inventory could not be read when the number was
   * located: there, "not held" is not known, and is reported as the
   * provider's failure instead.
   */
  unreadable?: Partial<Record<ProviderName, ProviderError>>;
}

/** How a destination given in the input is checked before anything else. */
interface DestinationCheck {
  destination: Destination;
  field: string[];
  /** Accept a Visual IVR no assignment shows (the only kind that cannot be listed). */
  allowUnverified: boolean;
}

/** One change, as the pipeline in {@link RoutingChanges.run} makes it. */
interface ChangeRequest extends ChangeBase {
  operation: string;
  provider: ProviderName;
  /** The input field naming the provider or destination, for refusals about the provider. */
  providerField: string[];
  dryRun: boolean;
  check?: DestinationCheck;
  /** From where the number routes now: the routing to make (null: route nowhere), or why not. */
  decide(current: CurrentRouting & { held: true }): Promise<RoutingTarget | null | ChangeError[]>;
}

/** How a write went, decided by reading the provider back when its answer was an error. */
type Attempt<T> =
  | { kind: 'done'; value: T | undefined; routing: Routing | null }
  | { kind: 'unchanged'; error: unknown }
  | { kind: 'unknown'; error: unknown; readError: unknown }
  | { kind: 'elsewhere'; error: unknown; routing: Routing | null };

const PHONE_FIELD = ['input', 'phoneNumber'];

/**
 * Changes to where numbers route, made safely.
 *
 * Every change runs the same pipeline:
 * 1. the destination is checked to exist, before anything else;
 * 2. the number's routing is read fresh from the provider (the plan read),
 *    and the change is decided on it (a dry run stops here);
 * 3. the number's lock is taken: an open intent in the journal, unique per
 *    number, holding the whole plan, including what to restore;
 * 4. the routing is read again and must still be what the plan read
 *    (compare-and-set: of concurrent changes planned on the same state,
 *    one wins and the others are refused, even without `expectedCurrent`);
 * 5. the writes are made, each step recorded. RingCentral and Zendesk move
 *    a number in one call. RingCX cannot (a DNIS assigned elsewhere is
 *    refused), so a move there is a saga: remove, add, and if adding fails,
 *    restore the old assignment with its description and active flag.
 *
 * When a write fails, the provider may have done it anyway (the answer was
 * lost), so the routing is read back before anything is concluded. When
 * that read fails too, the outcome is unknown: the intent stays open, the
 * caller is told `OUTCOME_UNKNOWN`, and recovery (recovery.ts) finishes or
 * undoes the change once the provider answers. "Nothing was changed" is said
 * only when no write was sent or a read proved it.
 */
export class RoutingChanges {
  /** Intents this process is working on; recovery sweeps leave them alone. */
  readonly active = new Set<string>();

  constructor(private readonly deps: ChangeDependencies) {}

  /** Routes a number at the destination's provider; where it already routes there, updates the routing in place. */
  assign(request: ChangeBase & { to: Destination; description?: string | null; active?: boolean | null; allowUnverified?: boolean }): Promise<ChangeOutcome> {
    const { location, to } = request;
    return this.run({
      ...request,
      operation: 'assignPhoneNumber',
      provider: to.provider,
      providerField: ['input', 'destination'],
      dryRun: false,
      check: { destination: to, field: request.destinationField ?? ['input', 'destination'], allowUnverified: request.allowUnverified ?? false },
      decide: async (current) => {
        const from = current.routing;
        if (from && !sameDestination(from.destination, to)) {
          return [refusal('ALREADY_ASSIGNED', PHONE_FIELD, `${location.e164} already routes to ${await this.describe(from)}; use reassignPhoneNumber to move it`)];
        }
        if (!from && current.blockedBy) return [refusal('ALREADY_ASSIGNED', PHONE_FIELD, `${location.e164} is in use at ${to.provider}: ${current.blockedBy}`)];
        return targetFor(from, to, request);
      },
    });
  }

  /** Moves a routed number to another destination at the same provider. */
  reassign(
    request: ChangeBase & {
      to: Destination;
      expectedCurrent?: Destination;
      description?: string | null;
      active?: boolean | null;
      allowUnverified?: boolean;
      detachTrackingNumber?: boolean;
      dryRun: boolean;
    },
  ): Promise<ChangeOutcome> {
    const { location, to, expectedCurrent } = request;
    const operation = 'reassignPhoneNumber';
    if (expectedCurrent && expectedCurrent.provider !== to.provider) {
      return this.reject(operation, request.actor, location, to.provider, null, [
        refusal('CURRENT_DESTINATION_MISMATCH', ['input', 'expectedCurrent'], `expectedCurrent is at ${expectedCurrent.provider} but the destination is at ${to.provider}: a move stays within one provider`),
      ]);
    }
    return this.run({
      ...request,
      operation,
      provider: to.provider,
      providerField: ['input', 'destination'],
      check: { destination: to, field: request.destinationField ?? ['input', 'destination'], allowUnverified: request.allowUnverified ?? false },
      decide: async (current) => {
        const from = current.routing;
        if (!from) return [refusal('NOT_ASSIGNED', PHONE_FIELD, `${location.e164} routes nowhere at ${to.provider}; use assignPhoneNumber`)];
        if (expectedCurrent && !sameDestination(from.destination, expectedCurrent)) {
          return [refusal('CURRENT_DESTINATION_MISMATCH', ['input', 'expectedCurrent'], `${location.e164} routes to ${await this.describe(from)}, not where expectedCurrent says; nothing was changed`)];
        }
        const attached = this.trackingAttached(from, location, request.detachTrackingNumber, 'move');
        if (attached) return [await attached];
        return targetFor(from, to, request);
      },
    });
  }

  /** Stops a number routing at one provider. */
  async unassign(request: ChangeBase & { currentDestination?: Destination; force: boolean; provider?: ProviderName; detachTrackingNumber?: boolean }): Promise<ChangeOutcome> {
    const { location, currentDestination, actor } = request;
    const operation = 'unassignPhoneNumber';
    if (!currentDestination && !request.force) {
      return this.reject(operation, actor, location, request.provider ?? 'ringcx', null, [
        refusal('CONFIRMATION_REQUIRED', ['input', 'currentDestination'], 'Unassigning changes where calls go: confirm the current destination in currentDestination, or set force'),
      ]);
    }
    let provider = currentDestination?.provider ?? request.provider;
    if (!provider) {
      const routed = await this.providersRouting(location);
      if ('error' in routed) return this.reject(operation, actor, location, routed.provider, null, [providerFailure(routed.error, ['input', 'provider'])], 'FAILED');
      if (routed.length === 0) return this.reject(operation, actor, location, 'ringcx', null, [refusal('NOT_ASSIGNED', PHONE_FIELD, `${location.e164} routes nowhere that Switchboard can change`)]);
      if (routed.length > 1) {
        return this.reject(operation, actor, location, routed[0]!, null, [refusal('PROVIDER_REQUIRED', ['input', 'provider'], `${location.e164} routes at ${routed.join(' and ')}: say which provider's routing to remove`)]);
      }
      provider = routed[0]!;
    }
    const at = provider;
    return this.run({
      ...request,
      operation,
      provider: at,
      providerField: currentDestination ? ['input', 'currentDestination'] : ['input', 'provider'],
      dryRun: false,
      decide: async (current) => {
        const from = current.routing;
        if (!from) return [refusal('NOT_ASSIGNED', PHONE_FIELD, `${location.e164} routes nowhere at ${at}`)];
        if (currentDestination && !sameDestination(from.destination, currentDestination)) {
          return [refusal('CURRENT_DESTINATION_MISMATCH', ['input', 'currentDestination'], `${location.e164} routes to ${await this.describe(from)}, not to the currentDestination given; nothing was changed`)];
        }
        const attached = this.trackingAttached(from, location, request.detachTrackingNumber, 'unassign');
        if (attached) return [await attached];
        return null;
      },
    });
  }

  /** Routes a DNIS that routes nowhere to a new RingCX tracking number in `group` (creating it). */
  createTracking(request: ChangeBase & { group: { accountId: string; tracGroupId: string }; name: string; active: boolean }): Promise<ChangeOutcome> {
    const { location, group } = request;
    const to: Destination = { provider: 'ringcx', type: 'TrackingNumber', accountId: group.accountId, tracGroupId: group.tracGroupId, tracId: '' };
    return this.run({
      ...request,
      operation: 'createTrackingNumber',
      provider: 'ringcx',
      providerField: ['input', 'group'],
      dryRun: false,
      check: { destination: to, field: ['input', 'group'], allowUnverified: false },
      decide: async (current) => {
        if (current.routing) return [refusal('ALREADY_ASSIGNED', PHONE_FIELD, `${location.e164} already routes to ${await this.describe(current.routing)}; unassign it first`)];
        return { destination: to, name: request.name, description: request.name, active: request.active, fallbacks: [] };
      },
    });
  }

  /** Changes a tracking number's description or active flag, which is its DNIS's routing. */
  updateTracking(request: ChangeBase & { trackingNumber: Destination; name?: string | null; active?: boolean | null }): Promise<ChangeOutcome> {
    const { location, trackingNumber } = request;
    return this.run({
      ...request,
      operation: 'updateTrackingNumber',
      provider: 'ringcx',
      providerField: ['input', 'id'],
      dryRun: false,
      decide: async (current) => {
        const from = current.routing;
        if (!from || !sameDestination(from.destination, trackingNumber)) {
          return [refusal('CURRENT_DESTINATION_MISMATCH', ['input', 'id'], `${location.e164} no longer routes to this tracking number${from ? ` (it routes to ${await this.describe(from)})` : ''}; nothing was changed`)];
        }
        const name = request.name ?? from.name;
        return { ...targetFor(from, trackingNumber, { description: request.name, active: request.active }), name };
      },
    });
  }

  // --- the pipeline ------------------------------------------------------------------------------

  private async run(request: ChangeRequest): Promise<ChangeOutcome> {
    const { operation, actor, location, provider } = request;
    const adapter = this.deps.adapters[provider];
    const unwritable = this.refuseUnwritable(adapter, provider, request.providerField);
    if (unwritable) return this.reject(operation, actor, location, provider, null, [unwritable]);

    if (request.check) {
      const unknown = await this.checkDestination(request.check);
      if (unknown) return this.reject(operation, actor, location, provider, null, [unknown], unknown.code === 'DESTINATION_NOT_FOUND' ? 'REJECTED' : 'FAILED');
    }

    const read = await this.read(adapter!, location);
    if ('error' in read) return this.reject(operation, actor, location, provider, null, [providerFailure(read.error, PHONE_FIELD)], 'FAILED');
    if (!read.held) {
      const unreadable = request.unreadable?.[provider];
      if (unreadable) return this.reject(operation, actor, location, provider, null, [providerFailure(unreadable, PHONE_FIELD)], 'FAILED');
      return this.reject(operation, actor, location, provider, null, [notHeld(provider, location)]);
    }
    const from = read.routing;
    const decision = await request.decide(read);
    if (Array.isArray(decision)) return this.reject(operation, actor, location, provider, from, decision);
    const target = decision;
    const unsettable = target && unsettableFields(adapter!, from, target);
    if (unsettable?.length) return this.reject(operation, actor, location, provider, from, unsettable);
    const calls = callsFor(adapter!, from, target, location);

    if (request.dryRun) {
      const planned = target && { ...target, name: target.name ?? (await this.deps.nameOf(target.destination)), startDate: null, endDate: null };
      await this.audit(provider, operation, actor, location.e164, from, planned, 'DRY_RUN', null);
      return { provider, previous: from, routing: planned, live: false, plan: calls, changeId: null, errors: [] };
    }

    const plan: RoutingPlan = { location, from: journaled(from), to: target };
    return this.locked(operation, actor, plan, provider, async (intentId) => {
      // Compare-and-set: the routing must still be what the plan was made on.
      const now = await this.read(adapter!, location);
      if ('error' in now) return this.closeFailed(intentId, operation, actor, location, provider, from, [providerFailure(now.error, PHONE_FIELD)], 'FAILED');
      const nowRouting = now.held ? now.routing : null;
      if (!now.held || !sameRouting(nowRouting, from)) {
        return this.closeFailed(intentId, operation, actor, location, provider, nowRouting, [
          refusal('CURRENT_DESTINATION_MISMATCH', PHONE_FIELD, `${location.e164} changed at ${provider} while this request ran (it now routes ${nowRouting ? `to ${await this.describe(nowRouting)}` : 'nowhere'}); nothing was changed. Read it again and retry.`),
        ]);
      }
      await this.deps.journal.step(intentId, 'verified');
      return this.execute({ intentId, operation, actor, location, adapter: adapter!, from, target, calls });
    });
  }

  /** The writes of a change, under its lock. */
  private async execute(c: { intentId: string; operation: string; actor: string; location: NumberLocation; adapter: RoutingAdapter; from: Routing | null; target: RoutingTarget | null; calls: PlannedCall[] }): Promise<ChangeOutcome> {
    const { intentId, adapter, location, from, target } = c;
    const step = (name: string) => this.deps.journal.step(intentId, name);

    if (!target) {
      await step('unassigning');
      const removed = await this.attempt(() => adapter.unassign(location), adapter, location, (r) => r === null, from);
      return this.conclude(c, removed, null);
    }

    const inPlace = !from || sameDestination(from.destination, target.destination);
    if (inPlace || adapter.move) {
      await step('writing');
      const write = inPlace ? () => adapter.assign(location, target) : () => adapter.move!(location, target);
      const written = await this.attempt(write, adapter, location, (r) => fulfils(r, target), from);
      return this.conclude(c, written, target);
    }

    // The RingCX saga: remove, then add; restore on a proven failure to add.
    await step('removing');
    const removed = await this.attempt(() => adapter.unassign(location), adapter, location, (r) => r === null, from);
    if (removed.kind !== 'done') return this.conclude(c, removed, target);
    await step('removed');
    const added = await this.attempt(() => adapter.assign(location, target), adapter, location, (r) => fulfils(r, target), null);
    if (added.kind !== 'unchanged') return this.conclude(c, added, target);
    return this.rollBack(c, from!, added.error);
  }

  /**
   * Makes one write. When it fails, reads the provider back: the write may
   * have landed (a lost answer), changed nothing (proven), or left the number
   * somewhere else (someone else's change). When the read fails as well,
   * the outcome is unknown.
   */
  private async attempt<T>(write: () => Promise<T>, adapter: RoutingAdapter, location: NumberLocation, landed: (r: Routing | null) => boolean, before: Routing | null): Promise<Attempt<T>> {
    let error: unknown;
    try {
      const value = await write();
      return { kind: 'done', value, routing: (value as Routing | undefined) ?? null };
    } catch (e) {
      error = e;
    }
    const after = await this.read(adapter, location);
    if ('error' in after) return { kind: 'unknown', error, readError: after.error };
    const routing = after.held ? after.routing : null;
    if (landed(routing)) return { kind: 'done', value: undefined, routing };
    if (sameRouting(routing, before)) return { kind: 'unchanged', error };
    return { kind: 'elsewhere', error, routing };
  }

  /** Closes (or leaves open) the intent for how the last write went, and answers. */
  private async conclude(c: { intentId: string; operation: string; actor: string; location: NumberLocation; adapter: RoutingAdapter; from: Routing | null; calls: PlannedCall[] }, attempt: Attempt<unknown>, target: RoutingTarget | null): Promise<ChangeOutcome> {
    const { intentId, operation, actor, location, adapter, from, calls } = c;
    const provider = adapter.provider;
    switch (attempt.kind) {
      case 'done': {
        const routing = target ? (attempt.routing ?? { ...target, name: target.name ?? null, startDate: null, endDate: null }) : null;
        await this.deps.journal.close(intentId, 'done');
        await this.deps.changed(provider, location);
        await this.audit(provider, operation, actor, location.e164, from, routing, 'SUCCEEDED', null, intentId);
        return { provider, previous: from, routing, live: true, plan: calls, changeId: intentId, errors: [] };
      }
      case 'unchanged':
        return this.closeFailed(intentId, operation, actor, location, provider, from, [provenUnchanged(attempt.error)], 'FAILED', calls);
      case 'elsewhere': {
        const where = attempt.routing ? `to ${await this.describe(attempt.routing)}` : 'nowhere';
        const message = `${errorText(attempt.error)}; ${location.e164} now routes ${where}, which this change did not ask for: someone else changed it meanwhile, so it was left as it is`;
        await this.deps.journal.close(intentId, 'abandoned', message);
        await this.deps.changed(provider, location);
        await this.audit(provider, operation, actor, location.e164, from, attempt.routing, 'FAILED', message, intentId);
        return { provider, previous: from, routing: attempt.routing, live: true, plan: calls, changeId: intentId, errors: [refusal('CURRENT_DESTINATION_MISMATCH', PHONE_FIELD, message)] };
      }
      case 'unknown': {
        // Not closed: recovery reads the provider until it answers, then finishes or undoes the change.
        const message = `${provider} did not confirm the change (${errorText(attempt.error)}) and could not be read back (${errorText(attempt.readError)}). The change is journaled as ${intentId}; recovery will finish or undo it once ${provider} answers.`;
        await this.deps.journal.note(intentId, message);
        await this.deps.changed(provider, location);
        await this.audit(provider, operation, actor, location.e164, from, null, 'UNKNOWN', message, intentId);
        return { provider, previous: from, routing: null, live: false, plan: calls, changeId: intentId, errors: [refusal('OUTCOME_UNKNOWN', ['input'], message)] };
      }
    }
  }

  /** The second step of the RingCX saga was proven not to have happened: put the previous assignment back. */
  private async rollBack(c: { intentId: string; operation: string; actor: string; location: NumberLocation; adapter: RoutingAdapter; from: Routing | null; calls: PlannedCall[] }, from: Routing, cause: unknown): Promise<ChangeOutcome> {
    const { intentId, operation, actor, location, adapter, calls } = c;
    const reason = errorText(cause);
    const restoreTarget: RoutingTarget = { destination: from.destination, description: from.description, active: from.active, fallbacks: from.fallbacks };
    await this.deps.journal.step(intentId, 'restoring');
    const restored = await this.attempt(() => adapter.assign(location, restoreTarget), adapter, location, (r) => reachesTarget(r, restoreTarget), null);
    const plan = [...calls, adapter.plan.assign(restoreTarget, location)];
    await this.deps.changed(adapter.provider, location);
    if (restored.kind === 'done') {
      const routing = restored.routing ?? { ...from };
      await this.deps.journal.close(intentId, 'rolled_back', reason);
      await this.audit(adapter.provider, operation, actor, location.e164, from, routing, 'ROLLED_BACK', reason, intentId);
      return {
        provider: adapter.provider,
        previous: from,
        routing,
        live: true,
        plan,
        changeId: intentId,
        errors: [refusal('ROLLED_BACK', ['input', 'destination'], `${reason}; the previous routing to ${await this.describe(from)} was restored`)],
      };
    }
    // The number may route nowhere now. The intent stays open: recovery keeps trying.
    const detail = `${reason}; restoring ${describeRouting(from)} did not succeed yet (${errorText('error' in restored ? restored.error : undefined)}). The change is journaled as ${intentId}; recovery will finish or undo it.`;
    await this.deps.journal.note(intentId, detail);
    await this.audit(adapter.provider, operation, actor, location.e164, from, null, 'UNKNOWN', detail, intentId);
    return { provider: adapter.provider, previous: from, routing: null, live: false, plan, changeId: intentId, errors: [refusal('RECOVERY_PENDING', ['input', 'destination'], detail)] };
  }

  // --- the lock, refusals and the history --------------------------------------------------------

  private async locked(operation: string, actor: string, plan: RoutingPlan, provider: ProviderName, work: (intentId: string) => Promise<ChangeOutcome>): Promise<ChangeOutcome> {
    let intentId: string;
    try {
      intentId = (await this.deps.journal.begin<RoutingPlan>({ phoneNumber: plan.location.e164, provider, operation, actor, plan, step: 'locked' })).id;
    } catch (error) {
      if (!(error instanceof ChangeInProgressError)) throw error;
      return this.reject(operation, actor, plan.location, provider, plan.from, [
        refusal('CHANGE_IN_PROGRESS', PHONE_FIELD, `Another change to ${plan.location.e164} is in progress; nothing was changed. Try again when it ends.`),
      ]);
    }
    this.active.add(intentId);
    try {
      return await work(intentId);
    } finally {
      this.active.delete(intentId);
    }
  }

  /** Refused or failed before any write: nothing was changed, and no intent was opened. */
  private async reject(operation: string, actor: string, location: NumberLocation, provider: ProviderName, current: Routing | null, errors: ChangeError[], outcome: AuditOutcome = 'REJECTED', changeId: string | null = null): Promise<ChangeOutcome> {
    await this.audit(provider, operation, actor, location.e164, current, current, outcome, errors.map((e) => `${e.code}: ${e.message}`).join('; '), changeId);
    return { provider, previous: current, routing: current, live: false, plan: [], changeId, errors };
  }

  /** Refused or failed under the lock with nothing changed (no write, or a read proved it). */
  private async closeFailed(intentId: string, operation: string, actor: string, location: NumberLocation, provider: ProviderName, current: Routing | null, errors: ChangeError[], outcome: AuditOutcome = 'REJECTED', plan: PlannedCall[] = []): Promise<ChangeOutcome> {
    await this.deps.journal.close(intentId, 'failed', errors.map((e) => e.code).join(','));
    return { ...(await this.reject(operation, actor, location, provider, current, errors, outcome, intentId)), plan };
  }

  private async audit(provider: ProviderName, operation: string, actor: string, e164: string, before: Routing | null, after: Routing | null, outcome: AuditOutcome, detail: string | null, changeId: string | null = null): Promise<void> {
    await this.deps.audit.write({ actor, operation, provider, phoneNumber: e164, before: routingRecord(before), after: routingRecord(after), outcome, detail, changeId });
  }

  // --- helpers ----------------------------------------------------------------------------------

  private refuseUnwritable(adapter: RoutingAdapter | undefined, provider: ProviderName, field: string[]): ChangeError | undefined {
    if (!adapter) return refusal('DESTINATION_NOT_FOUND', field, `${provider} is not enabled on this server`);
    if (!adapter.writable) return refusal('READ_ONLY_PROVIDER', field, `${provider}'s API offers no way to change routing; change it in ${provider} itself`);
    return undefined;
  }

  /** DESTINATION_NOT_FOUND, or the provider failure that kept us from checking; undefined when it exists. */
  private async checkDestination(check: DestinationCheck): Promise<ChangeError | undefined> {
    const { destination, field } = check;
    let exists: boolean;
    try {
      exists = await this.deps.destinationExists(destination);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      return providerFailure(error, field, `could not check that ${field.at(-1)} exists`);
    }
    if (exists) return undefined;
    if (destination.type === 'VisualIvr') {
      if (check.allowUnverified) return undefined;
      return refusal(
        'DESTINATION_NOT_FOUND',
        field,
        `no number routes to ${describeDestination(destination, null)}, and RingCX offers no way to list Visual IVRs, so it cannot be verified; set allowUnverifiedDestination if you are sure it exists`,
      );
    }
    const what = destination.type === 'TrackingNumber' && destination.tracId === '' ? `RingCX tracking group ${destination.accountId}/${destination.tracGroupId}` : describeDestination(destination, null);
    return refusal('DESTINATION_NOT_FOUND', field, `${what} does not exist`);
  }

  /** TRACKING_NUMBER_ATTACHED when the number backs a tracking number the change would detach. */
  private trackingAttached(from: Routing, location: NumberLocation, detach: boolean | undefined, verb: 'move' | 'unassign'): Promise<ChangeError> | undefined {
    if (from.destination.type !== 'TrackingNumber' || detach) return undefined;
    return this.describe(from).then((tracking) =>
      refusal(
        'TRACKING_NUMBER_ATTACHED',
        PHONE_FIELD,
        `${location.e164} backs ${tracking}; to ${verb} it would leave that tracking number without a number. Set detachTrackingNumber to ${verb} it anyway; nothing was changed`,
      ),
    );
  }

  /** The provider's current answer, or the error that kept us from reading it. */
  private async read(adapter: RoutingAdapter, location: NumberLocation): Promise<CurrentRouting | { error: unknown }> {
    try {
      return await adapter.current(location);
    } catch (error) {
      return { error };
    }
  }

  /** Writable providers that route the number now (read fresh), or the first provider that could not be read. */
  private async providersRouting(location: NumberLocation): Promise<ProviderName[] | { error: unknown; provider: ProviderName }> {
    const out: ProviderName[] = [];
    for (const adapter of Object.values(this.deps.adapters)) {
      if (!adapter?.writable) continue;
      const current = await this.read(adapter, location);
      if ('error' in current) return { error: current.error, provider: adapter.provider };
      if (current.held && current.routing) out.push(adapter.provider);
    }
    return out;
  }

  private async describe(routing: Routing): Promise<string> {
    const name = routing.name ?? (await this.deps.nameOf(routing.destination));
    return describeRouting({ ...routing, name });
  }
}

/**
 * What a change to `to` makes of the routing now: description and active
 * flag keep their current values unless the input sets them (a new routing
 * starts active, with no description), and Zendesk's further groups are
 * kept, less the new main group.
 */
function targetFor(from: Routing | null, to: Destination, input: { description?: string | null; active?: boolean | null }): RoutingTarget {
  return {
    destination: to,
    description: input.description ?? from?.description ?? null,
    active: input.active ?? from?.active ?? true,
    fallbacks: (from?.fallbacks ?? []).filter((d) => !sameDestination(d, to)),
  };
}

/**
 * INVALID_INPUT for a description or active flag the input asks for that the
 * provider cannot set: silently ignoring it would report a routing that is
 * not what was asked.
 */
function unsettableFields(adapter: RoutingAdapter, from: Routing | null, target: RoutingTarget): ChangeError[] {
  const errors: ChangeError[] = [];
  const { provider, settable } = adapter;
  if (!settable.description && target.description !== (from?.description ?? null) && target.description !== null) {
    errors.push(refusal('INVALID_INPUT', ['input', 'description'], `${provider} keeps no routing description Switchboard can set; leave description out`));
  }
  if (!settable.active && target.active !== (from?.active ?? true)) {
    errors.push(refusal('INVALID_INPUT', ['input', 'active'], `${provider} has no active flag Switchboard can set on a routing; leave active out`));
  }
  return errors;
}

/** The provider calls a change makes, in order. */
function callsFor(adapter: RoutingAdapter, from: Routing | null, target: RoutingTarget | null, location: NumberLocation): PlannedCall[] {
  if (!target) return [adapter.plan.unassign(location)];
  if (!from || sameDestination(from.destination, target.destination)) return [adapter.plan.assign(target, location)];
  if (adapter.move) return [adapter.plan.move!(target, location)];
  return [adapter.plan.unassign(location), adapter.plan.assign(target, location)];
}

function refusal(code: UserErrorCode, field: string[], message: string): ChangeError {
  return { code, field, message };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A provider failure before anything was written: rate-limited or
 * unavailable (with when to retry), or a refusal. Never "not found": a
 * provider that could not be asked has said nothing about the number.
 */
export function providerFailure(error: unknown, field: string[], what = 'could not be read'): ChangeError {
  if (error instanceof ProviderError) {
    const kind = unavailability(error.code);
    const retry = error.retryAfterMs !== undefined ? Math.ceil(error.retryAfterMs / 1000) : undefined;
    const message = `${error.provider} ${what}: ${error.message}; nothing was changed${retry !== undefined ? `. Try again in ${retry} s` : ''}`;
    if (kind) return { code: kind === 'RATE_LIMITED' ? 'PROVIDER_RATE_LIMITED' : 'PROVIDER_UNAVAILABLE', field, message, ...(retry !== undefined && { retryAfterSeconds: retry }) };
    return { code: 'PROVIDER_FAILED', field, message };
  }
  return { code: 'PROVIDER_FAILED', field, message: `${errorText(error)}; nothing was changed` };
}

/**
 * A write that failed, proven by a read to have changed nothing: the
 * provider's refusal (PROVIDER_FAILED), or its outage or rate limit.
 */
function provenUnchanged(error: unknown): ChangeError {
  const failure = providerFailure(error, ['input']);
  const provider = error instanceof ProviderError ? error.provider : 'the provider';
  return { ...failure, message: `${errorText(error)}; nothing was changed (read back from ${provider})` };
}

function notHeld(provider: ProviderName, location: NumberLocation): ChangeError {
  const hint = provider === 'ringcx' ? ' (add it to the DNIS pool first, e.g. with uploadPhoneNumbers)' : '';
  return refusal('NOT_HELD_BY_PROVIDER', PHONE_FIELD, `${provider} does not hold ${location.e164}${hint}`);
}

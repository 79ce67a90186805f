import { ProviderError, type ProviderName } from '../providers/index.js';
import { ChangeInProgressError, type AuditLog, type AuditOutcome, type Journal } from '../store/index.js';
import type { NumberLocation, PlannedCall, RoutingAdapter, RoutingOptions } from './adapters.js';
import { describeRouting, routingRecord, sameDestination, type CurrentRouting, type Destination, type Routing } from './model.js';

/** Why a change was refused or could not be made; `field` is the input path at fault. */
export interface ChangeError {
  code:
    | 'NOT_HELD_BY_PROVIDER'
    | 'ALREADY_ASSIGNED'
    | 'NOT_ASSIGNED'
    | 'CURRENT_DESTINATION_MISMATCH'
    | 'CONFIRMATION_REQUIRED'
    | 'PROVIDER_REQUIRED'
    | 'READ_ONLY_PROVIDER'
    | 'CHANGE_IN_PROGRESS'
    | 'PROVIDER_FAILED'
    | 'ROLLED_BACK'
    | 'RECOVERY_PENDING'
    | 'DESTINATION_NOT_FOUND';
  message: string;
  field: string[];
}

export interface ChangeOutcome {
  provider: ProviderName;
  /** Where the number routed before (read from the provider). */
  previous: Routing | null;
  /** Where it routes now (for a dry run: would route). */
  routing: Routing | null;
  /** The provider calls made, or for a dry run to be made. */
  plan: PlannedCall[];
  errors: ChangeError[];
}

/** What the journal keeps of a routing change: enough to finish or undo it after a crash. */
export interface RoutingPlan {
  location: NumberLocation;
  /** The routing to restore if the change fails half-way; null until read, or when there was none. */
  from: Routing | null;
  /** The routing asked for; null for an unassignment. */
  to: { destination: Destination; description: string | null; active: boolean } | null;
}

export interface ChangeDependencies {
  adapters: Partial<Record<ProviderName, RoutingAdapter>>;
  journal: Journal;
  audit: AuditLog;
  /** A destination's name from reference data, for messages and the history. */
  nameOf(destination: Destination): Promise<string | null>;
  /** Called after a provider's routing changed, so cached data is dropped. */
  changed(provider: ProviderName): void;
}

const DESTINATION_FIELD = ['input', 'destination'];

/**
 * Changes to where numbers route, made safely.
 *
 * Every change takes the number's lock first (an open intent in the
 * journal, unique per number: two concurrent changes cannot both start),
 * then reads where the number routes now from the provider itself, never
 * from a cache. The plan, including what to restore, is in the journal
 * before the first provider call, and every completed step is recorded.
 *
 * RingCentral and Zendesk move a number in one call. RingCX cannot: a DNIS
 * assigned elsewhere is refused, so a move there is a saga: remove the old
 * assignment, add the new one, and if adding fails, put the old one back
 * with its description and active flag. Between those calls the number
 * routes nowhere; that window is what the journal covers. If the process
 * dies inside it, start-up recovery (recovery.ts) finishes or undoes the
 * change. If a call's answer is lost, the state is read again before
 * deciding anything, because the provider may have done it anyway.
 */
export class RoutingChanges {
  /** Intents this process is working on; recovery sweeps leave them alone. */
  readonly active = new Set<string>();

  constructor(private readonly deps: ChangeDependencies) {}

  /** Routes a number that routes nowhere at the destination's provider. */
  async assign(request: { location: NumberLocation; to: Destination; options: RoutingOptions; actor: string }): Promise<ChangeOutcome> {
    const { location, to, options, actor } = request;
    const operation = 'assignPhoneNumber';
    const adapter = this.adapter(to.provider);
    const refused = this.refuseUnwritable(adapter, to.provider, DESTINATION_FIELD);
    if (refused) return this.reject(operation, actor, location, to.provider, null, [refused]);

    return this.locked(operation, actor, location, to.provider, async (intentId) => {
      const current = await this.read(adapter!, location);
      if ('error' in current) return this.failed(operation, actor, location, to.provider, null, intentId, current.error);
      if (!current.held) return this.rejectLocked(intentId, operation, actor, location, to.provider, null, [notHeld(to.provider, location)]);
      const existing = current.routing;
      if (existing && !sameDestination(existing.destination, to)) {
        return this.rejectLocked(intentId, operation, actor, location, to.provider, existing, [
          { code: 'ALREADY_ASSIGNED', field: ['input', 'phoneNumber'], message: `${location.e164} already routes to ${await this.describe(existing)}; use reassignPhoneNumber to move it` },
        ]);
      }
      if (!existing && current.blockedBy) {
        return this.rejectLocked(intentId, operation, actor, location, to.provider, null, [
          { code: 'ALREADY_ASSIGNED', field: ['input', 'phoneNumber'], message: `${location.e164} is in use at ${to.provider}: ${current.blockedBy}` },
        ]);
      }
      const plan: RoutingPlan = { location, from: existing, to: { destination: to, ...options } };
      this.deps.journal.replan(intentId, plan, 'read');
      const calls = [adapter!.plan.assign(to, location)];
      try {
        const routing = await adapter!.assign(location, to, options);
        return this.succeeded(operation, actor, location, to.provider, existing, routing, calls, intentId);
      } catch (error) {
        const after = await this.read(adapter!, location);
        const landed = routedTo(after, to);
        if (landed) return this.succeeded(operation, actor, location, to.provider, existing, landed, calls, intentId);
        if (error instanceof ProviderError && error.code === 'CONFLICT') {
          const now = !('error' in after) && after.held ? after.routing : null;
          return this.rejectLocked(intentId, operation, actor, location, to.provider, now, [
            { code: 'ALREADY_ASSIGNED', field: ['input', 'phoneNumber'], message: `${location.e164} was assigned elsewhere meanwhile${now ? ` (${await this.describe(now)})` : ''}` },
          ]);
        }
        return this.failed(operation, actor, location, to.provider, existing, intentId, error);
      }
    });
  }

  /** Moves a routed number to another destination at the same provider. */
  async reassign(request: {
    location: NumberLocation;
    to: Destination;
    expectedCurrent?: Destination;
    description?: string | null;
    active?: boolean | null;
    dryRun: boolean;
    actor: string;
  }): Promise<ChangeOutcome> {
    const { location, to, expectedCurrent, actor } = request;
    const operation = 'reassignPhoneNumber';
    const adapter = this.adapter(to.provider);
    const refused = this.refuseUnwritable(adapter, to.provider, DESTINATION_FIELD);
    if (refused) return this.reject(operation, actor, location, to.provider, null, [refused]);
    if (expectedCurrent && expectedCurrent.provider !== to.provider) {
      return this.reject(operation, actor, location, to.provider, null, [
        { code: 'CURRENT_DESTINATION_MISMATCH', field: ['input', 'expectedCurrent'], message: `expectedCurrent is at ${expectedCurrent.provider} but the destination is at ${to.provider}: a move stays within one provider` },
      ]);
    }

    const decide = async (current: CurrentRouting): Promise<ChangeError | { from: Routing; options: RoutingOptions; calls: PlannedCall[] }> => {
      if (!current.held) return notHeld(to.provider, location);
      const from = current.routing;
      if (!from) return { code: 'NOT_ASSIGNED', field: ['input', 'phoneNumber'], message: `${location.e164} routes nowhere at ${to.provider}; use assignPhoneNumber` };
      if (expectedCurrent && !sameDestination(from.destination, expectedCurrent)) {
        return { code: 'CURRENT_DESTINATION_MISMATCH', field: ['input', 'expectedCurrent'], message: `${location.e164} routes to ${await this.describe(from)}, not where expectedCurrent says; nothing was changed` };
      }
      const options = { description: request.description ?? from.description, active: request.active ?? from.active };
      const unchanged = sameDestination(from.destination, to);
      const calls = unchanged
        ? [adapter!.plan.assign(to, location)]
        : adapter!.move
          ? [adapter!.plan.move!(to, location)]
          : [adapter!.plan.unassign(location), adapter!.plan.assign(to, location)];
      return { from, options, calls };
    };

    if (request.dryRun) {
      const current = await this.read(adapter!, location);
      if ('error' in current) return this.failed(operation, actor, location, to.provider, null, undefined, current.error);
      const decision = await decide(current);
      if ('code' in decision) return this.reject(operation, actor, location, to.provider, current.held ? current.routing : null, [decision]);
      const planned: Routing = { destination: to, name: await this.deps.nameOf(to), ...decision.options };
      this.audit(operation, actor, location.e164, decision.from, planned, 'DRY_RUN');
      return { provider: to.provider, previous: decision.from, routing: planned, plan: decision.calls, errors: [] };
    }

    return this.locked(operation, actor, location, to.provider, async (intentId) => {
      const current = await this.read(adapter!, location);
      if ('error' in current) return this.failed(operation, actor, location, to.provider, null, intentId, current.error);
      const decision = await decide(current);
      if ('code' in decision) return this.rejectLocked(intentId, operation, actor, location, to.provider, current.held ? current.routing : null, [decision]);
      const { from, options, calls } = decision;
      const plan: RoutingPlan = { location, from, to: { destination: to, ...options } };
      this.deps.journal.replan(intentId, plan, 'read');

      // Same destination: only the description or active flag changes (RingCX updates in place).
      if (sameDestination(from.destination, to) || adapter!.move) {
        try {
          const routing = sameDestination(from.destination, to) ? await adapter!.assign(location, to, options) : await adapter!.move!(location, to, options);
          return this.succeeded(operation, actor, location, to.provider, from, routing, calls, intentId);
        } catch (error) {
          const landed = routedTo(await this.read(adapter!, location), to);
          if (landed) return this.succeeded(operation, actor, location, to.provider, from, landed, calls, intentId);
          return this.failed(operation, actor, location, to.provider, from, intentId, error);
        }
      }

      // The RingCX saga: remove, then add; restore on failure.
      try {
        await adapter!.unassign(location);
      } catch (error) {
        const after = await this.read(adapter!, location);
        const removed = !('error' in after) && after.held && after.routing === null;
        if (!removed) return this.failed(operation, actor, location, to.provider, from, intentId, error);
      }
      this.deps.journal.step(intentId, 'removed');

      try {
        const routing = await adapter!.assign(location, to, options);
        return this.succeeded(operation, actor, location, to.provider, from, routing, calls, intentId);
      } catch (error) {
        const landed = routedTo(await this.read(adapter!, location), to);
        if (landed) return this.succeeded(operation, actor, location, to.provider, from, landed, calls, intentId);
        return this.rollBack(operation, actor, location, adapter!, from, intentId, error, [...calls, adapter!.plan.assign(from.destination, location)]);
      }
    });
  }

  /** Stops a number routing at one provider. */
  async unassign(request: {
    location: NumberLocation;
    currentDestination?: Destination;
    force: boolean;
    provider?: ProviderName;
    actor: string;
  }): Promise<ChangeOutcome> {
    const { location, currentDestination, actor } = request;
    const operation = 'unassignPhoneNumber';
    if (!currentDestination && !request.force) {
      return this.reject(operation, actor, location, request.provider ?? 'ringcx', null, [
        { code: 'CONFIRMATION_REQUIRED', field: ['input', 'currentDestination'], message: 'Unassigning changes where calls go: confirm the current destination in currentDestination, or set force' },
      ]);
    }
    let provider = currentDestination?.provider ?? request.provider;
    if (!provider) {
      const routed = await this.providersRouting(location);
      if (routed.length === 0) {
        return this.reject(operation, actor, location, 'ringcx', null, [{ code: 'NOT_ASSIGNED', field: ['input', 'phoneNumber'], message: `${location.e164} routes nowhere that Switchboard can change` }]);
      }
      if (routed.length > 1) {
        return this.reject(operation, actor, location, routed[0]!, null, [
          { code: 'PROVIDER_REQUIRED', field: ['input', 'provider'], message: `${location.e164} routes at ${routed.join(' and ')}: say which provider's routing to remove` },
        ]);
      }
      provider = routed[0]!;
    }
    const adapter = this.adapter(provider);
    const refused = this.refuseUnwritable(adapter, provider, currentDestination ? ['input', 'currentDestination'] : ['input', 'provider']);
    if (refused) return this.reject(operation, actor, location, provider, null, [refused]);
    const at = provider;

    return this.locked(operation, actor, location, at, async (intentId) => {
      const current = await this.read(adapter!, location);
      if ('error' in current) return this.failed(operation, actor, location, at, null, intentId, current.error);
      if (!current.held) return this.rejectLocked(intentId, operation, actor, location, at, null, [notHeld(at, location)]);
      const from = current.routing;
      if (!from) return this.rejectLocked(intentId, operation, actor, location, at, null, [{ code: 'NOT_ASSIGNED', field: ['input', 'phoneNumber'], message: `${location.e164} routes nowhere at ${at}` }]);
      if (currentDestination && !sameDestination(from.destination, currentDestination)) {
        return this.rejectLocked(intentId, operation, actor, location, at, from, [
          { code: 'CURRENT_DESTINATION_MISMATCH', field: ['input', 'currentDestination'], message: `${location.e164} routes to ${await this.describe(from)}, not to the currentDestination given; nothing was changed` },
        ]);
      }
      this.deps.journal.replan<RoutingPlan>(intentId, { location, from, to: null }, 'read');
      const calls = [adapter!.plan.unassign(location)];
      try {
        await adapter!.unassign(location);
      } catch (error) {
        const after = await this.read(adapter!, location);
        if ('error' in after || !after.held || after.routing !== null) return this.failed(operation, actor, location, at, from, intentId, error);
      }
      return this.succeeded(operation, actor, location, at, from, null, calls, intentId);
    });
  }

  // --- the lock, outcomes and the history -------------------------------------------------------

  private async locked(operation: string, actor: string, location: NumberLocation, provider: ProviderName, work: (intentId: string) => Promise<ChangeOutcome>): Promise<ChangeOutcome> {
    let intentId: string;
    try {
      intentId = this.deps.journal.begin<RoutingPlan>({ phoneNumber: location.e164, provider, operation, actor, plan: { location, from: null, to: null }, step: 'locked' }).id;
    } catch (error) {
      if (!(error instanceof ChangeInProgressError)) throw error;
      return this.reject(operation, actor, location, provider, null, [
        { code: 'CHANGE_IN_PROGRESS', field: ['input', 'phoneNumber'], message: `Another change to ${location.e164} is in progress; nothing was changed. Try again when it ends.` },
      ]);
    }
    this.active.add(intentId);
    try {
      return await work(intentId);
    } finally {
      this.active.delete(intentId);
    }
  }

  private succeeded(operation: string, actor: string, location: NumberLocation, provider: ProviderName, previous: Routing | null, routing: Routing | null, plan: PlannedCall[], intentId: string): ChangeOutcome {
    this.deps.journal.close(intentId, 'done');
    this.deps.changed(provider);
    this.audit(operation, actor, location.e164, previous, routing, 'SUCCEEDED');
    return { provider, previous, routing, plan, errors: [] };
  }

  /** Refused before taking the lock: nothing to close. */
  private reject(operation: string, actor: string, location: NumberLocation, provider: ProviderName, current: Routing | null, errors: ChangeError[]): ChangeOutcome {
    this.audit(operation, actor, location.e164, current, current, 'REJECTED', errors.map((e) => `${e.code}: ${e.message}`).join('; '));
    return { provider, previous: current, routing: current, plan: [], errors };
  }

  private rejectLocked(intentId: string, operation: string, actor: string, location: NumberLocation, provider: ProviderName, current: Routing | null, errors: ChangeError[]): ChangeOutcome {
    this.deps.journal.close(intentId, 'failed', errors.map((e) => e.code).join(','));
    return this.reject(operation, actor, location, provider, current, errors);
  }

  /** A provider failed before anything changed. */
  private failed(operation: string, actor: string, location: NumberLocation, provider: ProviderName, current: Routing | null, intentId: string | undefined, error: unknown): ChangeOutcome {
    const message = error instanceof Error ? error.message : String(error);
    if (intentId) this.deps.journal.close(intentId, 'failed', message);
    this.audit(operation, actor, location.e164, current, current, 'FAILED', message);
    return { provider, previous: current, routing: current, plan: [], errors: [{ code: 'PROVIDER_FAILED', field: ['input'], message: `${message}; nothing was changed` }] };
  }

  /** The second step of the RingCX saga failed: put the previous assignment back. */
  private async rollBack(operation: string, actor: string, location: NumberLocation, adapter: RoutingAdapter, from: Routing, intentId: string, cause: unknown, calls: PlannedCall[]): Promise<ChangeOutcome> {
    const reason = cause instanceof Error ? cause.message : String(cause);
    try {
      const restored = await adapter.assign(location, from.destination, { description: from.description, active: from.active });
      this.deps.journal.close(intentId, 'rolled_back', reason);
      this.deps.changed(adapter.provider);
      this.audit(operation, actor, location.e164, from, restored, 'ROLLED_BACK', reason);
      return {
        provider: adapter.provider,
        previous: from,
        routing: restored,
        plan: calls,
        errors: [{ code: 'ROLLED_BACK', field: ['input', 'destination'], message: `${reason}; the previous routing to ${await this.describe(from)} was restored` }],
      };
    } catch (restoreError) {
      // The number may route nowhere now. The intent stays open: recovery keeps trying.
      const detail = `${reason}; restoring ${describeRouting(from)} also failed: ${restoreError instanceof Error ? restoreError.message : String(restoreError)}`;
      this.deps.changed(adapter.provider);
      this.audit(operation, actor, location.e164, from, null, 'FAILED', detail);
      return {
        provider: adapter.provider,
        previous: from,
        routing: null,
        plan: calls,
        errors: [{ code: 'RECOVERY_PENDING', field: ['input', 'destination'], message: `${detail}. The change is journaled and recovery will finish or undo it.` }],
      };
    }
  }

  private audit(operation: string, actor: string, e164: string, before: Routing | null, after: Routing | null, outcome: AuditOutcome, detail?: string): void {
    this.deps.audit.write({ actor, operation, phoneNumber: e164, before: routingRecord(before), after: routingRecord(after), outcome, detail: detail ?? null });
  }

  // --- helpers ----------------------------------------------------------------------------------

  private adapter(provider: ProviderName): RoutingAdapter | undefined {
    return this.deps.adapters[provider];
  }

  private refuseUnwritable(adapter: RoutingAdapter | undefined, provider: ProviderName, field: string[]): ChangeError | undefined {
    if (!adapter) return { code: 'DESTINATION_NOT_FOUND', field, message: `${provider} is not enabled on this server` };
    if (!adapter.writable) return { code: 'READ_ONLY_PROVIDER', field, message: `${provider}'s API offers no way to change routing; change it in ${provider} itself` };
    return undefined;
  }

  /** The provider's current answer, or the error that kept us from reading it. */
  private async read(adapter: RoutingAdapter, location: NumberLocation): Promise<CurrentRouting | { error: unknown }> {
    try {
      return await adapter.current(location);
    } catch (error) {
      return { error };
    }
  }

  /** Writable providers that route the number now (read fresh). */
  private async providersRouting(location: NumberLocation): Promise<ProviderName[]> {
    const out: ProviderName[] = [];
    for (const adapter of Object.values(this.deps.adapters)) {
      if (!adapter?.writable) continue;
      const current = await this.read(adapter, location);
      if (!('error' in current) && current.held && current.routing) out.push(adapter.provider);
    }
    return out;
  }

  private async describe(routing: Routing): Promise<string> {
    const name = routing.name ?? (await this.deps.nameOf(routing.destination));
    return describeRouting({ ...routing, name });
  }
}

/**
 * The routing when a read says the number routes to `to`. A call whose answer
 * was lost (timeout, reset) may still have been carried out: this is checked
 * before anything is called a failure.
 */
function routedTo(read: CurrentRouting | { error: unknown }, to: Destination): Routing | null {
  return !('error' in read) && read.held && read.routing && sameDestination(read.routing.destination, to) ? read.routing : null;
}

function notHeld(provider: ProviderName, location: NumberLocation): ChangeError {
  const hint = provider === 'ringcx' ? ' (add it to the DNIS pool first, e.g. with uploadPhoneNumbers)' : '';
  return { code: 'NOT_HELD_BY_PROVIDER', field: ['input', 'phoneNumber'], message: `${provider} does not hold ${location.e164}${hint}` };
}

import type { ProviderName } from '../providers/index.js';
import type { AuditLog, AuditOutcome, Intent, IntentStatus, Journal } from '../store/index.js';
import type { NumberLocation, RoutingAdapter } from './adapters.js';
import type { RoutingPlan } from './changes.js';
import { fulfils, reachesTarget, routingRecord, sameDestination, sameRouting, type Routing, type RoutingTarget } from './model.js';

/** What recovery did with one open intent. */
export interface Recovered {
  intentId: string;
  phoneNumber: string;
  result: 'finished' | 'undone' | 'superseded' | 'still_open';
  detail: string;
}

/**
 * Finishes or undoes every routing change left open: its process died, a
 * write's outcome was unknown, or a rollback failed. No number is left
 * routing nowhere, and the history says which way each change ended.
 *
 * For each open intent, the provider is asked where the number routes now:
 * - at the target (for an unassignment: nowhere): the change happened;
 *   closed as done, RECOVERY_FINISHED;
 * - at the origin: nothing was done; closed as rolled back, RECOVERY_UNDONE;
 * - nowhere, mid-move: the move is finished (the user asked for it); if
 *   that fails, the origin is restored; if that fails too, the intent stays
 *   open for the next sweep. An interrupted plain assignment is left
 *   undone: nobody saw it succeed;
 * - somewhere else: someone changed it meanwhile; it is left as it is,
 *   RECOVERY_SUPERSEDED.
 * A provider that cannot be read leaves the intent open: unknown is not
 * failed, and the next sweep asks again.
 */
export async function recoverOpenIntents(deps: {
  journal: Journal;
  audit: AuditLog;
  adapters: Partial<Record<ProviderName, RoutingAdapter>>;
  /** Intents a live request is working on: not abandoned, just busy. */
  skip?: ReadonlySet<string>;
  /**
   * One process owns the journal (an SQLite file): every open intent it is
   * not working on is orphaned. Otherwise (replicas on PostgreSQL) only
   * intents whose lease ran out are taken: their owner died.
   */
  singleProcess?: boolean;
  changed?: (provider: ProviderName, location: NumberLocation) => Promise<void>;
}): Promise<Recovered[]> {
  const results: Recovered[] = [];
  for (const intent of await deps.journal.open<RoutingPlan>()) {
    if (deps.skip?.has(intent.id)) continue;
    // Claimed first, so two replicas never recover one intent, nor one a live replica still works on.
    if (!(await deps.journal.claim(intent.id, deps.singleProcess ?? false))) continue;
    const adapter = deps.adapters[intent.provider as ProviderName];
    if (!adapter) {
      results.push({ intentId: intent.id, phoneNumber: intent.phoneNumber, result: 'still_open', detail: `${intent.provider} is not enabled` });
      continue;
    }
    results.push(await recoverOne(intent, adapter, deps));
  }
  return results;
}

const ENDINGS: Record<Exclude<Recovered['result'], 'still_open'>, { status: Exclude<IntentStatus, 'open'>; outcome: AuditOutcome }> = {
  finished: { status: 'done', outcome: 'RECOVERY_FINISHED' },
  undone: { status: 'rolled_back', outcome: 'RECOVERY_UNDONE' },
  superseded: { status: 'abandoned', outcome: 'RECOVERY_SUPERSEDED' },
};

async function recoverOne(intent: Intent<RoutingPlan>, adapter: RoutingAdapter, deps: { journal: Journal; audit: AuditLog; changed?: (provider: ProviderName, location: NumberLocation) => Promise<void> }): Promise<Recovered> {
  const { location, from, to } = intent.plan;
  const end = async (result: Exclude<Recovered['result'], 'still_open'>, detail: string, after: Routing | null): Promise<Recovered> => {
    const { status, outcome } = ENDINGS[result];
    await deps.journal.close(intent.id, status, `recovered: ${detail}`);
    await deps.audit.write({
      actor: intent.actor,
      operation: intent.operation,
      provider: intent.provider,
      phoneNumber: intent.phoneNumber,
      before: routingRecord(from),
      after: routingRecord(after),
      outcome,
      detail,
      changeId: intent.id,
    });
    await deps.changed?.(adapter.provider, intent.plan.location);
    return { intentId: intent.id, phoneNumber: intent.phoneNumber, result, detail };
  };
  const open = async (detail: string): Promise<Recovered> => {
    await deps.journal.note(intent.id, `recovery: ${detail}`);
    return { intentId: intent.id, phoneNumber: intent.phoneNumber, result: 'still_open', detail };
  };

  // The lock is taken before the compare-and-set read; no write is sent before `verified`.
  if (intent.step === 'locked') return end('undone', 'stopped before any write: nothing was changed', from);

  let now: Routing | null;
  try {
    const current = await adapter.current(location);
    if (!current.held) return end('superseded', `${adapter.provider} no longer holds the number`, null);
    now = current.routing;
  } catch (error) {
    return open(`could not read the number's routing yet: ${message(error)}`);
  }

  // Flags first: an in-place change (same destination, new active flag) has
  // happened only if the flags say so, and has not if the routing is as it was.
  if (to && fulfils(now, to)) return end('finished', 'the change had been made', now);
  if (!to && !now) return end('finished', 'the unassignment had been made', null);
  if (from && sameRouting(now, from)) return end('undone', 'the number still routes as it did: nothing was changed', now);
  if (to && reachesTarget(now, to)) return end('finished', 'the number routes to the destination asked for', now);
  if (from && now && sameDestination(now.destination, from.destination)) return end('undone', 'the number still routes where it did: nothing was changed', now);
  // An interrupted assignment is undone, not completed: nobody saw it succeed.
  if (!now && to && !from) return end('undone', 'the assignment had not been made: the number routes nowhere, as before', null);

  if (!now && to && from) {
    const finished = await write(adapter, location, to);
    if (finished) return end('finished', 'the interrupted move was finished', finished);
    const restoreTarget: RoutingTarget = { destination: from.destination, description: from.description, active: from.active, fallbacks: from.fallbacks };
    const restored = await write(adapter, location, restoreTarget);
    if (restored) return end('undone', 'finishing the move failed, so the previous routing was restored', restored);
    return open('finishing and restoring both failed; the next sweep tries again');
  }
  return end('superseded', 'the number was routed elsewhere meanwhile; left as it is', now);
}

/** Routes the number as `target` says; the routing, or null when the write failed (read back to be sure). */
async function write(adapter: RoutingAdapter, location: RoutingPlan['location'], target: RoutingTarget): Promise<Routing | null> {
  try {
    return await adapter.assign(location, target);
  } catch {
    try {
      const current = await adapter.current(location);
      return current.held && reachesTarget(current.routing, target) ? current.routing : null;
    } catch {
      return null;
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

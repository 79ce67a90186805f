import type { ProviderName } from '../providers/index.js';
import type { AuditLog, Intent, Journal } from '../store/index.js';
import type { RoutingAdapter } from './adapters.js';
import type { RoutingPlan } from './changes.js';
import { routingRecord, sameDestination, type Routing } from './model.js';

/** What recovery did with one open intent. */
export interface Recovered {
  intentId: string;
  phoneNumber: string;
  result: 'finished' | 'rolled_back' | 'abandoned' | 'still_open';
  detail: string;
}

/**
 * Finishes or undoes every routing change that a process left open (it died,
 * or a rollback failed), so that no number is left routing nowhere.
 *
 * For each open intent, the provider is asked where the number routes now:
 * - at the target: the change happened; close it as done;
 * - at the origin (or, for an unassignment, nowhere): nothing or all was
 *   done; close it as rolled back or done;
 * - nowhere, mid-move: finish the move (the user asked for it); if that
 *   fails, restore the origin; if that fails too, leave it open for the next
 *   sweep. An interrupted plain assignment is left undone;
 * - somewhere else: someone changed it meanwhile; leave it, close as
 *   abandoned.
 * Each outcome is written to the history as RECOVERED.
 */
export async function recoverOpenIntents(deps: {
  journal: Journal;
  audit: AuditLog;
  adapters: Partial<Record<ProviderName, RoutingAdapter>>;
  /** Intents a live request is working on: not abandoned, just busy. */
  skip?: ReadonlySet<string>;
  changed?: (provider: ProviderName) => void;
}): Promise<Recovered[]> {
  const results: Recovered[] = [];
  for (const intent of deps.journal.open<RoutingPlan>()) {
    if (deps.skip?.has(intent.id)) continue;
    const adapter = deps.adapters[intent.provider as ProviderName];
    if (!adapter) {
      results.push({ intentId: intent.id, phoneNumber: intent.phoneNumber, result: 'still_open', detail: `${intent.provider} is not enabled` });
      continue;
    }
    results.push(await recoverOne(intent, adapter, deps));
  }
  return results;
}

async function recoverOne(
  intent: Intent<RoutingPlan>,
  adapter: RoutingAdapter,
  deps: { journal: Journal; audit: AuditLog; changed?: (provider: ProviderName) => void },
): Promise<Recovered> {
  const { location, from, to } = intent.plan;
  const done = (result: Recovered['result'], status: 'done' | 'rolled_back' | 'abandoned', detail: string, before: Routing | null, after: Routing | null): Recovered => {
    deps.journal.close(intent.id, status, `recovered: ${detail}`);
    deps.audit.write({
      actor: intent.actor,
      operation: intent.operation,
      phoneNumber: intent.phoneNumber,
      before: routingRecord(before),
      after: routingRecord(after),
      outcome: 'RECOVERED',
      detail,
    });
    deps.changed?.(adapter.provider);
    return { intentId: intent.id, phoneNumber: intent.phoneNumber, result, detail };
  };
  const open = (detail: string): Recovered => ({ intentId: intent.id, phoneNumber: intent.phoneNumber, result: 'still_open', detail });

  // The plan is written before any provider write: at `locked`, nothing was done.
  if (intent.step === 'locked') return done('rolled_back', 'rolled_back', 'the change never started', null, null);

  let now: Routing | null;
  try {
    const current = await adapter.current(location);
    if (!current.held) return done('abandoned', 'abandoned', `${adapter.provider} no longer holds the number`, from, null);
    now = current.routing;
  } catch (error) {
    return open(`could not read the number's routing: ${error instanceof Error ? error.message : String(error)}`);
  }

  if (to && now && sameDestination(now.destination, to.destination)) return done('finished', 'done', 'the change had been made', from, now);
  if (!to && !now) return done('finished', 'done', 'the unassignment had been made', from, null);
  if (from && now && sameDestination(now.destination, from.destination)) return done('rolled_back', 'rolled_back', 'the number still routes where it did', from, now);
  // An interrupted assignment is undone, not completed: nobody saw it succeed.
  if (!now && to && !from) return done('rolled_back', 'rolled_back', 'the assignment had not been made', null, null);

  if (!now && to && from) {
    try {
      const routing = await adapter.assign(location, to.destination, { description: to.description, active: to.active });
      return done('finished', 'done', 'the interrupted change was finished', from, routing);
    } catch {
      try {
        const restored = await adapter.assign(location, from.destination, { description: from.description, active: from.active });
        return done('rolled_back', 'rolled_back', 'finishing failed, so the previous routing was restored', from, restored);
      } catch (restoreError) {
        return open(`finishing and restoring both failed: ${restoreError instanceof Error ? restoreError.message : String(restoreError)}`);
      }
    }
  }
  return done('abandoned', 'abandoned', 'the number was routed elsewhere meanwhile; left as it is', from, now);
}

import type { ProviderName } from '../providers/index.js';
import type { Routing } from '../routing/model.js';
import { routingRecord, sameRouting } from '../routing/model.js';
import type { AuditEntryInput } from '../store/index.js';
import type { KnownSource, SourceRow } from '../store/inventory.js';

/** The history's operation for routing a pass found changed outside Switchboard. */
export const EXTERNAL_CHANGE = 'EXTERNAL_CHANGE';

/**
 * History entries for routing changed outside Switchboard: a record whose
 * routing differs from what the index held, or a number the provider no
 * longer lists. Left out: numbers seen for the first time (nothing to
 * compare), numbers with one of our changes in flight (its own entries tell
 * that story), and rows our own change wrote after the pass began reading.
 */
export function externalChanges(
  provider: ProviderName,
  changed: readonly SourceRow[],
  known: ReadonlyMap<string, KnownSource>,
  removed: readonly KnownSource[],
  readAt: string,
  inFlight: ReadonlySet<string>,
): AuditEntryInput[] {
  const entries: AuditEntryInput[] = [];
  const read = (json: string | null) => (json ? (JSON.parse(json) as Routing) : null);
  const entry = (e164: string, before: string | null, after: string | null, detail: string): AuditEntryInput => ({
    actor: `${provider} (outside Switchboard)`,
    operation: EXTERNAL_CHANGE,
    provider,
    phoneNumber: e164,
    before: routingRecord(read(before)),
    after: routingRecord(read(after)),
    outcome: 'SUCCEEDED',
    detail,
  });
  for (const row of changed) {
    const was = known.get(row.provider_id);
    if (!was || was.syncedAt > readAt || inFlight.has(row.e164)) continue;
    // A renamed queue changes the record, not where calls go.
    if (sameRouting(read(was.routing), read(row.routing))) continue;
    entries.push(entry(row.e164, was.routing, row.routing, `found by the inventory sync: ${provider} routes it differently than when last read`));
  }
  for (const was of removed) {
    if (was.syncedAt > readAt || inFlight.has(was.e164)) continue;
    entries.push(entry(was.e164, was.routing, null, `found by the inventory sync: ${provider} no longer lists the number`));
  }
  return entries;
}

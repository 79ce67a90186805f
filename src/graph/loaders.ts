import DataLoader from 'dataloader';
import { normalizePhoneNumber } from '../domain/phone-number.js';
import { RINGCENTRAL_BATCH_LIMIT } from '../providers/ringcentral/index.js';
import type { RcCompanyPhoneNumber, RcExtension, RcForwardingNumber } from '../providers/ringcentral/index.js';
import type { DnisPool } from '../providers/ringcx/index.js';
import type { Catalog } from './catalog.js';
import type { Inventory } from './inventory.js';
import type { PhoneNumberModel, QueueModel, TrackingGroupModel } from './models.js';

/** RingCX's `tnManager/search` answers at most this many rows a page; one page per batch. */
export const RINGCX_SEARCH_BATCH = 500;

/**
 * Per-request loaders, one per lookup by key. They are built for every
 * request (never shared, so one caller's results never reach another's
 * request) and batch what a query asks for into as few provider calls as
 * the contracts allow. Most read the shared catalog, so a warm cache means
 * no provider call at all; the others use the providers' batch endpoints.
 */
export interface Loaders {
  /** A merged number by E.164: the inventory, then RingCX's batch search for numbers it does not know yet. */
  phoneNumber: DataLoader<string, PhoneNumberModel | null>;
  /** Fresh RingCX pool records by DNIS (`tnManager/search` with many `dnis`). */
  ringcxDnis: DataLoader<string, DnisPool | null>;
  /** Fresh RingCentral numbers by id (batch `GET phone-number/{id1,…}`, 30 ids a call). */
  ringcentralNumber: DataLoader<string, RcCompanyPhoneNumber | null>;
  /** RingCentral extensions by id, from the directory (re-read at most every 30 s for an id it lacks). */
  extension: DataLoader<string, RcExtension | null>;
  /** Number features by extension id and phone-number id. */
  extensionNumberFeatures: DataLoader<string, Map<string, string[]>>;
  /** Forwarding numbers by extension id. */
  forwardingNumbers: DataLoader<string, RcForwardingNumber[]>;
  /** RingCX queues by `accountId:gateId`. */
  queue: DataLoader<string, QueueModel | null>;
  /** RingCX tracking groups by `accountId:tracGroupId`. */
  trackingGroup: DataLoader<string, TrackingGroupModel | null>;
}

/** Builds a request's loaders. `inventory` is the request's view of the merged inventory. */
export function createLoaders(catalog: Catalog, inventory: () => Promise<Inventory>): Loaders {
  const loaders: Loaders = {
    phoneNumber: new DataLoader(
      async (keys) => {
        const { byE164, failures } = await inventory();
        const missing = keys.filter((e164) => !byE164.has(e164));
        const found = new Map<string, PhoneNumberModel>();
        // A number provisioned in RingCX since the snapshot is found by one
        // batch search; skipped when RingCX is off or just failed.
        if (missing.length > 0 && catalog.clients.ringcx && !failures.some((f) => f.provider === 'ringcx')) {
          const records = await loaders.ringcxDnis.loadMany(missing.map((e164) => e164.slice(1)));
          for (const record of records) {
            if (!record || record instanceof Error) continue;
            const parsed = normalizePhoneNumber(record.dnisE164 ?? record.dnis, { strict: false });
            if (!parsed.ok) continue;
            const { reservedAccountId, ...rest } = record;
            found.set(parsed.e164, {
              e164: parsed.e164,
              parsed,
              sources: [{ provider: 'ringcx', e164: parsed.e164, providerId: record.dnis, record: { ...rest, ...(reservedAccountId && { accountId: reservedAccountId }) } }],
            });
          }
        }
        return keys.map((e164) => byE164.get(e164) ?? found.get(e164) ?? null);
      },
      { maxBatchSize: RINGCX_SEARCH_BATCH },
    ),

    ringcxDnis: new DataLoader(
      async (dnis) => {
        const ringcx = catalog.require('ringcx');
        const page = await ringcx.searchDnisPoolPage({ dnis: [...dnis] }, { page: 0, maxRows: dnis.length });
        const byDnis = new Map(page.records.map((r) => [r.dnis, r]));
        return dnis.map((d) => byDnis.get(d) ?? null);
      },
      { maxBatchSize: RINGCX_SEARCH_BATCH },
    ),

    ringcentralNumber: new DataLoader<string, RcCompanyPhoneNumber | null>(
      async (ids) => {
        const results = await catalog.require('ringcentral').getPhoneNumbers(ids);
        // An Error at a key rejects that key's load only (DataLoader's batch contract).
        return results.map((result): RcCompanyPhoneNumber | null | Error => (result.status === 'found' ? result.phoneNumber : result.status === 'notFound' ? null : result.error));
      },
      { maxBatchSize: RINGCENTRAL_BATCH_LIMIT },
    ),

    extension: new DataLoader(async (ids) => {
      const { byId } = await catalog.ringcentralExtensionsCovering(ids);
      return ids.map((id) => byId.get(id) ?? null);
    }),

    extensionNumberFeatures: new DataLoader(async (extensionIds) =>
      Promise.all(
        extensionIds.map(async (id) => {
          const numbers = await catalog.ringcentralExtensionNumbers(id);
          return new Map(numbers.map((n) => [n.id, n.features as string[]]));
        }),
      ),
    ),

    forwardingNumbers: new DataLoader(async (extensionIds) => Promise.all(extensionIds.map((id) => catalog.ringcentralForwardingNumbers(id)))),

    queue: new DataLoader(async (keys) => {
      const { byKey } = await catalog.ringcxQueues();
      return keys.map((key) => byKey.get(key) ?? null);
    }),

    trackingGroup: new DataLoader(async (keys) => {
      const { groupByKey } = await catalog.ringcxTracking();
      return keys.map((key) => groupByKey.get(key) ?? null);
    }),
  };
  return loaders;
}

import DataLoader from 'dataloader';
import type { RcAccountInfo, RcExtension, RcForwardingNumber } from '../providers/ringcentral/index.js';
import type { RcxAccount } from '../providers/ringcx/index.js';
import type { ZendeskGroup, ZendeskIvr } from '../providers/zendesk/index.js';
import type { InventoryIndex } from '../store/inventory.js';
import { DIRECTORY, type DirectoryKind } from '../sync/directories.js';
import type { Catalog } from './catalog.js';
import type { InventoryView } from './context.js';
import { numberModel } from './inventory.js';
import type { CloudRouteProfileModel, PhoneNumberModel, QueueModel, TrackingGroupModel, TrackingNumberModel } from './models.js';

/** Keys per index query: a page of 500 numbers is one or two statements. */
const INDEX_BATCH = 400;

/**
 * Per-request loaders, one per lookup by key. They are built for every
 * request (never shared, so one caller's results never reach another's
 * request) and batch what a query asks for into one index query per kind.
 * Numbers and reference data come from the inventory index, never from a
 * provider; only what the index does not keep (a RingCentral extension's
 * number features and forwarding numbers) is read from RingCentral, through
 * the shared cache.
 */
export interface Loaders {
  /** A number by E.164, from the index. */
  phoneNumber: DataLoader<string, PhoneNumberModel | null>;
  /** RingCX queues by `accountId:gateId`. */
  queue: DataLoader<string, QueueModel | null>;
  /** RingCX tracking groups by `accountId:tracGroupId`. */
  trackingGroup: DataLoader<string, TrackingGroupModel | null>;
  /** RingCX tracking numbers by `accountId:tracGroupId:tracId`. */
  trackingNumber: DataLoader<string, TrackingNumberModel | null>;
  /** RingCX cloud route profiles by id. */
  cloudRouteProfile: DataLoader<string, CloudRouteProfileModel | null>;
  /** RingCX sub-accounts by id. */
  ringcxAccount: DataLoader<string, RcxAccount | null>;
  /** RingCentral extensions by id. */
  extension: DataLoader<string, RcExtension | null>;
  /** The RingCentral account (key `account`). */
  ringcentralAccount: DataLoader<string, RcAccountInfo | null>;
  zendeskGroup: DataLoader<string, ZendeskGroup | null>;
  zendeskIvr: DataLoader<string, ZendeskIvr | null>;
  /** Number features by extension id and phone-number id (RingCentral, on demand). */
  extensionNumberFeatures: DataLoader<string, Map<string, string[]>>;
  /** Forwarding numbers by extension id (RingCentral, on demand). */
  forwardingNumbers: DataLoader<string, RcForwardingNumber[]>;
}

/** Builds a request's loaders over the index; `view` is the request's view of the index's state. */
export function createLoaders(catalog: Catalog, index: InventoryIndex, view: () => Promise<InventoryView>): Loaders {
  const directory = <T>(kind: DirectoryKind) =>
    new DataLoader<string, T | null>(
      async (keys) => {
        const found = await index.directory(kind, keys);
        return keys.map((key) => {
          const record = found.get(key);
          return record === undefined ? null : (JSON.parse(record) as T);
        });
      },
      { maxBatchSize: INDEX_BATCH },
    );
  return {
    phoneNumber: new DataLoader(
      async (keys) => {
        const { confirmedAt } = await view();
        const found = await index.numbers(keys);
        return keys.map((e164) => {
          const entry = found.get(e164);
          return entry ? numberModel(entry.row, entry.sources, confirmedAt) : null;
        });
      },
      { maxBatchSize: INDEX_BATCH },
    ),
    queue: directory(DIRECTORY.queue),
    trackingGroup: directory(DIRECTORY.trackingGroup),
    trackingNumber: directory(DIRECTORY.trackingNumber),
    cloudRouteProfile: directory(DIRECTORY.cloudRouteProfile),
    ringcxAccount: directory(DIRECTORY.ringcxAccount),
    extension: directory(DIRECTORY.extension),
    ringcentralAccount: directory(DIRECTORY.ringcentralAccount),
    zendeskGroup: directory(DIRECTORY.zendeskGroup),
    zendeskIvr: directory(DIRECTORY.zendeskIvr),

    extensionNumberFeatures: new DataLoader(async (extensionIds) =>
      Promise.all(
        extensionIds.map(async (id) => {
          const numbers = await catalog.ringcentralExtensionNumbers(id);
          return new Map(numbers.map((n) => [n.id, n.features as string[]]));
        }),
      ),
    ),

    forwardingNumbers: new DataLoader(async (extensionIds) => Promise.all(extensionIds.map((id) => catalog.ringcentralForwardingNumbers(id)))),
  };
}

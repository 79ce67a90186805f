import type { CloudRouteProfileModel, TrackingGroupModel } from '../graph/models.js';
import type { ExtensionDirectory, QueueDirectory, TrackingDirectory } from '../graph/catalog.js';
import type { RcAccountInfo } from '../providers/ringcentral/index.js';
import type { DnisPool, DnisRecord, RcxAccount } from '../providers/ringcx/index.js';
import type { ZendeskGroup, ZendeskIvr } from '../providers/zendesk/index.js';

/**
 * The kinds of reference data the index keeps, and how each provider list
 * becomes directory entries. Entries keep the provider's order (`sortKey`
 * is the position), so lists read from the index come out as the provider
 * gave them.
 */
export const DIRECTORY = {
  ringcxAccount: 'ringcx.account',
  queue: 'ringcx.queue',
  cloudRouteProfile: 'ringcx.cloud-route-profile',
  trackingGroup: 'ringcx.tracking-group',
  trackingNumber: 'ringcx.tracking-number',
  ringcentralAccount: 'ringcentral.account',
  extension: 'ringcentral.extension',
  zendeskGroup: 'zendesk.group',
  zendeskIvr: 'zendesk.ivr',
} as const;

export type DirectoryKind = (typeof DIRECTORY)[keyof typeof DIRECTORY];
export type DirectoryEntries = Partial<Record<DirectoryKind, { key: string; sortKey: string; record: string }[]>>;

/** The key of the one RingCentral account record. */
export const ACCOUNT_KEY = 'account';

export function directoriesOf(lists: {
  accounts?: RcxAccount[];
  queues?: QueueDirectory;
  profiles?: Map<string, CloudRouteProfileModel>;
  tracking?: TrackingDirectory;
  account?: RcAccountInfo;
  extensions?: ExtensionDirectory;
  groups?: Map<string, ZendeskGroup>;
  ivrs?: Map<string, ZendeskIvr>;
}): DirectoryEntries {
  const out: DirectoryEntries = {};
  const put = <T>(kind: DirectoryKind, items: Iterable<T>, keyOf: (item: T) => string) => {
    out[kind] = [...items].map((item, i) => ({ key: keyOf(item), sortKey: String(i).padStart(9, '0'), record: JSON.stringify(item) }));
  };
  if (lists.accounts) put(DIRECTORY.ringcxAccount, lists.accounts, (a) => a.accountId);
  if (lists.queues) put(DIRECTORY.queue, lists.queues.queues, (q) => `${q.accountId}:${q.gateId}`);
  if (lists.profiles) put(DIRECTORY.cloudRouteProfile, lists.profiles.values(), (p) => p.cloudProfileId);
  if (lists.tracking) {
    put(DIRECTORY.trackingGroup, lists.tracking.groups, (g: TrackingGroupModel) => `${g.accountId}:${g.group.tracGroupId}`);
    put(DIRECTORY.trackingNumber, lists.tracking.numberByKey.values(), (t) => `${t.accountId}:${t.tracGroupId}:${t.tracId}`);
  }
  if (lists.account) put(DIRECTORY.ringcentralAccount, [lists.account], () => ACCOUNT_KEY);
  if (lists.extensions) put(DIRECTORY.extension, lists.extensions.extensions, (e) => e.id);
  if (lists.groups) put(DIRECTORY.zendeskGroup, lists.groups.values(), (g) => g.id);
  if (lists.ivrs) put(DIRECTORY.zendeskIvr, lists.ivrs.values(), (i) => i.id);
  return out;
}

/** A record from RingCX's pool search as the inventory's DNIS record (the account it is reserved for is its account). */
export function ringcxPoolRecord(record: DnisPool): DnisRecord {
  const { reservedAccountId, ...rest } = record;
  return { ...rest, ...(reservedAccountId && { accountId: reservedAccountId }) } as DnisRecord;
}

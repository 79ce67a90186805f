import type { SharedCache } from '../cache/shared-cache.js';
import { ProviderError, type ProviderClients, type ProviderName } from '../providers/index.js';
import type { RcAccountInfo, RcCompanyPhoneNumber, RcExtension, RcForwardingNumber, RcUserPhoneNumber } from '../providers/ringcentral/index.js';
import type { DnisRecord, RcxAccount } from '../providers/ringcx/index.js';
import type { RingyoPhoneNumber } from '../providers/ringyo/index.js';
import type { ZendeskGroup, ZendeskIvr, ZendeskPhoneNumber } from '../providers/zendesk/index.js';
import type { InventoryIndex } from '../store/inventory.js';
import { DIRECTORY, type DirectoryKind } from '../sync/directories.js';
import type { CloudRouteProfileModel, QueueModel, TrackingGroupModel, TrackingNumberModel } from './models.js';
import type { RingCentralNumber } from './inventory.js';
import type { Destination } from '../routing/model.js';
import { ids } from './ids.js';

/** RingCX queues, indexed by `accountId:gateId`. */
export interface QueueDirectory {
  queues: QueueModel[];
  byKey: Map<string, QueueModel>;
}

/** RingCX tracking groups and numbers, indexed by `accountId:tracGroupId` and `accountId:tracGroupId:tracId`. */
export interface TrackingDirectory {
  groups: TrackingGroupModel[];
  groupByKey: Map<string, TrackingGroupModel>;
  numberByKey: Map<string, TrackingNumberModel>;
}

/** The RingCentral extension directory. */
export interface ExtensionDirectory {
  extensions: RcExtension[];
  byId: Map<string, RcExtension>;
}

/** The shared-cache keys, grouped by what invalidates them. */
export const CACHE_KEYS = {
  ringcxInventory: 'ringcx:inventory',
  ringcxAccounts: 'ringcx:accounts',
  ringcxQueues: 'ringcx:queues',
  ringcxCloudProfiles: 'ringcx:cloud-profiles',
  ringcxTracking: 'ringcx:tracking',
  ringcentralAccount: 'ringcentral:account',
  ringcentralNumbers: 'ringcentral:numbers',
  ringcentralExtensions: 'ringcentral:extensions',
  ringcentralExtensionNumbers: 'ringcentral:extension-numbers:',
  ringcentralForwarding: 'ringcentral:forwarding:',
  zendeskNumbers: 'zendesk:numbers',
  zendeskGroups: 'zendesk:groups',
  zendeskIvrs: 'zendesk:ivrs',
  ringyoNumbers: 'ringyo:numbers',
} as const;

export interface CatalogOptions {
  /** RingCX sub-accounts to read (`RINGCX_ACCOUNT_IDS`); every visible one when absent. */
  ringcxAccountIds?: string[];
  /** The inventory index: names of destinations, and the Visual IVRs numbers route to. */
  index?: InventoryIndex;
}

/**
 * The providers' lists: reference data and number inventories, each loaded
 * with as few provider calls as the contracts allow (one `searchDnis` for
 * every RingCX DNIS of every account, one list per RingCentral view, Zendesk
 * and Ringyo pages of 100) and kept in the shared cache. The sync reads
 * them (fresh) into the inventory index, which answers queries; changes
 * check destinations against them.
 */
export class Catalog {
  constructor(
    readonly clients: ProviderClients,
    readonly cache: SharedCache,
    private readonly options: CatalogOptions = {},
  ) {}

  // --- RingCX ----------------------------------------------------------------------------------

  /** The sub-accounts Switchboard reads: the configured ones, with the names RingCX reports. */
  ringcxAccounts(): Promise<RcxAccount[]> {
    const ringcx = this.require('ringcx');
    return this.cache.get(CACHE_KEYS.ringcxAccounts, async () => {
      const visible = await ringcx.listAccounts();
      const wanted = this.options.ringcxAccountIds;
      if (!wanted) return visible;
      return wanted.map((id) => visible.find((a) => a.accountId === id) ?? { accountId: id });
    });
  }

  /** Every DNIS of every account, with its assignment, in one `searchDnis` call. */
  ringcxInventory(): Promise<DnisRecord[]> {
    const ringcx = this.require('ringcx');
    return this.cache.get(CACHE_KEYS.ringcxInventory, async () => {
      const accountIds = (await this.ringcxAccounts()).map((a) => a.accountId);
      return (await ringcx.searchDnis({ accountIds })).records;
    });
  }

  /** Every queue of every account (gate groups with their gates; one call per account). */
  ringcxQueues(): Promise<QueueDirectory> {
    const ringcx = this.require('ringcx');
    return this.cache.get(CACHE_KEYS.ringcxQueues, async () => {
      const accounts = await this.ringcxAccounts();
      const perAccount = await Promise.all(
        accounts.map(async ({ accountId }) => {
          const queues: QueueModel[] = [];
          for await (const group of ringcx.listGateGroupsWithGates(accountId)) {
            for (const gate of group.gates) {
              queues.push({
                kind: 'Queue',
                accountId,
                gateId: gate.gateId,
                gate,
                group: { id: group.gateGroupId, name: group.groupName ?? `Gate group ${group.gateGroupId}` },
              });
            }
          }
          return queues;
        }),
      );
      const queues = perAccount.flat();
      return { queues, byKey: new Map(queues.map((q) => [`${q.accountId}:${q.gateId}`, q])) };
    });
  }

  /** Every cloud route profile of every account, by profile id. */
  ringcxCloudProfiles(): Promise<Map<string, CloudRouteProfileModel>> {
    const ringcx = this.require('ringcx');
    return this.cache.get(CACHE_KEYS.ringcxCloudProfiles, async () => {
      const accounts = await this.ringcxAccounts();
      const groups = await Promise.all(accounts.map(({ accountId }) => ringcx.listCloudRouteGroups(accountId).then((g) => ({ accountId, groups: g }))));
      const profiles = new Map<string, CloudRouteProfileModel>();
      for (const { accountId, groups: list } of groups) {
        for (const group of list) {
          for (const profile of group.cloudRouteProfiles) {
            profiles.set(profile.cloudProfileId, {
              kind: 'CloudRouteProfile',
              cloudProfileId: profile.cloudProfileId,
              accountId,
              skinny: profile,
              ...(group.groupName !== undefined && { groupName: group.groupName }),
            });
          }
        }
      }
      return profiles;
    });
  }

  /** Every tracking group with its numbers (one call per account). */
  ringcxTracking(): Promise<TrackingDirectory> {
    const ringcx = this.require('ringcx');
    return this.cache.get(CACHE_KEYS.ringcxTracking, async () => {
      const accounts = await this.ringcxAccounts();
      const perAccount = await Promise.all(
        accounts.map(async ({ accountId }) => (await ringcx.listTracGroups(accountId)).map((group) => ({ accountId, group }))),
      );
      const groups = perAccount.flat();
      const numberByKey = new Map<string, TrackingNumberModel>();
      for (const { accountId, group } of groups) {
        for (const number of group.tracNumbers) {
          numberByKey.set(`${accountId}:${group.tracGroupId}:${number.tracId}`, {
            kind: 'TrackingNumber',
            accountId,
            tracGroupId: group.tracGroupId,
            tracId: number.tracId,
            number,
            ...(number.description !== undefined && { description: number.description }),
          });
        }
      }
      return { groups, groupByKey: new Map(groups.map((g) => [`${g.accountId}:${g.group.tracGroupId}`, g])), numberByKey };
    });
  }

  // --- RingCentral -----------------------------------------------------------------------------

  ringcentralAccount(): Promise<RcAccountInfo> {
    const ringcentral = this.require('ringcentral');
    return this.cache.get(CACHE_KEYS.ringcentralAccount, () => ringcentral.getAccount());
  }

  /**
   * Every RingCentral number. The v2 list is the complete set (it alone shows
   * unassigned inventory); the v1 list adds what v2 lacks (payment type,
   * location). Both are Heavy calls (10 a minute), which is why they are
   * only ever made here, once per cache lifetime.
   */
  ringcentralNumbers(): Promise<RingCentralNumber[]> {
    const ringcentral = this.require('ringcentral');
    return this.cache.get(CACHE_KEYS.ringcentralNumbers, async () => {
      const [v2, v1] = await Promise.all([collect(ringcentral.listPhoneNumbersV2()), collect(ringcentral.listAccountPhoneNumbers())]);
      const v1ById = new Map<string, RcCompanyPhoneNumber>(v1.map((n) => [n.id, n]));
      return v2.map((record) => {
        const legacy = v1ById.get(record.id);
        return { record, ...(legacy && { v1: legacy }) };
      });
    });
  }

  /** The extension directory (one Medium call at 1,000 a page). */
  ringcentralExtensions(): Promise<ExtensionDirectory> {
    const ringcentral = this.require('ringcentral');
    return this.cache.get(CACHE_KEYS.ringcentralExtensions, async () => {
      const extensions = await collect(ringcentral.listExtensions({ perPage: 1000 }));
      return { extensions, byId: new Map(extensions.map((e) => [e.id, e])) };
    });
  }

  /**
   * The directory, re-read first if it lacks one of `ids` and is older than
   * `staleAfterMs`: an extension created since the last read is found, while
   * ids that do not exist (stale references from another subgraph) cost at
   * most one Medium call per interval, never one call each.
   */
  async ringcentralExtensionsCovering(ids: readonly string[], staleAfterMs = 30_000): Promise<ExtensionDirectory> {
    const directory = await this.ringcentralExtensions();
    const missing = ids.some((id) => !directory.byId.has(id));
    if (!missing || (this.cache.age(CACHE_KEYS.ringcentralExtensions) ?? 0) < staleAfterMs) return directory;
    this.cache.invalidate(CACHE_KEYS.ringcentralExtensions);
    return this.ringcentralExtensions();
  }

  /** An extension's own view of its numbers: the only source of number `features`. */
  ringcentralExtensionNumbers(extensionId: string): Promise<RcUserPhoneNumber[]> {
    const ringcentral = this.require('ringcentral');
    return this.cache.get(`${CACHE_KEYS.ringcentralExtensionNumbers}${extensionId}`, () =>
      collect(ringcentral.listExtensionPhoneNumbers(extensionId)),
    );
  }

  /** An extension's forwarding numbers. */
  ringcentralForwardingNumbers(extensionId: string): Promise<RcForwardingNumber[]> {
    const ringcentral = this.require('ringcentral');
    return this.cache.get(`${CACHE_KEYS.ringcentralForwarding}${extensionId}`, () => collect(ringcentral.listForwardingNumbers(extensionId)));
  }

  // --- Zendesk and Ringyo ----------------------------------------------------------------------

  zendeskNumbers(): Promise<ZendeskPhoneNumber[]> {
    const zendesk = this.require('zendesk');
    return this.cache.get(CACHE_KEYS.zendeskNumbers, () => collect(zendesk.listPhoneNumbers()));
  }

  zendeskGroups(): Promise<Map<string, ZendeskGroup>> {
    const zendesk = this.require('zendesk');
    return this.cache.get(CACHE_KEYS.zendeskGroups, async () => new Map((await collect(zendesk.listGroups())).map((g) => [g.id, g])));
  }

  zendeskIvrs(): Promise<Map<string, ZendeskIvr>> {
    const zendesk = this.require('zendesk');
    return this.cache.get(CACHE_KEYS.zendeskIvrs, async () => new Map((await zendesk.listIvrs()).map((i) => [i.id, i])));
  }

  ringyoNumbers(): Promise<RingyoPhoneNumber[]> {
    const ringyo = this.require('ringyo');
    return this.cache.get(CACHE_KEYS.ringyoNumbers, () => collect(ringyo.listPhoneNumbers()));
  }

  /**
   * Drops what our own change to `provider`'s numbers or routing made stale,
   * so the next query shows the new state: its number inventory, and the
   * data that embeds routing (RingCX's tracking directory, RingCentral's
   * per-extension number lists). Reference lists a routing change cannot
   * alter (accounts, queues, cloud routes, the extension directory, Zendesk
   * groups) stay cached, so the next query does not fetch them again.
   */
  invalidateNumbers(provider: ProviderName): void {
    const stale: Record<ProviderName, string[]> = {
      ringcx: [CACHE_KEYS.ringcxInventory, CACHE_KEYS.ringcxTracking],
      ringcentral: [CACHE_KEYS.ringcentralNumbers, CACHE_KEYS.ringcentralExtensionNumbers],
      zendesk: [CACHE_KEYS.zendeskNumbers],
      ringyo: [CACHE_KEYS.ringyoNumbers],
    };
    for (const prefix of stale[provider]) this.cache.invalidate(prefix);
  }

  /** Drops `provider`'s number list from the cache (the sync has written it to the index). */
  forgetNumbers(provider: ProviderName): void {
    const lists: Record<ProviderName, string> = {
      ringcx: CACHE_KEYS.ringcxInventory,
      ringcentral: CACHE_KEYS.ringcentralNumbers,
      zendesk: CACHE_KEYS.zendeskNumbers,
      ringyo: CACHE_KEYS.ringyoNumbers,
    };
    this.cache.invalidate(lists[provider]);
  }

  /** A destination's name from the index's reference data, or null when unknown or unreadable (it is only for messages). */
  async destinationName(d: Destination): Promise<string | null> {
    const index = this.options.index;
    if (!index) return null;
    const read = async <T>(kind: DirectoryKind, key: string, name: (record: T) => string | null | undefined) => {
      const record = (await index.directory(kind, [key])).get(key);
      return record === undefined ? null : (name(JSON.parse(record) as T) ?? null);
    };
    try {
      switch (d.type) {
        case 'Queue':
          return await read<QueueModel>(DIRECTORY.queue, `${d.accountId}:${d.gateId}`, (q) => q.gate?.gateName);
        case 'CloudRouteProfile':
          return await read<CloudRouteProfileModel>(DIRECTORY.cloudRouteProfile, d.cloudProfileId, (p) => p.skinny?.profileName);
        case 'TrackingNumber':
          return await read<TrackingNumberModel>(DIRECTORY.trackingNumber, `${d.accountId}:${d.tracGroupId}:${d.tracId}`, (t) => t.description);
        case 'Extension':
          return await read<RcExtension>(DIRECTORY.extension, d.extensionId, (e) => e.name);
        case 'ZendeskGroup':
          return await read<ZendeskGroup>(DIRECTORY.zendeskGroup, d.groupId, (g) => g.name);
        case 'ZendeskIvr':
          return await read<ZendeskIvr>(DIRECTORY.zendeskIvr, d.ivrId, (i) => i.name);
        case 'VisualIvr':
        case 'VoiceAgent':
          return null;
      }
    } catch {
      return null;
    }
  }

  /**
   * Whether a destination exists at its provider, checked before a change
   * removes anything. Queues, cloud route profiles, tracking groups and
   * numbers, extensions and Zendesk groups come from their providers' lists;
   * a list that lacks the id is read again once if older than
   * `staleAfterMs`, so a destination created since is found while made-up
   * ids cost at most one re-read per interval. Visual IVRs cannot be listed
   * through the contracts: one exists if some number routes to it. A
   * provider that cannot be read throws its ProviderError: unknown is not
   * "does not exist".
   */
  async destinationExists(d: Destination, staleAfterMs = 30_000): Promise<boolean> {
    const listed = async <T>(key: string, load: () => Promise<T>, has: (list: T) => boolean): Promise<boolean> => {
      if (has(await load())) return true;
      if ((this.cache.age(key) ?? 0) < staleAfterMs) return false;
      this.cache.invalidate(key);
      return has(await load());
    };
    try {
      switch (d.type) {
        case 'Queue':
          return await listed(CACHE_KEYS.ringcxQueues, () => this.ringcxQueues(), (q) => q.byKey.has(`${d.accountId}:${d.gateId}`));
        case 'CloudRouteProfile':
          return await listed(CACHE_KEYS.ringcxCloudProfiles, () => this.ringcxCloudProfiles(), (p) => p.has(d.cloudProfileId));
        case 'TrackingNumber':
          return await listed(
            CACHE_KEYS.ringcxTracking,
            () => this.ringcxTracking(),
            (t) => (d.tracId === '' ? t.groupByKey.has(`${d.accountId}:${d.tracGroupId}`) : t.numberByKey.has(`${d.accountId}:${d.tracGroupId}:${d.tracId}`)),
          );
        case 'Extension':
          return (await this.ringcentralExtensionsCovering([d.extensionId], staleAfterMs)).byId.has(d.extensionId);
        case 'ZendeskGroup':
          return await listed(CACHE_KEYS.zendeskGroups, () => this.zendeskGroups(), (g) => {
            const group = g.get(d.groupId);
            return group !== undefined && !group.deleted;
          });
        case 'ZendeskIvr':
          return await listed(CACHE_KEYS.zendeskIvrs, () => this.zendeskIvrs(), (i) => i.has(d.ivrId));
        case 'VisualIvr': {
          // No endpoint lists them: one exists if the index holds a number routed to it.
          if (!this.options.index) return false;
          return (await this.options.index.routesTo(ids.visualIvr(d.visualIvrId))) !== undefined;
        }
        case 'VoiceAgent':
          return true;
      }
    } catch (error) {
      throw asProviderError(d.provider, error);
    }
  }

  /** The client for `provider`, or a typed error when the provider is switched off. */
  require<P extends ProviderName>(provider: P): NonNullable<ProviderClients[P]> {
    const client = this.clients[provider];
    if (!client) {
      throw new ProviderError({ provider, code: 'UNAVAILABLE', message: `${provider} is not enabled on this server`, retryable: false });
    }
    return client as NonNullable<ProviderClients[P]>;
  }
}

/** Errors that are not a provider's own (a parsing bug, say) still name the provider. */
export function asProviderError(provider: ProviderName, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  return new ProviderError({
    provider,
    code: 'INVALID_RESPONSE',
    message: `${provider} data could not be read: ${error instanceof Error ? error.message : String(error)}`,
    retryable: false,
    cause: error,
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

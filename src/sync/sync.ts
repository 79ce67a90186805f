import type { Catalog } from '../graph/catalog.js';
import { numberRow, sourceModel, sourceRow, sourcesOf, type RingCentralNumber } from '../graph/inventory.js';
import type { NumberSourceModel } from '../graph/models.js';
import { withPacer } from '../providers/core/pacing.js';
import { ProviderError, type ProviderName } from '../providers/index.js';
import type { NumberLocation } from '../routing/adapters.js';
import type { Store } from '../store/index.js';
import type { SyncState } from '../store/inventory.js';
import { SyncBudget, type RateLimit } from './budget.js';
import { directoriesOf, ringcxPoolRecord, type DirectoryEntries } from './directories.js';
import { externalChanges } from './external.js';

export interface SyncOptions {
  /** This replica's name: who holds the sync lease. */
  owner: string;
  /** Time between full passes of one provider. */
  intervalMs: number;
  /** How old a provider's last successful pass may be before answers carry a staleness warning. */
  staleAfterMs: number;
  /** How long the sync lease lasts without renewal; another replica takes over after it. */
  leaseMs: number;
  /** How long a read waits for a provider's first pass on an empty index. */
  firstSyncWaitMs: number;
  limits: Record<ProviderName, Record<string, RateLimit>>;
  /** The sync's share of each rate-limit group (0.5: half). */
  share: number;
  /**
   * Provider passes run at once (default 2): a pass holds its provider's
   * whole list in memory (48,000 RingCX records at sandbox scale ×20), so
   * a few at a time bound the peak.
   */
  concurrency: number;
  /** Where state changes are reported (a pass failed, leadership moved). */
  log?: (message: string) => void;
}

const LEASE = 'inventory-sync';
/** Records written, and numbers recomputed, per step of a pass. */
const CHUNK = 400;
/** Pass order: RingCentral last, since its Heavy limit makes its pass the longest (minutes at scale ×20). */
const PROVIDERS: ProviderName[] = ['ringcx', 'zendesk', 'ringyo', 'ringcentral'];

/**
 * Keeps the inventory index fresh within each provider's budget.
 *
 * One replica syncs at a time: it holds the `inventory-sync` lease in the
 * store and renews it; when it dies, the lease runs out and another
 * replica's next tick takes it over, so N replicas cost the providers what
 * one costs. The leader runs a full pass of each provider on start and then
 * every `intervalMs` (sooner after a failure, with backoff), each call paced
 * to the sync's share of its rate-limit group. A pass writes only what
 * changed, records routing changed outside Switchboard as history, and
 * leaves alone rows our own changes wrote after the pass began reading.
 *
 * Every replica serves reads from the index, and writes its own changes
 * through to it (`refresh`), whether or not it leads.
 */
export class InventorySync {
  readonly budget: SyncBudget;
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private ticked = false;
  private stopped = false;
  private readonly running = new Map<ProviderName, Promise<void>>();
  private readonly failuresInARow = new Map<ProviderName, number>();
  private statesCache: { at: number; states: Promise<SyncState[]> } | undefined;

  readonly options: SyncOptions;

  constructor(
    private readonly catalog: Catalog,
    private readonly store: Store,
    options: Omit<SyncOptions, 'concurrency'> & { concurrency?: number },
  ) {
    this.options = { ...options, concurrency: options.concurrency ?? 2 };
    this.budget = new SyncBudget(this.options.limits, this.options.share);
  }

  /** The providers this server talks to. */
  get providers(): ProviderName[] {
    return PROVIDERS.filter((p) => this.catalog.clients[p]);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Starts leading (or waiting to lead): a tick now, then every third of the lease. */
  start(): void {
    const every = Math.max(200, Math.min(5_000, Math.floor(this.options.leaseMs / 3)));
    void this.tick();
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.budget.stop();
    await Promise.allSettled(this.running.values());
    if (this.leading) await this.store.inventory.releaseLease(LEASE, this.options.owner).catch(() => undefined);
    this.leading = false;
  }

  /** Renews or takes the lease, and starts each provider's pass that is due. */
  async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const now = Date.now();
      const lead = await this.store.inventory.lease(LEASE, this.options.owner, new Date(now).toISOString(), new Date(now + this.options.leaseMs).toISOString());
      // Taking the lease at start is routine; taking it over later (the syncing replica died) or losing it is news.
      if (lead !== this.leading && (this.ticked || !lead)) {
        this.options.log?.(lead ? `sync: ${this.options.owner} took the inventory sync over` : `sync: ${this.options.owner} no longer holds the sync lease; another replica syncs`);
      }
      this.ticked = true;
      this.leading = lead;
      if (!lead) return;
      const claim = new Date(now + 2 * this.options.leaseMs).toISOString();
      for (const provider of this.running.keys()) await this.store.inventory.putSyncState(provider, { next_run_at: claim });
      const states = new Map((await this.store.inventory.syncStates()).map((s) => [s.provider, s]));
      for (const provider of this.providers) {
        const next = states.get(provider)?.nextRunAt;
        if (this.running.size >= this.options.concurrency) break;
        if (!this.running.has(provider) && (!next || Date.parse(next) <= now)) void this.run(provider);
      }
    } catch (error) {
      this.options.log?.(`sync: tick failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Runs a full pass of `providers` now and waits for them (a pass already
   * running is waited for, not doubled). Takes the lease first: a replica
   * that does not hold it leaves the sync to the one that does.
   */
  async syncNow(providers: ProviderName[] = this.providers): Promise<boolean> {
    const now = Date.now();
    this.leading = await this.store.inventory.lease(LEASE, this.options.owner, new Date(now).toISOString(), new Date(now + this.options.leaseMs).toISOString());
    if (!this.leading) return false;
    // At most `concurrency` passes at once: each holds its provider's whole list while it runs.
    const queue = [...providers];
    const worker = async () => {
      for (let p = queue.shift(); p; p = queue.shift()) await (this.running.get(p) ?? this.run(p));
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency) }, worker));
    return true;
  }

  /** Waits for the passes running now to end. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Asks for `provider`'s next pass now (after an upload, say): the leader,
   * whichever replica it is, runs it on its next tick.
   */
  async requestPass(provider: ProviderName): Promise<void> {
    await this.store.inventory.putSyncState(provider, { next_run_at: new Date().toISOString() });
    if (this.leading && this.timer) void this.tick();
  }

  // --- reading the sync's state ----------------------------------------------------------------

  /** Every provider's sync state, read at most once a second per replica. */
  states(): Promise<SyncState[]> {
    const now = Date.now();
    if (!this.statesCache || now - this.statesCache.at > 1_000) {
      const states = this.store.inventory.syncStates();
      states.catch(() => undefined);
      this.statesCache = { at: now, states };
    }
    return this.statesCache.states;
  }

  /**
   * The state of each enabled provider for a read: when the index holds no
   * successful pass of a provider yet, waits (up to `firstSyncWaitMs`) for
   * the first one, the only time a read waits on providers.
   */
  async readyStates(): Promise<{ states: Map<ProviderName, SyncState | undefined>; waited: { providers: ProviderName[]; ms: number } | null }> {
    const started = Date.now();
    const deadline = started + this.options.firstSyncWaitMs;
    let waitedFor: ProviderName[] = [];
    for (;;) {
      const states = new Map((await this.states()).map((s) => [s.provider as ProviderName, s]));
      const waiting = this.providers.filter((p) => !states.get(p)?.successAt && !states.get(p)?.error);
      if (waiting.length === 0 || Date.now() >= deadline) {
        return { states: new Map(this.providers.map((p) => [p, states.get(p)])), waited: waitedFor.length > 0 ? { providers: waitedFor, ms: Date.now() - started } : null };
      }
      if (waitedFor.length === 0) waitedFor = waiting;
      const local = waiting.map((p) => this.running.get(p)).filter((p): p is Promise<void> => p !== undefined);
      // Our own first pass is awaited; another replica's is polled for in the store.
      await Promise.race([
        local.length > 0 ? Promise.all(local) : new Promise((resolve) => setTimeout(resolve, 200)),
        new Promise((resolve) => setTimeout(resolve, Math.max(1, deadline - Date.now()))),
      ]);
      this.statesCache = undefined;
    }
  }

  // --- our own changes, written through --------------------------------------------------------

  /**
   * Reads `location`'s record at `provider` fresh and writes it to the
   * index, after our own change: the next read shows the verified state,
   * and the next pass sees no change made elsewhere. A failure only leaves
   * the index as it was until the next pass; it never fails the change.
   */
  async refresh(provider: ProviderName, location: NumberLocation): Promise<void> {
    try {
      const readAt = new Date().toISOString();
      const fresh = await this.freshSource(provider, location);
      if (!fresh) return;
      await this.store.inventory.putSources([sourceRow(fresh)], readAt);
      await this.reindex([location.e164]);
    } catch (error) {
      this.options.log?.(`sync: ${provider} record of ${location.e164} could not be read back after a change (${error instanceof Error ? error.message : String(error)}); the next pass will`);
    }
  }

  /** Re-reads RingCX's tracking directory after a tracking mutation. */
  async refreshTracking(): Promise<void> {
    try {
      const readAt = new Date().toISOString();
      this.catalog.cache.invalidate('ringcx:tracking');
      const tracking = await this.catalog.ringcxTracking();
      const entries = directoriesOf({ tracking });
      for (const [kind, list] of Object.entries(entries)) await this.store.inventory.putDirectory(kind, list, readAt);
    } catch (error) {
      this.options.log?.(`sync: RingCX tracking groups could not be read back after a change (${error instanceof Error ? error.message : String(error)}); the next pass will`);
    }
  }

  private async freshSource(provider: ProviderName, location: NumberLocation): Promise<NumberSourceModel | null> {
    const [stored] = (await this.store.inventory.sourcesOf([location.e164])).get(location.e164)?.filter((s) => s.provider === provider) ?? [];
    switch (provider) {
      case 'ringcx': {
        const page = await this.catalog.require('ringcx').searchDnisPoolPage({ dnis: [location.e164.slice(1)] }, { page: 0, maxRows: 1 });
        const record = page.records[0];
        return record ? (sourcesOf('ringcx', [ringcxPoolRecord(record)]).sources[0] ?? null) : null;
      }
      case 'ringcentral': {
        if (!location.ringcentralId || !stored) return null;
        const [lookup] = await this.catalog.require('ringcentral').getPhoneNumbers([location.ringcentralId]);
        if (lookup?.status !== 'found') return null;
        const v1 = lookup.phoneNumber;
        const before = sourceModel(stored, undefined);
        if (before.provider !== 'ringcentral') return null;
        // v1 answers with one Light call where v2 costs a Heavy one; it carries every field routing reads.
        const record = {
          ...before.record,
          usageType: v1.usageType as never,
          status: v1.status ?? before.record.status,
          type: v1.type ?? before.record.type,
          label: v1.label ?? null,
          extension: v1.extension ? { ...before.record.extension, ...v1.extension } : undefined,
        };
        if (!record.extension) delete record.extension;
        return sourcesOf('ringcentral', [{ record, v1 } as RingCentralNumber]).sources[0] ?? null;
      }
      case 'zendesk': {
        if (!location.zendeskId) return null;
        return sourcesOf('zendesk', [await this.catalog.require('zendesk').getPhoneNumber(location.zendeskId)]).sources[0] ?? null;
      }
      case 'ringyo':
        return null;
    }
  }

  // --- a pass ----------------------------------------------------------------------------------

  private run(provider: ProviderName): Promise<void> {
    const pass = this.pass(provider).finally(() => this.running.delete(provider));
    this.running.set(provider, pass);
    return pass;
  }

  private async pass(provider: ProviderName): Promise<void> {
    const index = this.store.inventory;
    const started = Date.now();
    const readAt = new Date(started).toISOString();
    const callsBefore = this.budget.calls.get(provider) ?? 0;
    this.statesCache = undefined;
    // Claimed until two leases from now (renewed by each tick while it runs): a replica taking the lease over meanwhile does not start it again.
    await index.putSyncState(provider, { started_at: readAt, replica: this.options.owner, next_run_at: new Date(started + 2 * this.options.leaseMs).toISOString() });
    try {
      // Every call checks the lease first: a replica that lost it (another took over) stops its passes.
      const pacer = {
        take: async (p: ProviderName, group: string) => {
          if (!this.leading) throw new LeaseLostError();
          await this.budget.take(p, group);
        },
      };
      const known = await index.known(provider);
      const inFlight = new Set((await this.store.journal.open()).map((i) => i.phoneNumber));
      // Batch by batch (RingCX's pool an account at a time), and chunk by chunk within a batch, so a
      // pass holds one batch of records and one chunk of serialised rows at a time, not 48,000 of them.
      const seen = new Set<string>();
      const touched = new Set<string>();
      let records = 0;
      const directories = await withPacer(pacer, async () => {
        const { batches, directories } = await this.read(provider);
        for await (const batch of batches) {
          const { sources } = sourcesOf(provider, batch);
          records += sources.length;
          for (let i = 0; i < sources.length; i += CHUNK) {
            const rows = sources.slice(i, i + CHUNK).map(sourceRow);
            const changed = rows.filter((r) => known.get(r.provider_id)?.hash !== r.hash);
            for (const row of rows) seen.add(row.provider_id);
            for (const row of changed) touched.add(row.e164).add(known.get(row.provider_id)?.e164 ?? row.e164);
            await this.store.audit.writeMany(externalChanges(provider, changed, known, [], readAt, inFlight));
            await index.putSources(changed, readAt);
          }
        }
        return directories;
      });
      const removed = [...known.values()].filter((k) => !seen.has(k.providerId));
      for (let i = 0; i < removed.length; i += CHUNK) {
        await this.store.audit.writeMany(externalChanges(provider, [], known, removed.slice(i, i + CHUNK), readAt, inFlight));
      }
      await index.dropSources(provider, removed.map((k) => k.providerId), readAt);
      for (const gone of removed) touched.add(gone.e164);
      const numbers = [...touched];
      for (let i = 0; i < numbers.length; i += CHUNK) await this.reindex(numbers.slice(i, i + CHUNK));
      for (const [kind, list] of Object.entries(directories)) await index.putDirectory(kind, list, readAt);

      const finished = Date.now();
      await index.putSyncState(provider, {
        success_at: readAt,
        duration_ms: finished - started,
        records,
        calls: (this.budget.calls.get(provider) ?? 0) - callsBefore,
        error: null,
        error_at: null,
        next_run_at: new Date(finished + this.options.intervalMs).toISOString(),
      });
      if ((this.failuresInARow.get(provider) ?? 0) > 0) this.options.log?.(`sync: ${provider} synced again after ${this.failuresInARow.get(provider)} failed passes`);
      this.failuresInARow.set(provider, 0);
    } catch (error) {
      // The replica that took the lease over runs the pass, or this one is stopping: the state is not ours to write.
      if (error instanceof LeaseLostError || !this.leading || this.stopped) return;
      const failures = (this.failuresInARow.get(provider) ?? 0) + 1;
      this.failuresInARow.set(provider, failures);
      const retryAfterMs = error instanceof ProviderError ? (error.retryAfterMs ?? 0) : 0;
      // Backoff: 5 s, 10 s, 20 s … never sooner than the provider asked, never later than the interval.
      const backoff = Math.min(this.options.intervalMs, Math.max(retryAfterMs, 5_000 * 2 ** Math.min(failures - 1, 10)));
      const stored = storedError(provider, error);
      this.options.log?.(`sync: ${provider} pass failed (${stored.message}); next try in ${Math.round(backoff / 1000)} s`);
      await index
        .putSyncState(provider, {
          duration_ms: Date.now() - started,
          calls: (this.budget.calls.get(provider) ?? 0) - callsBefore,
          error: JSON.stringify(stored),
          error_at: new Date().toISOString(),
          next_run_at: new Date(Date.now() + backoff).toISOString(),
        })
        .catch(() => undefined);
    } finally {
      this.statesCache = undefined;
      // The index holds the numbers now; the raw lists would only hold memory (48,000 records at ×20).
      this.catalog.forgetNumbers(provider);
    }
  }

  /**
   * A provider's numbers, in batches, and its reference data, read fresh
   * (the shared cache is dropped first). RingCX's pool comes an account at
   * a time: one `searchDnis` for the whole pool is one answer of every DNIS
   * (40,000 at sandbox scale ×20), too much to hold, and to wait for.
   */
  private async read(provider: ProviderName): Promise<{ batches: AsyncIterable<Parameters<typeof sourcesOf>[1]>; directories: DirectoryEntries }> {
    const catalog = this.catalog;
    catalog.cache.invalidate(`${provider}:`);
    const one = async function* <T>(list: T) {
      yield list;
    };
    switch (provider) {
      case 'ringcx': {
        const ringcx = catalog.require('ringcx');
        const accounts = await catalog.ringcxAccounts();
        const [queues, profiles, tracking] = await Promise.all([catalog.ringcxQueues(), catalog.ringcxCloudProfiles(), catalog.ringcxTracking()]);
        const batches = async function* () {
          for (const { accountId } of accounts) yield (await ringcx.searchDnis({ accountIds: [accountId] })).records;
        };
        return { batches: batches(), directories: directoriesOf({ accounts, queues, profiles, tracking }) };
      }
      case 'ringcentral': {
        const [account, records, extensions] = await Promise.all([catalog.ringcentralAccount(), catalog.ringcentralNumbers(), catalog.ringcentralExtensions()]);
        return { batches: one(records), directories: directoriesOf({ account, extensions }) };
      }
      case 'zendesk': {
        const [records, groups, ivrs] = await Promise.all([catalog.zendeskNumbers(), catalog.zendeskGroups(), catalog.zendeskIvrs()]);
        return { batches: one(records), directories: directoriesOf({ groups, ivrs }) };
      }
      case 'ringyo':
        return { batches: one(await catalog.ringyoNumbers()), directories: {} };
    }
  }

  /** Recomputes the number rows of `e164s` from their stored sources. */
  private async reindex(e164s: readonly string[]): Promise<void> {
    const unique = [...new Set(e164s)];
    const sources = await this.store.inventory.sourcesOf(unique);
    const rows = [];
    const gone = [];
    for (const e164 of unique) {
      const list = sources.get(e164);
      const row = list && numberRow(e164, list.map((s) => sourceModel(s, undefined)));
      if (row) rows.push(row);
      else gone.push(e164);
    }
    await this.store.inventory.putNumbers(rows, gone);
  }
}

/** Thrown into a pass when its replica no longer holds the sync lease. */
class LeaseLostError extends Error {
  constructor() {
    super('this replica no longer holds the sync lease');
    this.name = 'LeaseLostError';
  }
}

/** What a failed pass leaves in the sync state: enough to answer a read with the provider's failure. */
export interface StoredSyncError {
  provider: ProviderName;
  code: string;
  message: string;
  status?: number;
  providerCode?: string;
  retryAfterMs?: number;
}

function storedError(provider: ProviderName, error: unknown): StoredSyncError {
  if (error instanceof ProviderError) {
    return {
      provider,
      code: error.code,
      message: error.message,
      ...(error.status !== undefined && { status: error.status }),
      ...(error.providerCode !== undefined && { providerCode: error.providerCode }),
      ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
    };
  }
  return { provider, code: 'INVALID_RESPONSE', message: `${provider} data could not be read: ${error instanceof Error ? error.message : String(error)}` };
}

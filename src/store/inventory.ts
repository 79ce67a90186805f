import { sql, type ExpressionBuilder } from 'kysely';
import type { Db, InventoryNumbersTable, InventorySourcesTable, SyncStateTable, Tables } from './database.js';

/**
 * The inventory index: every number every provider holds, each provider's
 * record of it, where it routes, and the reference data (queues,
 * extensions, groups) that names destinations. The sync (src/sync) writes
 * it; every read of the graph is answered from it, so a query costs what
 * its page costs, never a provider call.
 *
 * Filters are columns with indexes: provider, destination and holding
 * extension on sources; country, toll-free and "routes somewhere" on
 * numbers. Numbers are read in E.164 order, the key their cursors carry.
 */

/** A source as written: the record serialised, and what filters need of it. */
export type SourceRow = Omit<InventorySourcesTable, 'synced_at'>;
export type NumberRow = InventoryNumbersTable;
export type StoredSource = InventorySourcesTable;

/** What a source looked like before a sync pass, for spotting changes made elsewhere. */
export interface KnownSource {
  providerId: string;
  e164: string;
  hash: string;
  routing: string | null;
  syncedAt: string;
}

/** The filters `phoneNumbers` offers, as the index evaluates them. */
export interface NumberQuery {
  providers?: string[];
  /** Has (true) or lacks (false) an active assignment somewhere. */
  routed?: boolean;
  destination?: string;
  country?: string;
  tollFree?: boolean;
  /** Digits the E.164 contains. */
  digits?: string;
  /** Lower-cased text one of the number's labels contains. */
  text?: string;
  /** Numbers a RingCentral extension holds. */
  owner?: string;
}

export interface SyncState {
  provider: string;
  startedAt: string | null;
  successAt: string | null;
  durationMs: number | null;
  records: number | null;
  calls: number | null;
  error: string | null;
  errorAt: string | null;
  nextRunAt: string | null;
  replica: string | null;
}

/** Rows per statement: well under both engines' parameter limits (10 columns × 400). */
const BATCH = 400;

export class InventoryIndex {
  constructor(private readonly db: Db) {}

  // --- reads -----------------------------------------------------------------------------------

  /** Up to `limit` numbers passing `query`, after `afterE164`, in E.164 order. */
  async page(query: NumberQuery, afterE164: string | null, limit: number): Promise<NumberRow[]> {
    let select = this.db.selectFrom('inventory_numbers').selectAll().where((eb) => this.matches(eb, query));
    if (afterE164 !== null) select = select.where('e164', '>', afterE164);
    return select.orderBy('e164').limit(limit).execute();
  }

  /** How many numbers pass `query`. */
  async count(query: NumberQuery): Promise<number> {
    const row = await this.db
      .selectFrom('inventory_numbers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => this.matches(eb, query))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The numbers among `e164s` the index holds, with their sources. */
  async numbers(e164s: readonly string[]): Promise<Map<string, { row: NumberRow; sources: StoredSource[] }>> {
    const found = new Map<string, { row: NumberRow; sources: StoredSource[] }>();
    for (const chunk of chunks([...new Set(e164s)], BATCH)) {
      const [rows, sources] = await Promise.all([
        this.db.selectFrom('inventory_numbers').selectAll().where('e164', 'in', chunk).execute(),
        this.db.selectFrom('inventory_sources').selectAll().where('e164', 'in', chunk).orderBy('e164').execute(),
      ]);
      for (const row of rows) found.set(row.e164, { row, sources: [] });
      for (const source of sources) found.get(source.e164)?.sources.push(source);
    }
    return found;
  }

  /** Whether some number routes to the destination with global ID `destination`. */
  async routesTo(destination: string): Promise<StoredSource | undefined> {
    return this.db.selectFrom('inventory_sources').selectAll().where('destination', '=', destination).limit(1).executeTakeFirst();
  }

  /** Directory records of `kind` by key. */
  async directory(kind: string, keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const chunk of chunks([...new Set(keys)], BATCH)) {
      const rows = await this.db.selectFrom('inventory_directory').select(['key', 'record']).where('kind', '=', kind).where('key', 'in', chunk).execute();
      for (const row of rows) found.set(row.key, row.record);
    }
    return found;
  }

  /** Every directory record of `kind`, in its sort order (reference lists are small: queues, groups, extensions). */
  async directoryList(kind: string): Promise<string[]> {
    const rows = await this.db.selectFrom('inventory_directory').select('record').where('kind', '=', kind).orderBy('sort_key').execute();
    return rows.map((r) => r.record);
  }

  /** Changes with every write to the index, on any replica: what cached answers are checked against. */
  async version(): Promise<number> {
    const row = await this.db.selectFrom('inventory_version').select('version').where('id', '=', 1).executeTakeFirst();
    return row?.version ?? 0;
  }

  async syncStates(): Promise<SyncState[]> {
    const rows = await this.db.selectFrom('sync_state').selectAll().orderBy('provider').execute();
    return rows.map(stateOf);
  }

  // --- writes (the sync, and our own changes) --------------------------------------------------

  /** Marks the index changed (every write method ends with it). */
  private async bump(): Promise<void> {
    await this.db
      .updateTable('inventory_version')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', 1)
      .execute();
  }

  /** What the index holds of `provider`, for a pass to compare against. */
  async known(provider: string): Promise<Map<string, KnownSource>> {
    const rows = await this.db
      .selectFrom('inventory_sources')
      .select(['provider_id', 'e164', 'hash', 'routing', 'synced_at'])
      .where('provider', '=', provider)
      .execute();
    return new Map(rows.map((r) => [r.provider_id, { providerId: r.provider_id, e164: r.e164, hash: r.hash, routing: r.routing, syncedAt: r.synced_at }]));
  }

  /**
   * Writes sources read at `readAt`. A row written since (our own change,
   * written through after the pass began reading) is newer than what the
   * pass saw and is kept: an older read never overwrites a newer one.
   */
  async putSources(rows: readonly SourceRow[], readAt: string): Promise<void> {
    for (const chunk of chunks(rows, BATCH)) {
      await this.db
        .insertInto('inventory_sources')
        .values(chunk.map((r) => ({ ...r, synced_at: readAt })))
        .onConflict((oc) =>
          oc
            .columns(['provider', 'provider_id'])
            .doUpdateSet((eb) => ({
              e164: eb.ref('excluded.e164'),
              record: eb.ref('excluded.record'),
              hash: eb.ref('excluded.hash'),
              routing: eb.ref('excluded.routing'),
              destination: eb.ref('excluded.destination'),
              owner: eb.ref('excluded.owner'),
              synced_at: eb.ref('excluded.synced_at'),
            }))
            .where('inventory_sources.synced_at', '<=', readAt),
        )
        .execute();
    }
    if (rows.length > 0) await this.bump();
  }

  /** Removes sources the provider no longer lists, unless written after `readAt`. */
  async dropSources(provider: string, providerIds: readonly string[], readAt: string): Promise<void> {
    for (const chunk of chunks(providerIds, BATCH)) {
      await this.db
        .deleteFrom('inventory_sources')
        .where('provider', '=', provider)
        .where('provider_id', 'in', chunk)
        .where('synced_at', '<=', readAt)
        .execute();
    }
    if (providerIds.length > 0) await this.bump();
  }

  /** Every stored source of the numbers `e164s`, for recomputing their number rows. */
  async sourcesOf(e164s: readonly string[]): Promise<Map<string, StoredSource[]>> {
    const found = new Map<string, StoredSource[]>();
    for (const chunk of chunks([...new Set(e164s)], BATCH)) {
      const rows = await this.db.selectFrom('inventory_sources').selectAll().where('e164', 'in', chunk).execute();
      for (const row of rows) found.set(row.e164, [...(found.get(row.e164) ?? []), row]);
    }
    return found;
  }

  /** Replaces the number rows of `rows`, and deletes those of `gone` (numbers no provider holds any more). */
  async putNumbers(rows: readonly NumberRow[], gone: readonly string[]): Promise<void> {
    for (const chunk of chunks(rows, BATCH)) {
      await this.db
        .insertInto('inventory_numbers')
        .values([...chunk])
        .onConflict((oc) =>
          oc.column('e164').doUpdateSet((eb) => ({
            country: eb.ref('excluded.country'),
            toll_free: eb.ref('excluded.toll_free'),
            national: eb.ref('excluded.national'),
            international: eb.ref('excluded.international'),
            routed: eb.ref('excluded.routed'),
            search: eb.ref('excluded.search'),
          })),
        )
        .execute();
    }
    for (const chunk of chunks(gone, BATCH)) await this.db.deleteFrom('inventory_numbers').where('e164', 'in', chunk).execute();
    if (rows.length + gone.length > 0) await this.bump();
  }

  /** Replaces every directory record of `kind` with `entries`. */
  async putDirectory(kind: string, entries: readonly { key: string; sortKey: string; record: string }[], readAt: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('inventory_directory').where('kind', '=', kind).execute();
      for (const chunk of chunks(entries, BATCH)) {
        await tx
          .insertInto('inventory_directory')
          .values(chunk.map((e) => ({ kind, key: e.key, sort_key: e.sortKey, record: e.record, synced_at: readAt })))
          .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
          .execute();
      }
    });
    await this.bump();
  }

  async putSyncState(provider: string, state: Partial<Omit<SyncStateTable, 'provider'>>): Promise<void> {
    await this.db
      .insertInto('sync_state')
      .values({ provider, ...state })
      .onConflict((oc) => oc.column('provider').doUpdateSet(state))
      .execute();
    // A successful pass confirms every record (their `syncedAt`), changed or not.
    if (state.success_at) await this.bump();
  }

  /** Empties the index and the sync's state: the next pass starts from nothing (a rebuild). */
  async clear(): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const table of ['inventory_sources', 'inventory_numbers', 'inventory_directory', 'sync_state'] as const) await tx.deleteFrom(table).execute();
    });
    await this.bump();
  }

  // --- leases ----------------------------------------------------------------------------------

  /**
   * Takes or renews the lease `name` for `owner` until `until`: granted
   * when free, expired, or already `owner`'s. One statement, so two
   * replicas asking at once cannot both get it.
   */
  async lease(name: string, owner: string, now: string, until: string): Promise<boolean> {
    await this.db
      .insertInto('leases')
      .values({ name, owner, until })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ owner, until })
          .where((eb) => eb.or([eb('leases.owner', '=', owner), eb('leases.until', '<', now)])),
      )
      .execute();
    const row = await this.db.selectFrom('leases').select('owner').where('name', '=', name).executeTakeFirst();
    return row?.owner === owner;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.db.deleteFrom('leases').where('name', '=', name).where('owner', '=', owner).execute();
  }

  async leaseHolder(name: string): Promise<{ owner: string; until: string } | undefined> {
    return this.db.selectFrom('leases').select(['owner', 'until']).where('name', '=', name).executeTakeFirst();
  }

  // --- filters ---------------------------------------------------------------------------------

  private matches(eb: ExpressionBuilder<Tables, 'inventory_numbers'>, query: NumberQuery) {
    const all = [];
    const sourcesWhere = (column: 'provider' | 'destination' | 'owner', values: string[]) =>
      eb('e164', 'in', eb.selectFrom('inventory_sources').select('inventory_sources.e164').where(`inventory_sources.${column}`, 'in', values));
    if (query.providers) all.push(sourcesWhere('provider', query.providers.length > 0 ? query.providers : ['']));
    if (query.destination !== undefined) all.push(sourcesWhere('destination', [query.destination]));
    if (query.owner !== undefined) all.push(sourcesWhere('owner', [query.owner]));
    if (query.routed !== undefined) all.push(eb('routed', '=', query.routed ? 1 : 0));
    if (query.country !== undefined) all.push(eb('country', '=', query.country));
    if (query.tollFree !== undefined) all.push(eb('toll_free', '=', query.tollFree ? 1 : 0));
    if (query.digits !== undefined) all.push(eb('e164', 'like', `%${escapeLike(query.digits)}%`));
    if (query.text !== undefined) all.push(sql<boolean>`${sql.ref('search')} like ${`%${escapeLike(query.text)}%`} escape '\\'`);
    return eb.and(all);
  }
}

function stateOf(row: SyncStateTable): SyncState {
  return {
    provider: row.provider,
    startedAt: row.started_at,
    successAt: row.success_at,
    durationMs: row.duration_ms,
    records: row.records,
    calls: row.calls,
    error: row.error,
    errorAt: row.error_at,
    nextRunAt: row.next_run_at,
    replica: row.replica,
  };
}

/** `%` and `_` in a search are literal characters, not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

import { sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from './database.js';

/**
 * Every schema change, in order, for both engines, through Kysely's schema
 * builder. Append only: a migration that has shipped is never edited,
 * because databases in the field have already applied it.
 *
 * The baseline creates only what is missing, so an SQLite file written
 * before this migrator existed (its tables made by hand-written SQL) is
 * taken over as it is.
 */
export function migrationsFor(engine: Engine): Record<string, Migration> {
  return {
    '001_baseline': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('intents')
          .ifNotExists()
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('phone_number', 'text', (c) => c.notNull())
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('operation', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('plan', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('open', 'done', 'rolled_back', 'failed', 'abandoned')`))
          .addColumn('step', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // At most one change in progress per number, across every replica: the second writer is refused.
        await db.schema.createIndex('intents_one_open_per_number').ifNotExists().unique().on('intents').column('phone_number').where(sql.ref('status'), '=', 'open').execute();

        await db.schema
          .createTable('audit')
          .ifNotExists()
          .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('operation', 'text', (c) => c.notNull())
          .addColumn('phone_number', 'text')
          .addColumn('subject', 'text')
          .addColumn('before', 'text')
          .addColumn('after', 'text')
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_by_number').ifNotExists().on('audit').columns(['phone_number', 'id']).execute();

        await db.schema
          .createTable('uploads')
          .ifNotExists()
          .addColumn('id', 'text', (c) => c.primaryKey())
          // NULL for uploads sent without a key; UNIQUE lets NULLs repeat on both engines.
          .addColumn('idempotency_key', 'text', (c) => c.unique())
          .addColumn('request_hash', 'text')
          .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('running', 'done', 'failed')`))
          .addColumn('dry_run', 'integer', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('totals', 'text')
          .addColumn('detail', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('upload_rows')
          .ifNotExists()
          .addColumn('upload_id', 'text', (c) => c.notNull().references('uploads.id').onDelete('cascade'))
          .addColumn('line', 'integer', (c) => c.notNull())
          .addColumn('phone_number', 'text')
          .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('PENDING', 'CREATED', 'EXISTS', 'DUPLICATE', 'INVALID', 'FAILED')`))
          .addColumn('message', 'text')
          .addColumn('payload', 'text')
          .addPrimaryKeyConstraint('upload_rows_pk', ['upload_id', 'line'])
          .$call((t) => (engine === 'sqlite' ? t.modifyEnd(sql`WITHOUT ROWID`) : t))
          .execute();
        // Pages of one status in file order, and the batches of rows still to send.
        await db.schema.createIndex('upload_rows_by_status').ifNotExists().on('upload_rows').columns(['upload_id', 'status', 'line']).execute();
        // The earlier line with the same number, for duplicates within a file.
        await db.schema.createIndex('upload_rows_by_number').ifNotExists().on('upload_rows').columns(['upload_id', 'phone_number', 'status', 'line']).execute();
      },
    },
    '002_audit_change_id': {
      // Links history entries to the journaled change they belong to.
      async up(db: Kysely<unknown>) {
        if (!(await hasColumn(db, 'audit', 'change_id'))) await db.schema.alterTable('audit').addColumn('change_id', 'text').execute();
      },
    },
    '003_intent_leases': {
      // Which replica works on an open intent, and until when: recovery takes only intents whose lease ran out.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('intents').addColumn('owner', 'text').execute();
        await db.schema.alterTable('intents').addColumn('lease_until', 'text').execute();
      },
    },
    '004_audit_provider': {
      // The history across all numbers (Query.changes), filtered by provider, actor or operation, newest first.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('audit').addColumn('provider', 'text').execute();
        await db.schema.createIndex('audit_by_provider').on('audit').columns(['provider', 'id']).execute();
        await db.schema.createIndex('audit_by_actor').on('audit').columns(['actor', 'id']).execute();
        await db.schema.createIndex('audit_by_operation').on('audit').columns(['operation', 'id']).execute();
        await db.schema.createIndex('audit_by_time').on('audit').columns(['at', 'id']).execute();
      },
    },
    '005_inventory_index': {
      // The synced inventory index (store/inventory.ts): reads are answered from here, never from providers.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('inventory_numbers')
          .addColumn('e164', 'text', (c) => c.primaryKey())
          .addColumn('country', 'text')
          .addColumn('toll_free', 'integer', (c) => c.notNull())
          .addColumn('national', 'text', (c) => c.notNull())
          .addColumn('international', 'text', (c) => c.notNull())
          // 1 when some provider routes the number with an active assignment.
          .addColumn('routed', 'integer', (c) => c.notNull())
          .addColumn('search', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('inventory_numbers_by_country').on('inventory_numbers').columns(['country', 'e164']).execute();
        await db.schema.createIndex('inventory_numbers_by_toll_free').on('inventory_numbers').columns(['toll_free', 'e164']).execute();
        await db.schema.createIndex('inventory_numbers_by_routed').on('inventory_numbers').columns(['routed', 'e164']).execute();

        await db.schema
          .createTable('inventory_sources')
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('provider_id', 'text', (c) => c.notNull())
          .addColumn('e164', 'text', (c) => c.notNull())
          .addColumn('record', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('routing', 'text')
          .addColumn('destination', 'text')
          .addColumn('owner', 'text')
          .addColumn('synced_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('inventory_sources_pk', ['provider', 'provider_id'])
          .execute();
        await db.schema.createIndex('inventory_sources_by_number').on('inventory_sources').columns(['e164', 'provider']).execute();
        await db.schema.createIndex('inventory_sources_by_provider').on('inventory_sources').columns(['provider', 'e164']).execute();
        await db.schema.createIndex('inventory_sources_by_destination').on('inventory_sources').columns(['destination', 'e164']).execute();
        await db.schema.createIndex('inventory_sources_by_owner').on('inventory_sources').columns(['owner', 'e164']).execute();

        await db.schema
          .createTable('inventory_directory')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('sort_key', 'text', (c) => c.notNull())
          .addColumn('record', 'text', (c) => c.notNull())
          .addColumn('synced_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('inventory_directory_pk', ['kind', 'key'])
          .execute();
        await db.schema.createIndex('inventory_directory_in_order').on('inventory_directory').columns(['kind', 'sort_key']).execute();

        await db.schema
          .createTable('sync_state')
          .addColumn('provider', 'text', (c) => c.primaryKey())
          .addColumn('started_at', 'text')
          .addColumn('success_at', 'text')
          .addColumn('duration_ms', 'integer')
          .addColumn('records', 'integer')
          .addColumn('calls', 'integer')
          .addColumn('error', 'text')
          .addColumn('error_at', 'text')
          .addColumn('next_run_at', 'text')
          .addColumn('replica', 'text')
          .execute();

        // Named leases across replicas (the sync leader).
        await db.schema
          .createTable('leases')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('until', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '006_inventory_version': {
      // One counter bumped by every write to the index: answers cached by a replica are valid while it is unchanged.
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('inventory_version').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('version', 'integer', (c) => c.notNull()).execute();
        await db.insertInto('inventory_version' as never).values({ id: 1, version: 0 } as never).execute();
      },
    },
  };
}

async function hasColumn(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name === table && t.columns.some((c) => c.name === column));
}

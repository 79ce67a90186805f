import { randomUUID } from 'node:crypto';
import { boundText, isUniqueViolation, type Db, type IntentsTable } from './database.js';

/** How an intent ended. */
export type IntentStatus = 'open' | 'done' | 'rolled_back' | 'failed' | 'abandoned';

/** A change to a number's routing, written before the first provider call. */
export interface Intent<P = unknown> {
  id: string;
  phoneNumber: string;
  provider: string;
  operation: string;
  actor: string;
  /** Everything needed to finish or undo the change without the request that started it. */
  plan: P;
  status: IntentStatus;
  /** The last step known to have completed at the provider. */
  step: string;
  detail: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Thrown by {@link Journal.begin} when the number already has a change in progress. */
export class ChangeInProgressError extends Error {
  constructor(readonly phoneNumber: string) {
    super(`another change to ${phoneNumber} is in progress`);
    this.name = 'ChangeInProgressError';
  }
}

export interface JournalOptions {
  /** This process's name in `owner`: who is working on an intent. */
  owner: string;
  /** How long an intent stays with its owner without a renewal. */
  leaseMs: number;
  now?: () => Date;
}

/**
 * The write-ahead journal of routing changes. A change to where a number
 * routes is written here before any provider call, each completed step is
 * recorded as it happens, and the intent is closed after the last call.
 * An intent still open belongs to a process that died mid-change, or whose
 * outcome was unknown, and is finished or undone by `routing/recovery.ts`.
 *
 * Several replicas share one journal (on PostgreSQL). The unique index on
 * open intents per number is the change lock across all of them, and each
 * open intent carries a lease: its owner renews it while working, so
 * recovery on another replica takes only intents whose owner stopped
 * renewing (it died), never one still being worked on.
 */
export class Journal {
  private readonly now: () => Date;

  constructor(
    private readonly db: Db,
    readonly options: JournalOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Opens an intent for `phoneNumber`, owned by this process. Throws
   * {@link ChangeInProgressError} when one is already open: the unique index
   * makes this atomic across requests, processes and replicas.
   */
  async begin<P>(input: { phoneNumber: string; provider: string; operation: string; actor: string; plan: P; step: string }): Promise<Intent<P>> {
    const at = this.now().toISOString();
    const intent: Intent<P> = { id: randomUUID(), ...input, status: 'open', detail: null, createdAt: at, updatedAt: at };
    try {
      await this.db
        .insertInto('intents')
        .values({
          id: intent.id,
          phone_number: input.phoneNumber,
          provider: input.provider,
          operation: input.operation,
          actor: input.actor,
          plan: JSON.stringify(input.plan),
          status: 'open',
          step: input.step,
          detail: null,
          created_at: at,
          updated_at: at,
          owner: this.options.owner,
          lease_until: this.leaseEnd(),
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ChangeInProgressError(input.phoneNumber);
      throw error;
    }
    return intent;
  }

  /** Records that `step` completed at the provider (and renews the lease). */
  async step(id: string, step: string): Promise<void> {
    await this.update(id, { step });
  }

  /** Records why an intent is still open (an unknown outcome, a recovery that must try again). */
  async note(id: string, detail: string): Promise<void> {
    await this.update(id, { detail: boundText(detail) });
  }

  /** Closes an intent. */
  async close(id: string, status: Exclude<IntentStatus, 'open'>, detail?: string): Promise<void> {
    await this.update(id, { status, detail: detail === undefined ? null : boundText(detail), owner: null, lease_until: null });
  }

  /** Keeps the leases of the intents this process is working on. */
  async renew(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('intents')
      .set({ lease_until: this.leaseEnd() })
      .where('id', 'in', [...ids])
      .where('status', '=', 'open')
      .where('owner', '=', this.options.owner)
      .execute();
  }

  /**
   * Takes an open intent for recovery: only when its lease ran out (its
   * owner died), or `force` (one process owns the whole journal, as with an
   * SQLite file, so every open intent it is not working on is orphaned).
   * False when another process holds it, or it closed meanwhile.
   */
  async claim(id: string, force = false): Promise<boolean> {
    const now = this.now().toISOString();
    const result = await this.db
      .updateTable('intents')
      .set({ owner: this.options.owner, lease_until: this.leaseEnd() })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .$if(!force, (q) => q.where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('owner', '=', this.options.owner)])))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Every intent still open, oldest first. */
  async open<P = unknown>(): Promise<Intent<P>[]> {
    const rows = await this.db.selectFrom('intents').selectAll().where('status', '=', 'open').orderBy('created_at').execute();
    return rows.map((row) => toIntent<P>(row));
  }

  async get<P = unknown>(id: string): Promise<Intent<P> | undefined> {
    const row = await this.db.selectFrom('intents').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toIntent<P>(row);
  }

  private async update(id: string, changes: Partial<IntentsTable>): Promise<void> {
    const renewed = changes.status ? {} : { lease_until: this.leaseEnd() };
    await this.db
      .updateTable('intents')
      .set({ ...renewed, ...changes, updated_at: this.now().toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .execute();
  }

  private leaseEnd(): string {
    return new Date(this.now().getTime() + this.options.leaseMs).toISOString();
  }
}

function toIntent<P>(row: IntentsTable): Intent<P> {
  return {
    id: row.id,
    phoneNumber: row.phone_number,
    provider: row.provider,
    operation: row.operation,
    actor: row.actor,
    plan: JSON.parse(row.plan) as P,
    status: row.status as IntentStatus,
    step: row.step,
    detail: row.detail,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}


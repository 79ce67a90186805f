import { randomUUID } from 'node:crypto';
import { boundText, type Db, type Migration } from './database.js';

export const JOURNAL_MIGRATION: Migration = {
  name: 'journal',
  sql: `
    CREATE TABLE intents (
      id TEXT PRIMARY KEY,
      phone_number TEXT NOT NULL,
      provider TEXT NOT NULL,
      operation TEXT NOT NULL,
      actor TEXT NOT NULL,
      plan TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'done', 'rolled_back', 'failed', 'abandoned')),
      step TEXT NOT NULL,
      detail TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    -- At most one change in progress per number: the second writer is refused.
    CREATE UNIQUE INDEX intents_one_open_per_number ON intents (phone_number) WHERE status = 'open';
  `,
};

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

type Row = {
  id: string;
  phone_number: string;
  provider: string;
  operation: string;
  actor: string;
  plan: string;
  status: IntentStatus;
  step: string;
  detail: string | null;
  created_at: string;
  updated_at: string;
};

/**
 * The write-ahead journal of routing changes. A change to where a number
 * routes is written here before any provider call, each completed step is
 * recorded as it happens, and the intent is closed after the last call. At
 * start-up, every intent still open belongs to a process that died mid-change
 * or whose outcome was unknown, and is finished or undone by `routing/recovery.ts`.
 */
export class Journal {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Opens an intent for `phoneNumber`. Throws {@link ChangeInProgressError}
   * when one is already open: the unique index makes this atomic across
   * concurrent requests and across processes sharing the file.
   */
  begin<P>(input: { phoneNumber: string; provider: string; operation: string; actor: string; plan: P; step: string }): Intent<P> {
    const at = this.now().toISOString();
    const intent: Intent<P> = { id: randomUUID(), ...input, status: 'open', detail: null, createdAt: at, updatedAt: at };
    try {
      this.db
        .prepare(
          `INSERT INTO intents (id, phone_number, provider, operation, actor, plan, status, step, detail, created_at, updated_at)
           VALUES (@id, @phoneNumber, @provider, @operation, @actor, @plan, 'open', @step, NULL, @at, @at)`,
        )
        .run({ ...intent, plan: JSON.stringify(input.plan), at });
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ChangeInProgressError(input.phoneNumber);
      throw error;
    }
    return intent;
  }

  /**
   * Replaces the plan (once the current state has been read under the lock,
   * the plan knows what to restore) and records the step.
   */
  replan<P>(id: string, plan: P, step: string): void {
    this.db
      .prepare(`UPDATE intents SET plan = ?, step = ?, updated_at = ? WHERE id = ? AND status = 'open'`)
      .run(JSON.stringify(plan), step, this.now().toISOString(), id);
  }

  /** Records that `step` completed at the provider. */
  step(id: string, step: string): void {
    this.db.prepare(`UPDATE intents SET step = ?, updated_at = ? WHERE id = ? AND status = 'open'`).run(step, this.now().toISOString(), id);
  }

  /** Records why an intent is still open (an unknown outcome, a recovery that must try again). */
  note(id: string, detail: string): void {
    this.db.prepare(`UPDATE intents SET detail = ?, updated_at = ? WHERE id = ? AND status = 'open'`).run(boundText(detail), this.now().toISOString(), id);
  }

  /** Closes an intent. */
  close(id: string, status: Exclude<IntentStatus, 'open'>, detail?: string): void {
    this.db
      .prepare(`UPDATE intents SET status = ?, detail = ?, updated_at = ? WHERE id = ? AND status = 'open'`)
      .run(status, detail === undefined ? null : boundText(detail), this.now().toISOString(), id);
  }

  /** Every intent still open, oldest first. */
  open<P = unknown>(): Intent<P>[] {
    return (this.db.prepare(`SELECT * FROM intents WHERE status = 'open' ORDER BY created_at`).all() as Row[]).map((row) => toIntent<P>(row));
  }

  get<P = unknown>(id: string): Intent<P> | undefined {
    const row = this.db.prepare(`SELECT * FROM intents WHERE id = ?`).get(id) as Row | undefined;
    return row && toIntent<P>(row);
  }
}

function toIntent<P>(row: Row): Intent<P> {
  return {
    id: row.id,
    phoneNumber: row.phone_number,
    provider: row.provider,
    operation: row.operation,
    actor: row.actor,
    plan: JSON.parse(row.plan) as P,
    status: row.status,
    step: row.step,
    detail: row.detail,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

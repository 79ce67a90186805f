import type { ChangeOutcome } from '../__generated__/resolvers-types.js';
import { boundText, type AuditTable, type Db } from './database.js';

/** What `AuditLog.recent` narrows to; timestamps are ISO strings. */
export interface AuditFilter {
  since?: string;
  until?: string;
  actor?: string;
  operation?: string;
  provider?: string;
  outcome?: AuditOutcome;
}

/** How a mutation ended (the schema's `ChangeOutcome`). */
export type AuditOutcome = ChangeOutcome;

export interface AuditEntryInput {
  actor: string;
  operation: string;
  /** The number changed, in E.164, when the mutation is about one. */
  phoneNumber?: string | null;
  /** What else was changed (a tracking group's global ID, an upload's id). */
  subject?: string | null;
  before?: unknown;
  after?: unknown;
  outcome: AuditOutcome;
  /** A message or the user-error codes. */
  detail?: string | null;
  /** The journal intent of a routing change. */
  changeId?: string | null;
  /** The provider whose data the mutation changed, when one did (lower case, as `ProviderName`). */
  provider?: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  operation: string;
  phoneNumber: string | null;
  subject: string | null;
  before: unknown;
  after: unknown;
  outcome: AuditOutcome;
  detail: string | null;
  changeId: string | null;
  provider: string | null;
}

type Row = Omit<AuditTable, 'id'> & { id: number };

/** The change history: every mutation, who made it, when, before and after, and how it ended. */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records one entry. Every text is bounded (see `boundText`): the history
   * must cost bounded storage whatever a caller sends. A state too large to
   * keep is replaced by a note saying so.
   */
  async write(entry: AuditEntryInput): Promise<void> {
    await this.writeMany([entry]);
  }

  /** Records entries with one statement (an upload batch's created numbers), in order. */
  async writeMany(entries: readonly AuditEntryInput[]): Promise<void> {
    if (entries.length === 0) return;
    const at = this.now().toISOString();
    await this.db.insertInto('audit').values(entries.map((entry) => this.row(entry, at))).execute();
  }

  /** An entry as stored, every text bounded. */
  private row(entry: AuditEntryInput, at: string) {
    return {
      at,
      actor: boundText(entry.actor, 200),
      operation: boundText(entry.operation, 100),
      phone_number: entry.phoneNumber == null ? null : boundText(entry.phoneNumber, 64),
      subject: entry.subject == null ? null : boundText(entry.subject, 500),
      before: entry.before === undefined ? null : boundJson(entry.before),
      after: entry.after === undefined ? null : boundJson(entry.after),
      outcome: entry.outcome,
      detail: entry.detail == null ? null : boundText(entry.detail),
      change_id: entry.changeId == null ? null : boundText(entry.changeId, 64),
      provider: entry.provider == null ? null : boundText(entry.provider, 32),
    };
  }

  /**
   * Entries across all numbers, newest first, after the entry with id
   * `beforeId` when given, narrowed by `filter` (each field set must match).
   * Keyset paging on the id: a page costs what it holds, whatever the log's size.
   */
  async recent(options: { limit: number; beforeId?: number; filter?: AuditFilter }): Promise<{ entries: AuditEntry[]; total: number }> {
    const f = options.filter ?? {};
    const narrowed = this.db
      .selectFrom('audit')
      .$if(f.since !== undefined, (q) => q.where('at', '>=', f.since!))
      .$if(f.until !== undefined, (q) => q.where('at', '<', f.until!))
      .$if(f.actor !== undefined, (q) => q.where('actor', '=', f.actor!))
      .$if(f.operation !== undefined, (q) => q.where('operation', '=', f.operation!))
      .$if(f.provider !== undefined, (q) => q.where('provider', '=', f.provider!))
      .$if(f.outcome !== undefined, (q) => q.where('outcome', '=', f.outcome!));
    const [rows, count] = await Promise.all([
      narrowed
        .selectAll()
        .$if(options.beforeId !== undefined, (q) => q.where('id', '<', options.beforeId!))
        .orderBy('id', 'desc')
        .limit(options.limit)
        .execute(),
      narrowed.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { entries: (rows as Row[]).map(toEntry), total: Number(count.total) };
  }

  /** A number's entries, newest first, after the entry with id `beforeId` when given. */
  async forNumber(phoneNumber: string, options: { limit: number; beforeId?: number }): Promise<{ entries: AuditEntry[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.db
        .selectFrom('audit')
        .selectAll()
        .where('phone_number', '=', phoneNumber)
        .$if(options.beforeId !== undefined, (q) => q.where('id', '<', options.beforeId!))
        .orderBy('id', 'desc')
        .limit(options.limit)
        .execute(),
      this.db.selectFrom('audit').select((eb) => eb.fn.countAll<number>().as('total')).where('phone_number', '=', phoneNumber).executeTakeFirstOrThrow(),
    ]);
    return { entries: (rows as Row[]).map(toEntry), total: Number(count.total) };
  }
}

function toEntry(row: Row): AuditEntry {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    operation: row.operation,
    phoneNumber: row.phone_number,
    subject: row.subject,
    before: row.before === null ? null : (JSON.parse(row.before) as unknown),
    after: row.after === null ? null : (JSON.parse(row.after) as unknown),
    outcome: row.outcome as AuditOutcome,
    detail: row.detail,
    changeId: row.change_id ?? null,
    provider: row.provider ?? null,
  };
}

/** A before/after state as JSON, or a note when it is too large to keep. */
function boundJson(value: unknown): string {
  const json = JSON.stringify(value ?? null);
  return json.length <= 8_000 ? json : JSON.stringify({ omitted: `a state of ${json.length} characters, over the 8,000 kept` });
}

/**
 * Ringyo AI wire types, in Ringyo's casing. Ringyo's ids are already strings
 * (`pn_…`, `agent_…`).
 */

/** The documented statuses; anything else Ringyo adds later is passed through as sent. */
export type RingyoNumberStatus = 'active' | 'pending' | 'inactive';

/** Usage counters, present with `include=stats`. */
export interface RingyoStats {
  total_calls: number;
  total_minutes: number;
  calls_this_month: number;
  minutes_this_month: number;
}

/**
 * One of `include=recent_calls`. The docs name the include without showing
 * it, so every field is read only when present with the expected type.
 */
export interface RingyoRecentCall {
  id: string;
  direction?: string;
  from_number?: string;
  to_number?: string;
  status?: string;
  duration_seconds?: number;
  agent_id?: string | null;
  started_at?: string;
}

/** A Ringyo phone number (`GET /v1/phone-numbers/{phone_number_id}`). */
export interface RingyoPhoneNumber {
  /** `pn_…`. */
  id: string;
  /** E.164. */
  phone_number: string;
  friendly_name: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  /** State or region code. */
  region: string | null;
  capabilities: { voice: boolean; sms: boolean };
  /** `active`, `pending` or `inactive` (see {@link RingyoNumberStatus}). */
  status: string;
  /** The AI agent answering calls (`agent_…`), or null. */
  default_agent_id: string | null;
  created_at: string | null;
  /** Only on the single-number view. */
  updated_at?: string;
  stats?: RingyoStats;
  recent_calls?: RingyoRecentCall[];
}

/** Filters of `GET /v1/phone-numbers`. */
export interface RingyoPhoneNumberFilter {
  status?: RingyoNumberStatus;
  /** ISO 3166-1 alpha-2. */
  country?: string;
}

/** Extra data `GET /v1/phone-numbers/{id}` can include. */
export type RingyoInclude = 'stats' | 'recent_calls';

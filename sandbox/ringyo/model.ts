/**
 * The sandbox's Ringyo records in Ringyo's wire shape. Kept apart from the
 * client's wire types so the client is tested against an independent reading
 * of the contract.
 */

export type RingyoStatus = 'active' | 'pending' | 'inactive';

export interface RingyoStats {
  total_calls: number;
  total_minutes: number;
  calls_this_month: number;
  minutes_this_month: number;
}

/**
 * One entry of `include=recent_calls`. The docs name the include but show no
 * example, so this shape is the sandbox's own choice.
 */
export interface RingyoRecentCall {
  id: string;
  direction: 'inbound' | 'outbound';
  from_number: string;
  to_number: string;
  status: 'completed' | 'missed' | 'voicemail' | 'transferred';
  duration_seconds: number;
  agent_id: string | null;
  started_at: string;
}

export interface RingyoNumberRecord {
  id: string;
  phone_number: string;
  friendly_name: string;
  country: string;
  region: string;
  capabilities: { voice: boolean; sms: boolean };
  status: RingyoStatus;
  default_agent_id: string | null;
  created_at: string;
  updated_at: string;
  stats: RingyoStats;
  recent_calls: RingyoRecentCall[];
}

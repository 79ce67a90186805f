/**
 * The sandbox's own records, in Zendesk's wire shape (integer ids, snake_case).
 * Deliberately separate from the client's wire types: the sandbox is an
 * independent implementation of the contract the client is tested against.
 */

export interface TalkCapabilities {
  sms: boolean;
  mms: boolean;
  voice: boolean;
  emergency_address: boolean;
}

/** One Talk phone number as stored; `name` is derived when serialised. */
export interface TalkNumberRecord {
  id: number;
  number: string;
  display_number: string;
  nickname: string | null;
  country_code: string;
  location: string | null;
  toll_free: boolean;
  external: boolean;
  created_at: string;
  capabilities: TalkCapabilities;
  sms_enabled: boolean;
  voice_enabled: boolean;
  outbound_enabled: boolean;
  recorded: boolean;
  transcription: boolean;
  call_recording_consent: string;
  group_ids: number[];
  default_group_id: number | null;
  sms_group_id: number | null;
  greeting_ids: number[];
  ivr_id: number | null;
  schedule_id: number | null;
  priority: number;
  line_type: string;
  failover_number: string | null;
  brand_id: number | null;
  token: string;
}

/** A Support group (`GET /api/v2/groups`). */
export interface GroupRecord {
  id: number;
  name: string;
  description: string;
  default: boolean;
  deleted: boolean;
  is_public: boolean;
  created_at: string;
  updated_at: string;
}

export interface IvrRoute {
  id: number;
  keypress: string;
  greeting: string | null;
  action: 'group';
  options: { group_ids: number[] };
  option_text: string;
}

export interface IvrMenu {
  id: number;
  name: string;
  default: boolean;
  greeting_id: number | null;
  routes: IvrRoute[];
}

/** An IVR; `phone_number_ids`/`phone_number_names` are derived from the numbers. */
export interface IvrRecord {
  id: number;
  name: string;
  menus: IvrMenu[];
}

/** A number `GET /phone_numbers/search` offers, with the token that provisions it. */
export interface AvailableNumber {
  number: string;
  display_number: string;
  toll_free: boolean;
  location: string | null;
  country_code: string;
  token: string;
  price: string;
  address_requirements: 'none' | 'local' | 'any' | 'foreign';
}

/** Everything the account holds at seed time. */
export interface ZendeskSeed {
  groups: GroupRecord[];
  ivrs: IvrRecord[];
  numbers: TalkNumberRecord[];
  /** Ids accepted for `brand_id`. */
  brandIds: number[];
  /** Ids accepted for `schedule_id`. */
  scheduleIds: number[];
  /** Custom greeting ids accepted in `greeting_ids`. */
  greetingIds: number[];
}

/**
 * Zendesk Talk wire types, in Zendesk's casing. Zendesk sends integer ids;
 * the client's parsing turns every id into a string, because they reach 14
 * digits and the graph exposes them as `ID`s.
 */

/** `capabilities` of a Talk number. */
export interface ZendeskCapabilities {
  sms: boolean;
  mms: boolean;
  voice: boolean;
  emergency_address?: boolean;
}

/** A Talk phone number (`GET /api/v2/channels/voice/phone_numbers/{id}`). */
export interface ZendeskPhoneNumber {
  id: string;
  /** E.164 (`+353766801402`); `null` only when Zendesk left it out. */
  number: string | null;
  /** Zendesk's display format: `+1 (912) 214-5744`, `+44 20 7123 4567`. */
  display_number: string;
  /** The nickname if set, else the display number. */
  name: string | null;
  nickname: string | null;
  country_code: string | null;
  /** State code (`CA`) or city (`Leeds`); `null` for toll-free numbers. */
  location: string | null;
  toll_free: boolean;
  /** An external caller-id number: Talk does not route calls to it. */
  external: boolean;
  created_at: string | null;
  capabilities: ZendeskCapabilities;
  sms_enabled?: boolean;
  voice_enabled?: boolean;
  outbound_enabled?: boolean;
  recorded?: boolean;
  transcription?: boolean;
  call_recording_consent?: string;
  /** Support groups calls route to (with omnichannel routing only the first is used). */
  group_ids: string[];
  default_group_id: string | null;
  sms_group_id: string | null;
  greeting_ids: string[];
  default_greeting_ids?: string[];
  categorised_greetings?: Record<string, unknown>;
  categorised_greetings_with_sub_settings?: Record<string, unknown>;
  /** The IVR calls route to, when not to groups. */
  ivr_id: string | null;
  schedule_id: string | null;
  priority: number | null;
  line_type: string | null;
  failover_number: string | null;
  brand_id: string | null;
  token?: string;
}

/** The writable attributes `PUT /phone_numbers/{id}` accepts (sent wrapped as `{phone_number: …}`). */
export interface ZendeskPhoneNumberUpdate {
  nickname?: string | null;
  group_ids?: string[];
  default_group_id?: string | null;
  sms_group_id?: string | null;
  greeting_ids?: string[];
  ivr_id?: string | null;
  schedule_id?: string | null;
  brand_id?: string | null;
  recorded?: boolean;
  transcription?: boolean;
  priority?: number;
  failover_number?: string | null;
  call_recording_consent?: string;
  line_type?: string;
}

/** `POST /phone_numbers` body attributes: the token from a search result. */
export interface ZendeskPhoneNumberCreate {
  token: string;
  /** Needed where `address_requirements` is not `none` (unverified; passed through when given). */
  address_sid?: string;
}

/** `GET /phone_numbers/search` parameters. */
export interface ZendeskAvailableNumberQuery {
  /** ISO 3166-1 alpha-2; required by Zendesk. */
  country: string;
  /** US and Canada only. */
  area_code?: string;
  /** Digits, letters (keypad) and `*` wildcards. */
  contains?: string;
  toll_free?: boolean;
}

/** A number Zendesk offers for provisioning. */
export interface ZendeskAvailableNumber {
  number: string;
  display_number: string;
  toll_free: boolean;
  location: string | null;
  country_code: string;
  /** Pass to `createPhoneNumber` to provision this number. */
  token: string;
  price: string | null;
  address_requirements: string | null;
}

/** A Support group (`GET /api/v2/groups`). */
export interface ZendeskGroup {
  id: string;
  name: string;
  description: string | null;
  default: boolean;
  deleted: boolean;
  is_public?: boolean;
  created_at: string | null;
  updated_at: string | null;
}

export interface ZendeskIvrRoute {
  id: string;
  keypress: string;
  greeting: string | null;
  /** `group`, `voicemail`, `menu`, `phone_number`, `textback`… */
  action: string;
  /** Action-specific; `group_ids` (as strings) for `group` routes. */
  options: { group_ids?: string[]; [key: string]: unknown };
  option_text: string | null;
}

export interface ZendeskIvrMenu {
  id: string;
  name: string;
  default: boolean;
  greeting_id: string | null;
  routes: ZendeskIvrRoute[];
}

/** A Talk IVR (`GET /api/v2/channels/voice/ivr`). */
export interface ZendeskIvr {
  id: string;
  name: string;
  menus: ZendeskIvrMenu[];
  phone_number_ids: string[];
  phone_number_names: string[];
}

/**
 * RingCentral's wire types, in RingCentral's own casing, as the client hands
 * them out after parsing. Two deliberate differences from the raw JSON:
 *
 * - every id is a `string`: v1 sends ids as JSON numbers (`int64`), v2 as
 *   strings, and Switchboard's ids are opaque strings either way;
 * - only the fields below are kept, and an optional field with an unexpected
 *   type is dropped rather than failing the call (the spec says several
 *   fields "may be omitted" and enums grow over time).
 *
 * Enums are open (`Open<…>`): the known values document the contract, but a
 * value RingCentral adds later still parses.
 */

/** Known values of a provider enum, plus any string it may add later. */
export type Open<T extends string> = T | (string & {});

/** `AllExtensionTypesEnum` (legacy `Department` = call queue). */
export type RcExtensionType = Open<
  | 'User'
  | 'Department'
  | 'Announcement'
  | 'Voicemail'
  | 'DigitalUser'
  | 'VirtualUser'
  | 'FaxUser'
  | 'PagingOnly'
  | 'SharedLinesGroup'
  | 'DelegatedLinesGroup'
  | 'GroupCallPickup'
  | 'IvrMenu'
  | 'ApplicationExtension'
  | 'ProxyAdmin'
  | 'RoomConnector'
  | 'ParkLocation'
  | 'Limited'
  | 'Bot'
  | 'Site'
  | 'Room'
  | 'FlexibleUser'
  | 'TieLine'
  | 'Unknown'
>;

/** `ExtensionStatusEnumFull`. */
export type RcExtensionStatus = Open<'Enabled' | 'Disabled' | 'Frozen' | 'NotActivated' | 'Unassigned'>;

/** v1 `PhoneNumberUsageType`. */
export type RcUsageType = Open<
  | 'MainCompanyNumber'
  | 'AdditionalCompanyNumber'
  | 'CompanyNumber'
  | 'DirectNumber'
  | 'CompanyFaxNumber'
  | 'ForwardedNumber'
  | 'ForwardedCompanyNumber'
  | 'ContactCenterNumber'
  | 'ConferencingNumber'
  | 'MeetingsNumber'
  | 'BusinessMobileNumber'
  | 'ELIN'
  | 'IntegrationNumber'
>;

/** v2 `PhoneNumberUsageTypeV2`: adds `Inventory` and friends. */
export type RcUsageTypeV2 = Open<
  | 'MainCompanyNumber'
  | 'CompanyNumber'
  | 'DirectNumber'
  | 'ContactCenterNumber'
  | 'Inventory'
  | 'InventoryMobileNumber'
  | 'PhoneLine'
  | 'CompanyFaxNumber'
  | 'ForwardedNumber'
  | 'ForwardedCompanyNumber'
  | 'ConferencingNumber'
  | 'MeetingsNumber'
  | 'BusinessMobileNumber'
  | 'ELIN'
>;

/** `PhoneNumberStatus`. */
export type RcPhoneNumberStatus = Open<'Normal' | 'Pending' | 'PortedIn' | 'Temporary' | 'Unknown'>;
/** `PhoneNumberType`. */
export type RcPhoneNumberType = Open<'VoiceFax' | 'VoiceOnly' | 'FaxOnly'>;
/** `PlatformPaymentType`. */
export type RcPaymentType = Open<
  'External' | 'TollFree' | 'Local' | 'BusinessMobileNumberProvider' | 'ExternalNumberProvider' | 'ExternalNumberProviderTollFree' | 'Mobile'
>;

/** `TokenInfo` from `POST /restapi/oauth/token`. */
export interface RcTokenInfo {
  access_token: string;
  token_type: string;
  /** Seconds. */
  expires_in: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope?: string;
  /** The token owner's extension id. */
  owner_id?: string;
  endpoint_id?: string;
  session_id?: string;
}

/** `GetAccountInfoResponse` (the fields Switchboard reads). */
export interface RcAccountInfo {
  id: string;
  uri?: string;
  /** E.164 main company number. */
  mainNumber?: string;
  status?: Open<'Initial' | 'Unconfirmed' | 'Confirmed' | 'Disabled'>;
  setupWizardState?: string;
  federated?: boolean;
  operator?: { id: string; uri?: string; extensionNumber?: string };
  serviceInfo?: {
    brand?: { id?: string; name?: string };
    servicePlan?: { id?: string; name?: string; edition?: string };
    billingPlan?: { id?: string; name?: string; type?: string };
  };
}

/** `ContactInfo`. */
export interface RcContactInfo {
  firstName?: string;
  lastName?: string;
  name?: string;
  company?: string;
  jobTitle?: string;
  email?: string;
  businessPhone?: string;
  mobilePhone?: string;
  department?: string;
}

/** `GetExtensionListInfoResponse` / `GetExtensionInfoResponse`. */
export interface RcExtension {
  id: string;
  uri?: string;
  extensionNumber?: string;
  name?: string;
  type: RcExtensionType;
  subType?: string;
  status?: RcExtensionStatus;
  contact?: RcContactInfo;
  permissions?: { admin?: { enabled?: boolean }; internationalCalling?: { enabled?: boolean } };
  hidden?: boolean;
  site?: { id?: string; name?: string; code?: string };
  costCenter?: { id?: string; name?: string };
  /** ISO 8601. */
  creationTime?: string;
  callQueueInfo?: { slaGoal?: number; slaThresholdSeconds?: number; includeAbandonedCalls?: boolean; abandonedThresholdSeconds?: number };
  /** Single GET only. */
  account?: { id: string; uri?: string };
  /** Single GET only, for Disabled extensions. */
  statusInfo?: { reason?: string; comment?: string };
}

/** The extension a v1 number belongs to (`ExtensionInfo` / `UserPhoneNumberExtensionInfo`). */
export interface RcNumberExtension {
  id: string;
  uri?: string;
  name?: string;
  extensionNumber?: string;
  type?: RcExtensionType;
}

/** `ContactCenterProvider`. */
export interface RcContactCenterProvider {
  id?: string;
  name?: string;
}

/** `CompanyPhoneNumberInfo`: the v1 account list and by-id (batch) GET. */
export interface RcCompanyPhoneNumber {
  id: string;
  uri?: string;
  phoneNumber: string;
  label?: string;
  location?: string;
  paymentType?: RcPaymentType;
  status?: RcPhoneNumberStatus;
  type?: RcPhoneNumberType;
  usageType: RcUsageType;
  /** Absent for company-level numbers. */
  extension?: RcNumberExtension;
  primary?: boolean;
  activationStatus?: Open<'Active' | 'Inactive'>;
  contactCenterProvider?: RcContactCenterProvider;
  callerIdName?: string;
  temporaryNumber?: { id?: string; phoneNumber?: string };
}

/** `UserPhoneNumberInfo`: an extension's own list, which also shows company numbers it may use. */
export interface RcUserPhoneNumber extends RcCompanyPhoneNumber {
  country?: { id?: string; name?: string; isoCode?: string };
  features: Open<'CallerId' | 'SmsSender' | 'A2PSmsSender' | 'MmsSender' | 'InternationalSmsSender' | 'Delegated'>[];
  subType?: string;
}

/** `AccountPhoneNumberInfo` (v2 list and assignment result). */
export interface RcAccountPhoneNumber {
  id: string;
  /** E.164. */
  phoneNumber: string;
  usageType: RcUsageTypeV2;
  status?: RcPhoneNumberStatus;
  tollType?: Open<'Toll' | 'TollFree'>;
  type?: RcPhoneNumberType;
  label?: string;
  primary?: boolean;
  byocNumber?: boolean;
  mobileNumber?: boolean;
  hotDeskNumber?: boolean;
  callerIdName?: string;
  activationStatus?: Open<'Active' | 'Inactive'>;
  contactCenterProvider?: RcContactCenterProvider;
  providerId?: string;
  /** Omitted for company numbers and inventory. */
  extension?: { id: string; extensionNumber?: string };
}

/** `ForwardingNumberInfo`. */
export interface RcForwardingNumber {
  id: string;
  uri?: string;
  /** Absent for `PhoneLine` entries, which point at a `device` instead. */
  phoneNumber?: string;
  label?: string;
  features: Open<'CallFlip' | 'CallForwarding'>[];
  /** Call-flip shortcut digit. */
  flipNumber?: string;
  type?: Open<'Home' | 'Mobile' | 'Work' | 'PhoneLine' | 'Outage' | 'Other' | 'BusinessMobilePhone' | 'ExtensionApps'>;
  device?: { id: string };
  extension?: { id: string; name?: string; extensionNumber?: string };
}

/** `AssignPhoneNumberRequest` (v2 PATCH body). */
export interface RcAssignPhoneNumberRequest {
  usageType: 'MainCompanyNumber' | 'CompanyNumber' | 'DirectNumber' | 'ContactCenterNumber';
  /** Required for `DirectNumber`. */
  extension?: { id: string };
  type?: 'VoiceFax' | 'VoiceOnly' | 'FaxOnly';
  costCenterId?: string;
  contactCenterProvider?: { id: string; name?: string };
}

/** `EnumeratedPagingModel`. */
export interface RcPaging {
  page?: number;
  perPage?: number;
  pageStart?: number;
  pageEnd?: number;
  totalPages?: number;
  totalElements?: number;
}

/**
 * The RingCentral sandbox's in-memory records. They hold what the account
 * knows about each thing once; the v1, v2 and per-extension views are all
 * rendered from the same records, so a move made through one endpoint shows
 * in every other.
 */

/** `AllExtensionTypesEnum` values the seed uses. */
export type ExtensionType =
  | 'User'
  | 'Department'
  | 'IvrMenu'
  | 'Announcement'
  | 'Voicemail'
  | 'ParkLocation'
  | 'ApplicationExtension'
  | 'SharedLinesGroup'
  | 'PagingOnly'
  | 'GroupCallPickup';

/** `ExtensionStatusEnumFull` minus `Unassigned` (every seeded extension has a number). */
export type ExtensionStatus = 'Enabled' | 'Disabled' | 'NotActivated' | 'Frozen';

/** Extension types that can hold direct numbers; the others answer 400 to an assignment. */
export const NUMBER_OWNING_TYPES: ReadonlySet<string> = new Set<ExtensionType>([
  'User',
  'Department',
  'IvrMenu',
  'Announcement',
  'Voicemail',
  'ApplicationExtension',
  'SharedLinesGroup',
]);

export interface ExtensionRecord {
  id: string;
  extensionNumber: string;
  type: ExtensionType;
  status: ExtensionStatus;
  name: string;
  contact: {
    firstName?: string;
    lastName?: string;
    email?: string;
    company: string;
    jobTitle?: string;
    department?: string;
    mobilePhone?: string;
  };
  admin: boolean;
  internationalCalling: boolean;
  hidden?: boolean;
  /** ISO timestamp. */
  creationTime: string;
  statusInfo?: { reason: 'Voluntarily' | 'Involuntarily'; comment: string };
  callQueueInfo?: { slaGoal: number; slaThresholdSeconds: number; includeAbandonedCalls: boolean; abandonedThresholdSeconds: number };
}

/** Usage types a number can have in this sandbox, in v2 terms (`Inventory` is v2-only). */
export type NumberUsage = 'MainCompanyNumber' | 'CompanyNumber' | 'DirectNumber' | 'ContactCenterNumber' | 'Inventory';

export type NumberType = 'VoiceFax' | 'VoiceOnly' | 'FaxOnly';

export interface PhoneNumberRecord {
  /** Numeric string; v1 renders it as a JSON number, v2 as a string. */
  id: string;
  /** E.164. */
  phoneNumber: string;
  usageType: NumberUsage;
  /** Set only for DirectNumber. */
  extensionId?: string;
  type: NumberType;
  tollFree: boolean;
  country: 'US' | 'CA' | 'GB';
  /** City, for local numbers. */
  location?: string;
  status: 'Normal' | 'PortedIn';
  label?: string;
  /** The extension's main direct number. */
  primary: boolean;
  contactCenterProvider?: { id: string; name: string };
}

export type ForwardingType = 'Mobile' | 'Home' | 'Work' | 'Other';

export interface ForwardingNumberRecord {
  id: string;
  extensionId: string;
  phoneNumber: string;
  label: string;
  type: ForwardingType;
  features: ('CallFlip' | 'CallForwarding')[];
  /** Shortcut digit for call flip. */
  flipNumber?: string;
}

export interface AccountRecord {
  id: string;
  companyName: string;
  /** E.164 of the current MainCompanyNumber. */
  mainNumber: string;
  /** The operator extension (the first admin user). */
  operatorId: string;
  creationTime: string;
}

/** Everything the account holds; `reset()` rebuilds it from the seed. */
export interface AccountData {
  account: AccountRecord;
  /** In creation order (ids ascending), the order lists page through. */
  extensions: ExtensionRecord[];
  /** In id order. */
  numbers: PhoneNumberRecord[];
  forwarding: ForwardingNumberRecord[];
}

/** The contact-center provider RingCX numbers are routed through. */
export const RINGCX_PROVIDER = { id: '3', name: 'RingCX' } as const;

/** What RingCentral assumes when an assignment names no contact-center provider (spec text). */
export const DEFAULT_CONTACT_CENTER_PROVIDER = { id: '1', name: 'InContact/North America' } as const;

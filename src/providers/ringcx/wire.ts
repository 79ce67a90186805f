/**
 * RingCX (Engage Voice) admin API objects as the client returns them: the
 * provider's field names and casing, with three normalisations applied while
 * parsing: ids (int32 on the wire) are strings, dates (epoch ms or ISO, the
 * spec's joda `DateTime` does not say) are `Date`s, and 0/1 flags stay
 * numbers where the spec types them as ints. Every field the contract does
 * not guarantee is optional.
 */

/** A RingCX sub-account (`Account`). */
export interface RcxAccount {
  accountId: string;
  accountName?: string;
  mainAccountId?: string;
  mainAccountName?: string;
  archivedAccount?: boolean;
  enableTracking?: boolean;
  enableVisualIvr?: boolean;
  enableCloudRouting?: boolean;
  defaultCallerid?: string;
  startDate?: Date;
}

/** `GateGroupV2`, embedded in {@link GateSkinnyAssignable}. */
export interface GateGroupV2 {
  gateGroupId: string;
  groupName?: string;
  accountId?: string;
  billingKey?: string;
}

/** A queue as embedded in an assignment. */
export interface GateSkinnyAssignable {
  gateId: string;
  gateName?: string;
  gateGroupId?: string;
  groupId?: string;
  accountId?: string;
  isActive?: boolean;
  gateGroup?: GateGroupV2;
}

/** A Visual IVR as embedded in an assignment; no endpoint lists them. */
export interface VisualIvrSkinny {
  visualIvrId: string;
  visualIvrName?: string;
  visualIvrDesc?: string;
  visualIvrGroupId?: string;
  groupId?: string;
  accountId?: string;
  isActive?: boolean;
  isDeleted?: boolean;
}

/** A cloud route profile as embedded in an assignment. The id field is `cloudProfileId`. */
export interface CloudRouteProfileSkinny {
  cloudProfileId: string;
  profileName?: string;
  cloudGroupId?: string;
  groupId?: string;
  accountId?: string;
  isActive?: boolean;
  isDeleted?: boolean;
}

/** A tracking number as embedded in an assignment. */
export interface TracNumberSkinny {
  tracId: string;
  tracGroupId?: string;
  groupId?: string;
  accountId?: string;
  description?: string;
}

/** Where a DNIS routes (`AssignedDnis`): one of the four destinations is populated. */
export interface AssignedDnis {
  dnis: string;
  dnisE164?: string;
  dnisDescription?: string;
  isActive?: boolean;
  originatingDnis?: string;
  startDate?: Date;
  endDate?: Date;
  endPointId?: string;
  endPointType?: string;
  phoneNumbersI18nEnabled?: boolean;
  gate?: GateSkinnyAssignable;
  visualIvr?: VisualIvrSkinny;
  cloudRouteProfile?: CloudRouteProfileSkinny;
  tracNumber?: TracNumberSkinny;
}

/** A DNIS pool record (`DnisPool`). `dnis` is E.164 without "+" (`14155550100`). */
export interface DnisPool {
  dnis: string;
  dnisE164?: string;
  reservedAccountId?: string;
  dnisDescription?: string;
  dnisCategory?: string;
  notes?: string;
  active?: boolean;
  carrier?: string;
  dnisManagedByRC?: boolean;
  smsEnabled?: boolean;
  phoneNumbersI18nEnabled?: boolean;
  inboundContext?: string;
  vendorId?: string;
  lastModifiedBy?: string;
  dateCreated?: Date;
  lastModified?: Date;
  assignedDnis?: AssignedDnis;
}

/**
 * A `searchDnis` row (`DnisRecordDTO`), tagged with its account: v2 groups
 * rows under `entries[accountId]`, v1 carries `reservedAccountId` per row.
 */
export interface DnisRecord extends Omit<DnisPool, 'reservedAccountId'> {
  /** The account the row was filed under (v2 `entries` key, or v1 `reservedAccountId`). */
  accountId?: string;
  /** v2 only: `AccountDTO.name`. */
  accountName?: string;
  dnisState?: string;
}

/** `searchDnis` flattened: every account's rows in one list. */
export interface DnisSearchResult {
  records: DnisRecord[];
  totalCount: number;
}

/** One page of `tnManager/search`. */
export interface TnManagerSearchPage {
  records: DnisPool[];
  /** Only when asked for (`count=true`) and the server said. */
  totalCount?: number;
}

/** `DnisBulkUpdateRespose` (sic); `updatedRows` arrives as a string and is parsed. */
export interface DnisBulkUpdateResult {
  status?: string;
  message?: string;
  updatedRows?: number;
}

/** `DnisListPreviewResponse`: the rows taken from an upload and the rows refused. */
export interface DnisUploadPreview {
  /** `BaseCsvDto` is untyped in the spec; rows are returned as sent. */
  records: Record<string, unknown>[];
  uploadStatus: {
    validated: boolean;
    totalRecords: number;
    validRecords: number;
    errorCode?: string;
    errorMessage: string[];
  };
}

/** A queue (`Gate`): the fields Switchboard reads out of ~80. */
export interface Gate {
  gateId: string;
  gateName?: string;
  gateDesc?: string;
  isActive?: boolean;
  gateOpen?: boolean;
  gatePriority?: number;
  billingCode?: string;
  outboundCallerId?: string;
  createdOn?: Date;
  /** Present on `GET …/gates/{gateId}`, absent inside a group's `gates`. */
  gateGroup?: GateGroup;
}

/** A queue group (`GateGroup`). */
export interface GateGroup {
  gateGroupId: string;
  groupName?: string;
  billingKey?: string;
  createdOn?: Date;
  gates: Gate[];
}

export interface CloudRouteDestinationSkinny {
  cloudDestinationId: string;
  destinationName?: string;
  cloudGroupId?: string;
  isActive?: boolean;
}

/** `CloudRouteGroupSkinny` (the v2-skinny groups-with-children listing). */
export interface CloudRouteGroupSkinny {
  cloudGroupId: string;
  groupName?: string;
  accountId?: string;
  cloudRouteProfiles: CloudRouteProfileSkinny[];
  cloudRouteDestinations: CloudRouteDestinationSkinny[];
}

/** A cloud route profile (`CloudRouteProfile`). */
export interface CloudRouteProfile {
  cloudProfileId: string;
  profileName?: string;
  profileDesc?: string;
  routingType?: string;
  isActive?: boolean;
  isDeleted?: boolean;
  cloudRouteGroup?: { cloudGroupId: string; groupName?: string };
}

/** A tracking group (`TracGroup`). */
export interface TracGroup {
  tracGroupId: string;
  groupName?: string;
  isDefault?: boolean;
  permissions?: string[];
  /** Filled by `tracGroups/withChildren`; empty elsewhere. */
  tracNumbers: TracNumber[];
}

export type TracRouteType = 'STANDARD' | 'STANDARD_PARALLEL' | 'LOCATOR';

/**
 * A tracking number in the spec's shape (not the doc's): the number is
 * `assignedDnis.dnis`, its label `assignedDnis.dnisDescription`, its group
 * `tracGroup.tracGroupId`. Scheduling flags are 0/1 ints.
 */
export interface TracNumber {
  tracId: string;
  accountId?: string;
  description?: string;
  tracGroup?: { tracGroupId: string; groupName?: string };
  assignedDnis?: AssignedDnis;
  billingCode?: string;
  billingKey?: string;
  introMsg?: string;
  whisperMsg?: string;
  endcallMsg?: string;
  outboundCallerId?: string;
  openType?: string;
  closeType?: string;
  dequeueDelay?: number;
  shortCallTime?: number;
  recordCall?: number;
  revMatch?: number;
  voicemailEnabled?: number;
  monSched?: string;
  tueSched?: string;
  wedSched?: string;
  thuSched?: string;
  friSched?: string;
  satSched?: string;
  sunSched?: string;
}

// ---------------------------------------------------------------------------------------------
// Request bodies

/** `DnisListRequest` (searchDnis). `dnisState` in the sandbox: ALL, ASSIGNED, UNASSIGNED, INACTIVE. */
export interface DnisListRequest {
  accountIds?: string[];
  dnisState?: string;
  searchText?: string;
  phoneNumbersI18nEnabled?: boolean;
}

/** The spec's product enum; ACD is a queue (gate). */
export type RcxProduct =
  | 'ACCOUNT' | 'ACD' | 'AGENT' | 'CHAT_QUEUE' | 'OUTBOUND' | 'VISUAL_IVR' | 'CLOUD_PROFILE' | 'CLOUD_DESTINATION'
  | 'TRAC_NUMBER' | 'HTTP_SERVICES' | 'SCRIPTING' | 'TN_MANAGER' | 'SURVEY' | 'DNIS' | 'TEAMS' | 'KNOWLEDGE_BASE' | 'UTILITIES';

/** `TnManagerSearchCriteria`: the filters Switchboard uses. */
export interface TnManagerSearchCriteria {
  /** Exact DNIS to look up (the batch lookup). */
  dnis?: string[];
  accountId?: string;
  accountIds?: string[];
  active?: boolean;
  assigned?: boolean;
  /** With `objectId`: numbers assigned to that object (e.g. ACD + gate id). */
  product?: RcxProduct;
  objectId?: string;
  groupId?: string;
  dnisFilter?: string;
  notes?: string;
}

/** Writable `DnisPool` fields; `dnis` identifies the record. */
export interface DnisPoolInput {
  dnis: string;
  dnisE164?: string;
  reservedAccountId?: string;
  dnisDescription?: string;
  dnisCategory?: string;
  notes?: string;
  active?: boolean;
  carrier?: string;
  inboundContext?: string;
  vendorId?: string;
  smsEnabled?: boolean;
  /** `updateBulkDnisPool` only: edits the number's current assignment too. */
  assignedDnis?: { dnisDescription?: string; isActive?: boolean };
}

/** One DNIS to assign (`AssignedDnis` minimal form per the doc). */
export interface AssignedDnisInput {
  dnis: string;
  dnisDescription?: string;
  isActive?: boolean;
  originatingDnis?: string;
  startDate?: Date;
  endDate?: Date;
}

export interface TracGroupInput {
  groupName?: string;
  isDefault?: boolean;
}

/** Writable `TracNumber` fields; `assignedDnis.dnis` is the number it tracks. */
export interface TracNumberInput {
  description?: string;
  assignedDnis?: AssignedDnisInput;
  billingCode?: string;
  billingKey?: string;
  introMsg?: string;
  whisperMsg?: string;
  endcallMsg?: string;
  outboundCallerId?: string;
  openType?: TracRouteType;
  closeType?: TracRouteType;
  dequeueDelay?: number;
  shortCallTime?: number;
  recordCall?: 0 | 1;
  revMatch?: 0 | 1;
  voicemailEnabled?: 0 | 1;
  monSched?: string;
  tueSched?: string;
  wedSched?: string;
  thuSched?: string;
  friSched?: string;
  satSched?: string;
  sunSched?: string;
}

/** `AccessTokenUserDetails`: what the token exchange and refresh return (the parts we use). */
export interface AccessTokenUserDetails {
  accessToken: string;
  refreshToken?: string;
  tokenType?: string;
  mainAccountId?: string;
  adminId?: string;
}

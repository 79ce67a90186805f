/**
 * The sandbox's in-memory records. They hold only what the sandbox needs to
 * behave; `views.ts` turns them into the contract's wire objects (numeric ids,
 * embedded Skinny objects, epoch-ms dates).
 */

export interface MainAccountRec {
  mainAccountId: string;
  mainAccountName: string;
}

export interface AccountRec {
  accountId: string;
  accountName: string;
  /** Epoch ms. */
  startDate: number;
  /** The account's default outbound caller id (a DNIS). */
  defaultCallerid: string;
}

export interface GateGroupRec {
  gateGroupId: number;
  accountId: string;
  groupName: string;
  billingKey: string;
  createdOn: number;
}

export interface GateRec {
  gateId: number;
  gateGroupId: number;
  accountId: string;
  gateName: string;
  gateDesc: string;
  isActive: boolean;
  gateOpen: boolean;
  gatePriority: number;
  slaTime: number;
  wrapTime: number;
  maxQueueLimit: number;
  shortCallTime: number;
  longCallTime: number;
  recordCall: 0 | 1;
  revMatch: boolean;
  billingCode: string;
  createdOn: number;
  weekdaySched: string;
  weekendSched: string;
}

export interface VisualIvrRec {
  visualIvrId: number;
  visualIvrGroupId: number;
  accountId: string;
  visualIvrName: string;
  visualIvrDesc: string;
  isActive: boolean;
}

export interface CloudGroupRec {
  cloudGroupId: number;
  accountId: string;
  groupName: string;
  isDefault: boolean;
}

export interface CloudProfileRec {
  cloudProfileId: number;
  cloudGroupId: number;
  accountId: string;
  profileName: string;
  profileDesc: string;
  routingType: string;
  isActive: boolean;
  billingCode: string;
}

export interface CloudDestinationRec {
  cloudDestinationId: number;
  cloudGroupId: number;
  destinationName: string;
  isActive: boolean;
}

export interface TracGroupRec {
  tracGroupId: number;
  accountId: string;
  groupName: string;
  isDefault: boolean;
}

export type TracRouteType = 'STANDARD' | 'STANDARD_PARALLEL' | 'LOCATOR';

/** A tracking number; the DNIS it owns is the assignment whose destination is this tracId. */
export interface TracNumberRec {
  tracId: number;
  tracGroupId: number;
  accountId: string;
  description: string;
  billingCode: string;
  billingKey: string;
  introMsg: string;
  whisperMsg: string;
  endcallMsg: string;
  outboundCallerId: string;
  openType: TracRouteType;
  closeType: TracRouteType;
  openLocatorId: number;
  closeLocatorId: number;
  dequeueDelay: number;
  shortCallTime: number;
  surveyId: number;
  /** 0/1 ints, as the spec types them (not booleans). */
  recordCall: 0 | 1;
  revMatch: 0 | 1;
  voicemailEnabled: 0 | 1;
  monSched: string;
  tueSched: string;
  wedSched: string;
  thuSched: string;
  friSched: string;
  satSched: string;
  sunSched: string;
}

export interface PoolRec {
  /** E.164 digits without "+". */
  dnis: string;
  dnisE164: string;
  reservedAccountId: string;
  dnisDescription: string;
  dnisCategory: string;
  notes: string;
  active: boolean;
  carrier: string;
  dnisManagedByRC: boolean;
  phoneNumbersI18nEnabled: boolean;
  smsEnabled: boolean;
  inboundContext: string;
  vendorId: string;
  /** Epoch ms. */
  dateCreated: number;
  lastModified: number;
  lastModifiedBy: string;
}

export type DestinationKind = 'gate' | 'visualIvr' | 'cloudRouteProfile' | 'tracNumber';

export interface Destination {
  kind: DestinationKind;
  id: number;
}

export interface AssignmentRec {
  dnis: string;
  destination: Destination;
  dnisDescription: string;
  isActive: boolean;
  originatingDnis: string;
  /** Epoch ms. */
  startDate: number;
  endDate?: number;
}

/** Everything the sandbox holds; the seed builds one and `reset()` restores a copy. */
export interface RingCxData {
  mainAccount: MainAccountRec;
  accounts: AccountRec[];
  gateGroups: GateGroupRec[];
  gates: GateRec[];
  visualIvrs: VisualIvrRec[];
  cloudGroups: CloudGroupRec[];
  cloudProfiles: CloudProfileRec[];
  cloudDestinations: CloudDestinationRec[];
  tracGroups: TracGroupRec[];
  tracNumbers: TracNumberRec[];
  pool: PoolRec[];
  assignments: AssignmentRec[];
}

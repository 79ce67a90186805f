import type {
  AccountRec,
  AssignmentRec,
  CloudDestinationRec,
  CloudGroupRec,
  CloudProfileRec,
  GateGroupRec,
  GateRec,
  MainAccountRec,
  PoolRec,
  TracGroupRec,
  TracNumberRec,
  VisualIvrRec,
} from './model.js';

/**
 * Wire objects exactly as the spec names them. Absent values are omitted
 * rather than sent as null: the spec declares no field nullable, and a
 * contract-valid sandbox keeps the clients honest about optional fields.
 */
export type Json = Record<string, unknown>;

const PERMISSIONS = ['CREATE', 'READ', 'UPDATE', 'DELETE', 'REPORT'];

/** What a view needs to resolve the objects an assignment points at. */
export interface Lookup {
  gate(id: number): GateRec | undefined;
  gateGroup(id: number): GateGroupRec | undefined;
  visualIvr(id: number): VisualIvrRec | undefined;
  cloudProfile(id: number): CloudProfileRec | undefined;
  tracNumber(id: number): TracNumberRec | undefined;
  assignment(dnis: string): AssignmentRec | undefined;
  pool(dnis: string): PoolRec | undefined;
}

function optional(value: string): string | undefined {
  return value === '' ? undefined : value;
}

export function accountView(account: AccountRec, main: MainAccountRec): Json {
  return {
    accountId: account.accountId,
    accountName: account.accountName,
    mainAccountId: main.mainAccountId,
    mainAccountName: main.mainAccountName,
    mainAccount: {
      mainAccountId: main.mainAccountId,
      mainAccountName: main.mainAccountName,
      enablePhoneNumbersI18n: true,
      isActive: 1,
      dataRetentionDays: 365,
    },
    archivedAccount: false,
    startDate: account.startDate,
    defaultCallerid: optional(account.defaultCallerid),
    enableInbound: true,
    enableOutbound: true,
    enableTracking: true,
    enableVisualIvr: true,
    enableCloudRouting: true,
    enableChat: false,
    dataRetentionDays: 365,
    audioRetentionDays: 90,
    rcAccountAccess: 'ENABLED',
    recordingAccessMode: 'ACCOUNT',
    wfmType: 'NONE',
  };
}

export function gateGroupV2View(group: GateGroupRec): Json {
  return { gateGroupId: group.gateGroupId, groupName: group.groupName, accountId: group.accountId, billingKey: group.billingKey };
}

export function gateSkinnyView(gate: GateRec, lookup: Lookup): Json {
  const group = lookup.gateGroup(gate.gateGroupId);
  return {
    gateId: gate.gateId,
    gateName: gate.gateName,
    gateGroupId: gate.gateGroupId,
    groupId: gate.gateGroupId,
    accountId: gate.accountId,
    isActive: gate.isActive,
    ...(group && { gateGroup: gateGroupV2View(group) }),
  };
}

export function visualIvrSkinnyView(ivr: VisualIvrRec): Json {
  return {
    visualIvrId: ivr.visualIvrId,
    visualIvrName: ivr.visualIvrName,
    visualIvrDesc: ivr.visualIvrDesc,
    visualIvrGroupId: ivr.visualIvrGroupId,
    groupId: ivr.visualIvrGroupId,
    accountId: ivr.accountId,
    isActive: ivr.isActive,
    isDeleted: false,
  };
}

/** Note the field is `cloudProfileId` although the assignment path says `cloudRouteProfileId`. */
export function cloudProfileSkinnyView(profile: CloudProfileRec): Json {
  return {
    cloudProfileId: profile.cloudProfileId,
    profileName: profile.profileName,
    cloudGroupId: profile.cloudGroupId,
    groupId: profile.cloudGroupId,
    accountId: profile.accountId,
    isActive: profile.isActive,
    isDeleted: false,
  };
}

export function tracNumberSkinnyView(trac: TracNumberRec): Json {
  return {
    tracId: trac.tracId,
    tracGroupId: trac.tracGroupId,
    groupId: trac.tracGroupId,
    accountId: trac.accountId,
    description: trac.description,
  };
}

const END_POINT_TYPE = { gate: 'GATE', visualIvr: 'VISUAL_IVR', cloudRouteProfile: 'CLOUD_PROFILE', tracNumber: 'TRAC_NUMBER' } as const;

/**
 * An `AssignedDnis` with the Skinny object of its destination embedded (the
 * one populated member tells which product owns the number). `embedDestination`
 * is false inside a TracNumber, whose own fields already say where it points.
 */
export function assignedDnisView(assignment: AssignmentRec, lookup: Lookup, embedDestination = true): Json {
  const pool = lookup.pool(assignment.dnis);
  const { kind, id } = assignment.destination;
  const view: Json = {
    dnis: assignment.dnis,
    dnisE164: pool?.dnisE164 ?? `+${assignment.dnis}`,
    dnisDescription: assignment.dnisDescription,
    isActive: assignment.isActive,
    originatingDnis: optional(assignment.originatingDnis),
    startDate: assignment.startDate,
    endDate: assignment.endDate,
    endPointId: String(id),
    endPointType: END_POINT_TYPE[kind],
    phoneNumbersI18nEnabled: pool?.phoneNumbersI18nEnabled ?? true,
  };
  if (!embedDestination) return view;
  if (kind === 'gate') {
    const gate = lookup.gate(id);
    if (gate) view.gate = gateSkinnyView(gate, lookup);
  } else if (kind === 'visualIvr') {
    const ivr = lookup.visualIvr(id);
    if (ivr) view.visualIvr = visualIvrSkinnyView(ivr);
  } else if (kind === 'cloudRouteProfile') {
    const profile = lookup.cloudProfile(id);
    if (profile) view.cloudRouteProfile = cloudProfileSkinnyView(profile);
  } else {
    const trac = lookup.tracNumber(id);
    if (trac) view.tracNumber = tracNumberSkinnyView(trac);
  }
  return view;
}

/** The flat pool fields shared by `DnisPool` and the search rows. */
function poolFields(record: PoolRec): Json {
  return {
    dnis: record.dnis,
    dnisE164: record.dnisE164,
    dnisDescription: record.dnisDescription,
    dnisCategory: record.dnisCategory,
    notes: optional(record.notes),
    active: record.active,
    carrier: record.carrier,
    dnisManagedByRC: record.dnisManagedByRC,
    smsEnabled: record.smsEnabled,
    inboundContext: optional(record.inboundContext),
    vendorId: optional(record.vendorId),
    lastModifiedBy: record.lastModifiedBy,
  };
}

/** `DnisPool`: dates are joda DateTime in the spec; we send epoch ms. */
export function dnisPoolView(record: PoolRec, lookup: Lookup): Json {
  const assignment = lookup.assignment(record.dnis);
  return {
    ...poolFields(record),
    reservedAccountId: record.reservedAccountId,
    phoneNumbersI18nEnabled: record.phoneNumbersI18nEnabled,
    dateCreated: record.dateCreated,
    lastModified: record.lastModified,
    ...(assignment && { assignedDnis: assignedDnisView(assignment, lookup) }),
  };
}

/** ASSIGNED, UNASSIGNED or INACTIVE: the `dnisState` of a search row (and the filter values). */
export function dnisState(record: PoolRec, lookup: Lookup): string {
  if (!record.active) return 'INACTIVE';
  return lookup.assignment(record.dnis) ? 'ASSIGNED' : 'UNASSIGNED';
}

/**
 * `DnisRecordDTO` (v2 searchDnis rows): no `reservedAccountId` (the account
 * is the enclosing `entries` key) and, unlike `DnisPool`, string dates (the
 * spec types them `string`; we send ISO-8601).
 */
export function dnisRecordView(record: PoolRec, lookup: Lookup): Json {
  const assignment = lookup.assignment(record.dnis);
  return {
    ...poolFields(record),
    dnisState: dnisState(record, lookup),
    dateCreated: new Date(record.dateCreated).toISOString(),
    lastModified: new Date(record.lastModified).toISOString(),
    ...(assignment && { assignedDnis: assignedDnisView(assignment, lookup) }),
  };
}

/** v1 searchDnis rows: the doc's illustrative shape carries `reservedAccountId`. */
export function dnisRecordV1View(record: PoolRec, lookup: Lookup): Json {
  return { ...dnisRecordView(record, lookup), reservedAccountId: record.reservedAccountId };
}

export function gateView(gate: GateRec, group?: GateGroupRec): Json {
  return {
    gateId: gate.gateId,
    gateName: gate.gateName,
    gateDesc: gate.gateDesc,
    isActive: gate.isActive,
    gateOpen: gate.gateOpen,
    gatePriority: gate.gatePriority,
    slaTime: gate.slaTime,
    wrapTime: gate.wrapTime,
    maxQueueLimit: gate.maxQueueLimit,
    shortCallTime: gate.shortCallTime,
    longCallTime: gate.longCallTime,
    recordCall: gate.recordCall,
    revMatch: gate.revMatch,
    billingCode: gate.billingCode,
    createdOn: gate.createdOn,
    requeueType: 'ADVANCED',
    phoneNumbersI18nEnabled: true,
    monSched: gate.weekdaySched,
    tueSched: gate.weekdaySched,
    wedSched: gate.weekdaySched,
    thuSched: gate.weekdaySched,
    friSched: gate.weekdaySched,
    satSched: gate.weekendSched,
    sunSched: gate.weekendSched,
    permissions: PERMISSIONS,
    ...(group && { gateGroup: gateGroupView(group) }),
  };
}

export function gateGroupView(group: GateGroupRec, gates?: GateRec[]): Json {
  return {
    gateGroupId: group.gateGroupId,
    groupName: group.groupName,
    billingKey: group.billingKey,
    createdOn: group.createdOn,
    permissions: PERMISSIONS,
    ...(gates && { gates: gates.map((gate) => gateView(gate)) }),
  };
}

export function cloudDestinationSkinnyView(destination: CloudDestinationRec): Json {
  // The spec types this cloudGroupId as a string (unlike everywhere else).
  return {
    cloudDestinationId: destination.cloudDestinationId,
    destinationName: destination.destinationName,
    cloudGroupId: String(destination.cloudGroupId),
    isActive: destination.isActive,
  };
}

export function cloudRouteGroupSkinnyView(group: CloudGroupRec, profiles: CloudProfileRec[], destinations: CloudDestinationRec[]): Json {
  return {
    cloudGroupId: group.cloudGroupId,
    groupName: group.groupName,
    accountId: group.accountId,
    cloudRouteProfiles: profiles.map(cloudProfileSkinnyView),
    cloudRouteDestinations: destinations.map(cloudDestinationSkinnyView),
  };
}

export function cloudRouteGroupView(group: CloudGroupRec, children?: { profiles: CloudProfileRec[]; destinations: CloudDestinationRec[] }): Json {
  return {
    cloudGroupId: group.cloudGroupId,
    groupName: group.groupName,
    isDefault: group.isDefault,
    permissions: PERMISSIONS,
    // The spec's springfox "Collection*" schemas are opaque objects; a Java
    // Collection serialises as a JSON array, which is what we send.
    ...(children && {
      cloudRouteProfiles: children.profiles.map((profile) => cloudProfileView(profile)),
      cloudRouteDestinations: children.destinations.map(cloudDestinationSkinnyView),
    }),
  };
}

export function cloudProfileView(profile: CloudProfileRec, group?: CloudGroupRec): Json {
  return {
    cloudProfileId: profile.cloudProfileId,
    profileName: profile.profileName,
    profileDesc: profile.profileDesc,
    routingType: profile.routingType,
    isActive: profile.isActive,
    isDeleted: false,
    billingCode: profile.billingCode,
    recordCall: true,
    revMatch: false,
    permissions: PERMISSIONS,
    ...(group && { cloudRouteGroup: cloudRouteGroupView(group) }),
  };
}

export function tracGroupView(group: TracGroupRec, tracNumbers?: Json[]): Json {
  return {
    tracGroupId: group.tracGroupId,
    groupName: group.groupName,
    isDefault: group.isDefault,
    permissions: PERMISSIONS,
    ...(tracNumbers && { tracNumbers }),
  };
}

/**
 * `TracNumber` in the spec's shape: the number lives in `assignedDnis.dnis`,
 * the group in `tracGroup`, and the flags are 0/1 ints. `withGroup` is false
 * inside `tracGroups/withChildren`, where the group encloses the number.
 */
export function tracNumberView(trac: TracNumberRec, group: TracGroupRec | undefined, assignment: AssignmentRec | undefined, lookup: Lookup, withGroup = true): Json {
  return {
    tracId: trac.tracId,
    accountId: trac.accountId,
    description: trac.description,
    ...(withGroup && group && { tracGroup: tracGroupView(group) }),
    ...(assignment && { assignedDnis: assignedDnisView(assignment, lookup, false) }),
    billingCode: trac.billingCode,
    billingKey: trac.billingKey,
    introMsg: trac.introMsg,
    whisperMsg: trac.whisperMsg,
    endcallMsg: trac.endcallMsg,
    outboundCallerId: optional(trac.outboundCallerId),
    openType: trac.openType,
    closeType: trac.closeType,
    openLocatorId: trac.openLocatorId,
    closeLocatorId: trac.closeLocatorId,
    dequeueDelay: trac.dequeueDelay,
    shortCallTime: trac.shortCallTime,
    surveyId: trac.surveyId,
    recordCall: trac.recordCall,
    revMatch: trac.revMatch,
    voicemailEnabled: trac.voicemailEnabled,
    monSched: trac.monSched,
    tueSched: trac.tueSched,
    wedSched: trac.wedSched,
    thuSched: trac.thuSched,
    friSched: trac.friSched,
    satSched: trac.satSched,
    sunSched: trac.sunSched,
    permissions: PERMISSIONS,
  };
}

/**
 * What each GraphQL type is resolved from: provider wire records, kept in the
 * provider's own casing, wrapped where the graph needs more than one record
 * (a number merged across providers) or a discriminator (the members of the
 * `AssignmentDestination` union). codegen's `mappers` bind the schema's types
 * to these, so resolvers are typed end to end.
 */
import type { UserError } from '../__generated__/resolvers-types.js';
import type { NormalizedPhoneNumber } from '../domain/phone-number.js';
import type { RcAccountInfo, RcAccountPhoneNumber, RcCompanyPhoneNumber, RcExtension, RcForwardingNumber } from '../providers/ringcentral/index.js';
import type {
  CloudRouteProfileSkinny,
  DnisRecord,
  Gate,
  GateSkinnyAssignable,
  TracGroup,
  TracNumber,
  VisualIvrSkinny,
} from '../providers/ringcx/index.js';
import type { RingyoPhoneNumber } from '../providers/ringyo/index.js';
import type { ZendeskAvailableNumber, ZendeskGroup, ZendeskIvr, ZendeskPhoneNumber } from '../providers/zendesk/index.js';

/** A RingCX DNIS pool record (from `searchDnis`, or `tnManager/search` for a fresh lookup). */
export interface RingCxSourceModel {
  provider: 'ringcx';
  e164: string;
  providerId: string;
  /** When the index last confirmed this record (absent on a fresh read). */
  syncedAt?: string;
  record: DnisRecord;
}

/** A RingCentral number: the v2 record (every number, inventory included) plus the v1 one where it exists (payment type, location). */
export interface RingCentralSourceModel {
  provider: 'ringcentral';
  e164: string;
  providerId: string;
  /** When the index last confirmed this record (absent on a fresh read). */
  syncedAt?: string;
  record: RcAccountPhoneNumber;
  v1?: RcCompanyPhoneNumber;
}

/** A Zendesk Talk number. */
export interface ZendeskSourceModel {
  provider: 'zendesk';
  e164: string;
  providerId: string;
  /** When the index last confirmed this record (absent on a fresh read). */
  syncedAt?: string;
  record: ZendeskPhoneNumber;
}

/** A Ringyo number. */
export interface RingyoSourceModel {
  provider: 'ringyo';
  e164: string;
  providerId: string;
  /** When the index last confirmed this record (absent on a fresh read). */
  syncedAt?: string;
  record: RingyoPhoneNumber;
}

/** One provider's record of a number (`PhoneNumberSource`). */
export type NumberSourceModel = RingCxSourceModel | RingCentralSourceModel | ZendeskSourceModel | RingyoSourceModel;

/** A `PhoneNumber`: one E.164 number and every provider record of it, in provider order. */
export interface PhoneNumberModel {
  e164: string;
  parsed: Pick<NormalizedPhoneNumber, 'country' | 'national' | 'international' | 'tollFree'>;
  sources: NumberSourceModel[];
}

/** A page of numbers read from the index; the count is made only when a query selects `totalCount`. */
export interface PhoneNumberConnectionModel {
  edges: { cursor: string; node: PhoneNumberModel }[];
  nodes: PhoneNumberModel[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  count(): Promise<number>;
}

/** A RingCX queue (gate): what an assignment embeds, and the full gate once the queue directory is loaded. */
export interface QueueModel {
  kind: 'Queue';
  accountId: string;
  gateId: string;
  skinny?: GateSkinnyAssignable;
  gate?: Gate;
  group?: { id: string; name: string };
}

/** A RingCX Visual IVR, known only from the assignments that embed it. */
export interface VisualIvrModel {
  kind: 'VisualIvr';
  visualIvrId: string;
  skinny: VisualIvrSkinny;
}

/** A RingCX cloud route profile. */
export interface CloudRouteProfileModel {
  kind: 'CloudRouteProfile';
  cloudProfileId: string;
  accountId?: string;
  skinny?: CloudRouteProfileSkinny;
  groupName?: string;
}

/** A RingCX tracking number: the full record from the tracking directory, or what an assignment embeds. */
export interface TrackingNumberModel {
  kind: 'TrackingNumber';
  accountId: string;
  tracGroupId: string;
  tracId: string;
  description?: string;
  /** The tracked number, when the assignment that named this tracking number is at hand. */
  e164?: string;
  /** Whether its DNIS assignment is active, when known without loading the record. */
  active?: boolean;
  number?: TracNumber;
}

/** A RingCentral extension. */
export interface ExtensionModel {
  kind: 'Extension';
  extension: RcExtension;
}

/** A Zendesk Support group. */
export interface ZendeskGroupModel {
  kind: 'ZendeskGroup';
  group: ZendeskGroup;
}

/** A Zendesk Talk IVR. */
export interface ZendeskIvrModel {
  kind: 'ZendeskIvr';
  ivr: ZendeskIvr;
}

/** A Ringyo AI agent, known only by id. */
export interface VoiceAgentModel {
  kind: 'VoiceAgent';
  agentId: string;
}

/** Anything a number routes to (`AssignmentDestination`). */
export type DestinationModel =
  | QueueModel
  | VisualIvrModel
  | CloudRouteProfileModel
  | TrackingNumberModel
  | ExtensionModel
  | ZendeskGroupModel
  | ZendeskIvrModel
  | VoiceAgentModel;

/** A destination known only by reference; resolvers load the record when a query asks. */
export type DestinationRefModel =
  | { kind: 'ExtensionRef'; extensionId: string }
  | { kind: 'ZendeskGroupRef'; groupId: string }
  | { kind: 'ZendeskIvrRef'; ivrId: string };

/**
 * Where one provider routes a number, normalised across providers. The
 * destination carries what the provider embedded (RingCX names) or a
 * reference; it is built from inventory records for queries, and from the
 * provider's answer for mutation payloads.
 */
export interface AssignmentModel {
  e164: string;
  provider: 'ringcx' | 'ringcentral' | 'zendesk' | 'ringyo';
  active: boolean;
  description: string | null;
  startDate: Date | string | null;
  endDate: Date | string | null;
  destination: DestinationModel | DestinationRefModel;
  /** Where calls go next, in order (Zendesk's further groups). */
  fallbacks: (DestinationModel | DestinationRefModel)[];
}

/** A RingCX tracking group with the sub-account it lives in. */
export interface TrackingGroupModel {
  accountId: string;
  group: TracGroup;
}

export type AccountModel = RcAccountInfo;
export type ForwardingNumberModel = RcForwardingNumber;
export type AvailablePhoneNumberModel = ZendeskAvailableNumber;

/** A file from the GraphQL multipart request spec (graphql-upload's `FileUpload`). */
export interface FileUploadModel {
  filename: string;
  mimetype: string;
  encoding: string;
  createReadStream(): NodeJS.ReadableStream;
}

/** Row counts of an upload. */
export interface UploadTotalsModel {
  rows: number;
  created: number;
  exists: number;
  duplicate: number;
  invalid: number;
  failed: number;
}

/** A stored upload report (`PhoneNumberUpload`); its rows are read from the store page by page. */
export interface UploadModel {
  id: string;
  dryRun: boolean;
  replayed: boolean;
  totals: UploadTotalsModel;
}

/** One row of an upload report. */
export interface UploadRowModel {
  line: number;
  phoneNumber: string | null;
  status: 'CREATED' | 'EXISTS' | 'DUPLICATE' | 'INVALID' | 'FAILED';
  message: string | null;
}

/** A routing mutation's payload; `phoneNumber` is loaded only if the client asks for it. */
export interface RoutingPayloadModel {
  /** The number the mutation was about, once it could be read. */
  e164: string | null;
  previous?: AssignmentModel | null;
  assignment?: AssignmentModel | null;
  /** A dry run's result: where the number would route. */
  planned?: AssignmentModel | null;
  /** The journal intent the change opened, when it got that far. */
  changeId?: string | null;
  plan?: { provider: 'RINGCX' | 'RINGCENTRAL' | 'ZENDESK' | 'RINGYO'; call: string; description: string }[];
  dryRun?: boolean;
  userErrors: UserError[];
}

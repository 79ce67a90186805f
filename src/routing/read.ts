import type { RcAccountPhoneNumber, RcCompanyPhoneNumber } from '../providers/ringcentral/index.js';
import type { AssignedDnis } from '../providers/ringcx/index.js';
import type { RingyoPhoneNumber } from '../providers/ringyo/index.js';
import type { ZendeskPhoneNumber } from '../providers/zendesk/index.js';
import type { CurrentRouting, Destination, Routing } from './model.js';

/**
 * The one reading of "where does this number route" from a provider's own
 * record. Queries read it from the inventory's records and mutations from a
 * fresh read, through these same functions, so the two can never disagree.
 */

/**
 * RingCX: the assignment embeds its destination. `accountId` is the
 * sub-account the DNIS is filed under, for assignments that do not repeat it.
 */
export function ringcxRouting(assigned: AssignedDnis | null | undefined, accountId = ''): Routing | null {
  if (!assigned) return null;
  const destination = ringcxDestination(assigned, accountId);
  if (!destination) return null;
  const { gate, visualIvr, cloudRouteProfile, tracNumber } = assigned;
  return {
    destination,
    name: gate?.gateName ?? visualIvr?.visualIvrName ?? cloudRouteProfile?.profileName ?? tracNumber?.description ?? null,
    description: assigned.dnisDescription ?? null,
    active: assigned.isActive !== false,
    startDate: assigned.startDate ?? null,
    endDate: assigned.endDate ?? null,
    fallbacks: [],
    ringcx: assigned,
  };
}

function ringcxDestination(assigned: AssignedDnis, accountId: string): Destination | null {
  const { gate, visualIvr, cloudRouteProfile, tracNumber } = assigned;
  if (gate) return { provider: 'ringcx', type: 'Queue', accountId: gate.accountId ?? accountId, gateId: gate.gateId };
  if (visualIvr) return { provider: 'ringcx', type: 'VisualIvr', visualIvrId: visualIvr.visualIvrId };
  if (cloudRouteProfile) return { provider: 'ringcx', type: 'CloudRouteProfile', cloudProfileId: cloudRouteProfile.cloudProfileId };
  if (tracNumber) {
    return {
      provider: 'ringcx',
      type: 'TrackingNumber',
      accountId: tracNumber.accountId ?? accountId,
      tracGroupId: tracNumber.tracGroupId ?? tracNumber.groupId ?? '',
      tracId: tracNumber.tracId,
    };
  }
  return null;
}

/** Usage types that route calls somewhere other than an extension: never taken over silently. */
const RINGCENTRAL_IN_USE: Record<string, string> = {
  MainCompanyNumber: "it is the account's main company number",
  ContactCenterNumber: 'it routes to the contact center (ContactCenterNumber)',
  CompanyFaxNumber: "it is the company's fax number",
  ConferencingNumber: 'it is a conferencing number',
  MeetingsNumber: 'it is a meetings number',
  ELIN: 'it is an emergency location number',
};

/**
 * RingCentral: a number routes to the extension that owns it. A pending or
 * inactive number takes no calls, so its routing is not active.
 */
export function ringcentralRouting(number: RcAccountPhoneNumber | RcCompanyPhoneNumber): Routing | null {
  const extension = number.extension;
  if (!extension?.id) return null;
  return {
    destination: { provider: 'ringcentral', type: 'Extension', extensionId: extension.id },
    name: 'name' in extension ? (extension.name ?? null) : null,
    description: number.label ?? null,
    active: number.status !== 'Pending' && number.activationStatus !== 'Inactive',
    startDate: null,
    endDate: null,
    fallbacks: [],
  };
}

/** RingCentral's answer with what keeps a company-level number from being taken over. */
export function ringcentralCurrent(number: RcAccountPhoneNumber | RcCompanyPhoneNumber): CurrentRouting {
  const blockedBy = RINGCENTRAL_IN_USE[number.usageType];
  return { held: true, routing: ringcentralRouting(number), ...(blockedBy && { blockedBy }) };
}

/**
 * Zendesk Talk: an IVR answers before any group; otherwise the default group
 * (or the first), then the further groups in order. Talk keeps no routing
 * description: the nickname labels the number, not its routing.
 */
export function zendeskRouting(number: ZendeskPhoneNumber): Routing | null {
  const groups = number.group_ids;
  const main: Destination | null = number.ivr_id
    ? { provider: 'zendesk', type: 'ZendeskIvr', ivrId: number.ivr_id }
    : (number.default_group_id ?? groups[0])
      ? { provider: 'zendesk', type: 'ZendeskGroup', groupId: (number.default_group_id ?? groups[0])! }
      : null;
  if (!main) return null;
  const mainGroup = main.type === 'ZendeskGroup' ? main.groupId : null;
  return {
    destination: main,
    name: null,
    description: null,
    active: number.voice_enabled !== false,
    startDate: null,
    endDate: null,
    fallbacks: groups.filter((id) => id !== mainGroup).map((groupId) => ({ provider: 'zendesk', type: 'ZendeskGroup', groupId })),
  };
}

/** Ringyo: the default AI agent answers; Ringyo keeps no routing description. */
export function ringyoRouting(number: RingyoPhoneNumber): Routing | null {
  if (!number.default_agent_id) return null;
  return {
    destination: { provider: 'ringyo', type: 'VoiceAgent', agentId: number.default_agent_id },
    name: null,
    description: null,
    active: number.status === 'active',
    startDate: null,
    endDate: null,
    fallbacks: [],
  };
}

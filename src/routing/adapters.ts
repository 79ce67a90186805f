import { ProviderError, type ProviderName } from '../providers/index.js';
import type { RingCentralApi, RcAccountPhoneNumber, RcCompanyPhoneNumber } from '../providers/ringcentral/index.js';
import type { AssignedDnis, RingCxApi } from '../providers/ringcx/index.js';
import type { RingyoApi } from '../providers/ringyo/index.js';
import type { ZendeskApi, ZendeskPhoneNumber } from '../providers/zendesk/index.js';
import type { CurrentRouting, Destination, Routing } from './model.js';

/** How to find a number at each provider: RingCX by DNIS, the others by their own ids. */
export interface NumberLocation {
  e164: string;
  ringcentralId?: string;
  zendeskId?: string;
  ringyoId?: string;
}

/** The description and active flag a routing is given. */
export interface RoutingOptions {
  description: string | null;
  active: boolean;
}

/** One provider call of a change, for plans and dry runs. */
export interface PlannedCall {
  provider: ProviderName;
  call: string;
  description: string;
}

/**
 * What Switchboard can do to a number's routing at one provider. Reads are
 * always fresh (never the cache): a change is decided on the provider's
 * current state, not on a snapshot up to a minute old.
 */
export interface RoutingAdapter {
  readonly provider: ProviderName;
  /** Whether the provider's API can change routing at all. */
  readonly writable: boolean;
  current(location: NumberLocation): Promise<CurrentRouting>;
  /** Routes a number that routes nowhere at this provider. */
  assign(location: NumberLocation, to: Destination, options: RoutingOptions): Promise<Routing>;
  /**
   * Moves a routed number in one call, where the provider can do that
   * atomically. RingCX cannot (a DNIS assigned elsewhere is refused), so it
   * has no `move` and a move there is a remove-then-add saga.
   */
  move?(location: NumberLocation, to: Destination, options: RoutingOptions): Promise<Routing>;
  unassign(location: NumberLocation): Promise<void>;
  plan: {
    assign(to: Destination, location: NumberLocation): PlannedCall;
    unassign(location: NumberLocation): PlannedCall;
    move?(to: Destination, location: NumberLocation): PlannedCall;
  };
}

const TNM = '/voice/api/v1/admin/utilities/tnManager/assignedDnis';

/** RingCX: assignments of DNIS to queues, Visual IVRs, cloud route profiles (and tracking numbers). */
export class RingCxRouting implements RoutingAdapter {
  readonly provider = 'ringcx';
  readonly writable = true;

  constructor(private readonly ringcx: RingCxApi) {}

  async current(location: NumberLocation): Promise<CurrentRouting> {
    try {
      const assigned = await this.ringcx.getAssignedDnis(dnisOf(location));
      return { held: true, routing: assigned && ringcxRouting(assigned) };
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NOT_FOUND') return { held: false };
      throw error;
    }
  }

  async assign(location: NumberLocation, to: Destination, options: RoutingOptions): Promise<Routing> {
    const items = [{ dnis: dnisOf(location), isActive: options.active, ...(options.description !== null && { dnisDescription: options.description }) }];
    let answer: AssignedDnis[];
    switch (to.type) {
      case 'Queue':
        answer = await this.ringcx.assignToGate(to.gateId, items);
        break;
      case 'VisualIvr':
        answer = await this.ringcx.assignToVisualIvr(to.visualIvrId, items);
        break;
      case 'CloudRouteProfile':
        answer = await this.ringcx.assignToCloudRouteProfile(to.cloudProfileId, items);
        break;
      default:
        throw new Error(`RingCX cannot route a DNIS to a ${to.type} this way`);
    }
    const assigned = answer.find((a) => a.dnis === dnisOf(location)) ?? answer[0];
    const routing = assigned && ringcxRouting(assigned);
    return routing ?? { destination: to, name: null, description: options.description, active: options.active };
  }

  async unassign(location: NumberLocation): Promise<void> {
    try {
      await this.ringcx.deleteAssignedDnis(dnisOf(location));
    } catch (error) {
      // Already unassigned (a retried DELETE whose first answer was lost): the goal is met.
      if (error instanceof ProviderError && error.code === 'NOT_FOUND' && error.providerCode === 'dnis.not.assigned.exception') return;
      throw error;
    }
  }

  plan = {
    assign: (to: Destination, location: NumberLocation): PlannedCall => ({
      provider: 'ringcx',
      call: `PUT ${TNM}/${to.type === 'Queue' ? `gates/${to.gateId}` : to.type === 'VisualIvr' ? `visualIvrs/${to.visualIvrId}` : to.type === 'CloudRouteProfile' ? `cloudRouteProfiles/${to.cloudProfileId}` : '?'}`,
      description: `Assign DNIS ${dnisOf(location)} to the new destination`,
    }),
    unassign: (location: NumberLocation): PlannedCall => ({
      provider: 'ringcx',
      call: `DELETE ${TNM}/${dnisOf(location)}`,
      description: `Remove DNIS ${dnisOf(location)}'s current assignment`,
    }),
  };
}

function dnisOf(location: NumberLocation): string {
  return location.e164.slice(1);
}

/** A RingCX assignment as a routing; null when it names no destination. */
export function ringcxRouting(assigned: AssignedDnis): Routing | null {
  const base = { description: assigned.dnisDescription ?? null, active: assigned.isActive !== false };
  const { gate, visualIvr, cloudRouteProfile, tracNumber } = assigned;
  if (gate) return { ...base, destination: { provider: 'ringcx', type: 'Queue', accountId: gate.accountId ?? '', gateId: gate.gateId }, name: gate.gateName ?? null };
  if (visualIvr) return { ...base, destination: { provider: 'ringcx', type: 'VisualIvr', visualIvrId: visualIvr.visualIvrId }, name: visualIvr.visualIvrName ?? null };
  if (cloudRouteProfile) {
    return { ...base, destination: { provider: 'ringcx', type: 'CloudRouteProfile', cloudProfileId: cloudRouteProfile.cloudProfileId }, name: cloudRouteProfile.profileName ?? null };
  }
  if (tracNumber) {
    return {
      ...base,
      destination: { provider: 'ringcx', type: 'TrackingNumber', accountId: tracNumber.accountId ?? '', tracGroupId: tracNumber.tracGroupId ?? tracNumber.groupId ?? '', tracId: tracNumber.tracId },
      name: tracNumber.description ?? null,
    };
  }
  return null;
}

/** RingCentral: a number is routed when an extension owns it (v2 PATCH moves it in one call). */
export class RingCentralRouting implements RoutingAdapter {
  readonly provider = 'ringcentral';
  readonly writable = true;

  constructor(private readonly ringcentral: RingCentralApi) {}

  async current(location: NumberLocation): Promise<CurrentRouting> {
    const id = location.ringcentralId;
    if (!id) return { held: false };
    const [lookup] = await this.ringcentral.getPhoneNumbers([id]);
    if (lookup?.status === 'error') throw lookup.error;
    if (lookup?.status === 'found') return ringcentralCurrent(lookup.phoneNumber);
    // v1 hides unassigned inventory numbers; v2 shows them (one Heavy call, only here).
    for await (const number of this.ringcentral.listPhoneNumbersV2({ phoneNumber: location.e164 })) {
      if (number.id === id) return ringcentralCurrent(number);
    }
    return { held: false };
  }

  async assign(location: NumberLocation, to: Destination): Promise<Routing> {
    if (to.type !== 'Extension') throw new Error(`RingCentral routes numbers to extensions, not a ${to.type}`);
    const moved = await this.ringcentral.assignPhoneNumber(location.ringcentralId!, { usageType: 'DirectNumber', extension: { id: to.extensionId } });
    return ringcentralRouting(moved) ?? { destination: to, name: null, description: moved.label ?? null, active: true };
  }

  move(location: NumberLocation, to: Destination): Promise<Routing> {
    return this.assign(location, to);
  }

  async unassign(location: NumberLocation): Promise<void> {
    // Off the extension and back to the company: calls reach the auto-receptionist.
    await this.ringcentral.assignPhoneNumber(location.ringcentralId!, { usageType: 'CompanyNumber' });
  }

  plan = {
    assign: (to: Destination, location: NumberLocation): PlannedCall => ({
      provider: 'ringcentral',
      call: `PATCH /restapi/v2/accounts/~/phone-numbers/${location.ringcentralId}`,
      description: `Make it a direct number of extension ${to.type === 'Extension' ? to.extensionId : '?'}`,
    }),
    move: (to: Destination, location: NumberLocation): PlannedCall => ({
      provider: 'ringcentral',
      call: `PATCH /restapi/v2/accounts/~/phone-numbers/${location.ringcentralId}`,
      description: `Move it to extension ${to.type === 'Extension' ? to.extensionId : '?'} in one call`,
    }),
    unassign: (location: NumberLocation): PlannedCall => ({
      provider: 'ringcentral',
      call: `PATCH /restapi/v2/accounts/~/phone-numbers/${location.ringcentralId}`,
      description: 'Make it a company number (answered by the auto-receptionist)',
    }),
  };
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

function ringcentralCurrent(number: RcCompanyPhoneNumber | RcAccountPhoneNumber): CurrentRouting {
  const blockedBy = RINGCENTRAL_IN_USE[number.usageType];
  return { held: true, routing: ringcentralRouting(number), ...(blockedBy && { blockedBy }) };
}

function ringcentralRouting(number: RcCompanyPhoneNumber | RcAccountPhoneNumber): Routing | null {
  const extension = number.extension;
  if (!extension?.id) return null;
  return {
    destination: { provider: 'ringcentral', type: 'Extension', extensionId: extension.id },
    name: 'name' in extension ? (extension.name ?? null) : null,
    description: number.label ?? null,
    active: number.status !== 'Pending',
  };
}

/** Zendesk Talk: a number routes to an IVR or to its groups (one PUT sets them). */
export class ZendeskRouting implements RoutingAdapter {
  readonly provider = 'zendesk';
  readonly writable = true;

  constructor(private readonly zendesk: ZendeskApi) {}

  async current(location: NumberLocation): Promise<CurrentRouting> {
    if (!location.zendeskId) return { held: false };
    try {
      return { held: true, routing: zendeskRouting(await this.zendesk.getPhoneNumber(location.zendeskId)) };
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NOT_FOUND') return { held: false };
      throw error;
    }
  }

  async assign(location: NumberLocation, to: Destination): Promise<Routing> {
    if (to.type !== 'ZendeskGroup') throw new Error(`Switchboard routes Zendesk numbers to groups, not a ${to.type}`);
    const updated = await this.zendesk.updatePhoneNumber(location.zendeskId!, { ivr_id: null, group_ids: [to.groupId], default_group_id: to.groupId });
    return zendeskRouting(updated) ?? { destination: to, name: null, description: null, active: true };
  }

  move(location: NumberLocation, to: Destination): Promise<Routing> {
    return this.assign(location, to);
  }

  async unassign(location: NumberLocation): Promise<void> {
    await this.zendesk.updatePhoneNumber(location.zendeskId!, { ivr_id: null, group_ids: [], default_group_id: null });
  }

  plan = {
    assign: (to: Destination, location: NumberLocation): PlannedCall => ({
      provider: 'zendesk',
      call: `PUT /api/v2/channels/voice/phone_numbers/${location.zendeskId}`,
      description: `Route it to group ${to.type === 'ZendeskGroup' ? to.groupId : '?'}`,
    }),
    move: (to: Destination, location: NumberLocation): PlannedCall => ({
      provider: 'zendesk',
      call: `PUT /api/v2/channels/voice/phone_numbers/${location.zendeskId}`,
      description: `Route it to group ${to.type === 'ZendeskGroup' ? to.groupId : '?'} instead, in one call`,
    }),
    unassign: (location: NumberLocation): PlannedCall => ({
      provider: 'zendesk',
      call: `PUT /api/v2/channels/voice/phone_numbers/${location.zendeskId}`,
      description: 'Clear its groups and IVR',
    }),
  };
}

function zendeskRouting(number: ZendeskPhoneNumber): Routing | null {
  const base = { name: null, description: number.nickname, active: number.voice_enabled !== false };
  if (number.ivr_id) return { ...base, destination: { provider: 'zendesk', type: 'ZendeskIvr', ivrId: number.ivr_id } };
  const groupId = number.default_group_id ?? number.group_ids[0];
  return groupId ? { ...base, destination: { provider: 'zendesk', type: 'ZendeskGroup', groupId } } : null;
}

/** Ringyo: readable, never writable (its API has no writes). */
export class RingyoRouting implements RoutingAdapter {
  readonly provider = 'ringyo';
  readonly writable = false;

  constructor(private readonly ringyo: RingyoApi) {}

  async current(location: NumberLocation): Promise<CurrentRouting> {
    if (!location.ringyoId) return { held: false };
    const number = await this.ringyo.getPhoneNumber(location.ringyoId);
    const agent = number.default_agent_id;
    return {
      held: true,
      routing: agent ? { destination: { provider: 'ringyo', type: 'VoiceAgent', agentId: agent }, name: null, description: number.friendly_name, active: number.status === 'active' } : null,
    };
  }

  assign(): Promise<Routing> {
    return Promise.reject(new Error("Ringyo's API cannot change routing"));
  }

  unassign(): Promise<void> {
    return Promise.reject(new Error("Ringyo's API cannot change routing"));
  }

  plan = {
    assign: (): PlannedCall => ({ provider: 'ringyo', call: '-', description: 'Ringyo has no write API' }),
    unassign: (): PlannedCall => ({ provider: 'ringyo', call: '-', description: 'Ringyo has no write API' }),
  };
}

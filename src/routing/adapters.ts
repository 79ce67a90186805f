import { ProviderError, type ProviderName } from '../providers/index.js';
import type { RingCentralApi } from '../providers/ringcentral/index.js';
import type { AssignedDnis, AssignedDnisInput, RingCxApi, TracNumber } from '../providers/ringcx/index.js';
import type { RingyoApi } from '../providers/ringyo/index.js';
import type { ZendeskApi } from '../providers/zendesk/index.js';
import type { CurrentRouting, Destination, Routing, RoutingTarget } from './model.js';
import { ringcentralCurrent, ringcentralRouting, ringcxRouting, ringyoRouting, zendeskRouting } from './read.js';

/** How to find a number at each provider: RingCX by DNIS, the others by their own ids. */
export interface NumberLocation {
  e164: string;
  /** The RingCX sub-account the DNIS is filed under, for assignments that do not repeat it. */
  ringcxAccountId?: string;
  ringcentralId?: string;
  zendeskId?: string;
  ringyoId?: string;
}

/** One provider call of a change, for plans and dry runs. */
export interface PlannedCall {
  provider: ProviderName;
  call: string;
  description: string;
}

/**
 * What Switchboard can do to a number's routing at one provider. Reads are
 * always fresh (never the cache or the index): a change is decided on the
 * provider's current state. Reading goes through `read.ts`, the same reading
 * queries use.
 */
export interface RoutingAdapter {
  readonly provider: ProviderName;
  /** Whether the provider's API can change routing at all. */
  readonly writable: boolean;
  /**
   * What of a routing besides its destination a change can set here. Only
   * RingCX keeps a routing description and active flag; elsewhere they are
   * read (a label, a status) but not written by a routing change.
   */
  readonly settable: { description: boolean; active: boolean };
  current(location: NumberLocation): Promise<CurrentRouting>;
  /**
   * Makes the number route as `target` says: from routing nowhere, or in
   * place when it already routes to the target's destination (only the
   * description or active flag change).
   */
  assign(location: NumberLocation, target: RoutingTarget): Promise<Routing>;
  /**
   * Moves a routed number in one call, where the provider can do that
   * atomically. RingCX cannot (a DNIS assigned elsewhere is refused), so it
   * has no `move` and a move there is a remove-then-add saga.
   */
  move?(location: NumberLocation, target: RoutingTarget): Promise<Routing>;
  unassign(location: NumberLocation): Promise<void>;
  plan: {
    assign(target: RoutingTarget, location: NumberLocation): PlannedCall;
    unassign(location: NumberLocation): PlannedCall;
    move?(target: RoutingTarget, location: NumberLocation): PlannedCall;
  };
}

const TNM = '/voice/api/v1/admin/utilities/tnManager/assignedDnis';

/** RingCX: assignments of DNIS to queues, Visual IVRs, cloud route profiles and tracking numbers. */
export class RingCxRouting implements RoutingAdapter {
  readonly provider = 'ringcx';
  readonly writable = true;
  readonly settable = { description: true, active: true };

  constructor(private readonly ringcx: RingCxApi) {}

  async current(location: NumberLocation): Promise<CurrentRouting> {
    try {
      const assigned = await this.ringcx.getAssignedDnis(dnisOf(location));
      return { held: true, routing: ringcxRouting(assigned, location.ringcxAccountId) };
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NOT_FOUND') return { held: false };
      throw error;
    }
  }

  async assign(location: NumberLocation, target: RoutingTarget): Promise<Routing> {
    const to = target.destination;
    const item: AssignedDnisInput = { dnis: dnisOf(location), isActive: target.active, ...(target.description !== null && { dnisDescription: target.description }) };
    let answer: AssignedDnis[];
    switch (to.type) {
      case 'Queue':
        answer = await this.ringcx.assignToGate(to.gateId, [item]);
        break;
      case 'VisualIvr':
        answer = await this.ringcx.assignToVisualIvr(to.visualIvrId, [item]);
        break;
      case 'CloudRouteProfile':
        answer = await this.ringcx.assignToCloudRouteProfile(to.cloudProfileId, [item]);
        break;
      case 'TrackingNumber': {
        // A tracking number owns its DNIS's assignment: creating or updating it routes the DNIS.
        const changes = { ...(target.name != null && { description: target.name }), assignedDnis: item };
        const tracked = to.tracId === '' ? await this.ringcx.createTracNumber(to.accountId, to.tracGroupId, changes) : await this.ringcx.updateTracNumber(to.accountId, to.tracGroupId, to.tracId, changes);
        return trackingRouting(to, tracked, target);
      }
      default:
        throw new Error(`RingCX cannot route a DNIS to a ${to.type}`);
    }
    const assigned = answer.find((a) => a.dnis === dnisOf(location)) ?? answer[0];
    return ringcxRouting(assigned, location.ringcxAccountId) ?? { ...target, name: null, startDate: null, endDate: null };
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
    assign: (target: RoutingTarget, location: NumberLocation): PlannedCall => {
      const to = target.destination;
      if (to.type === 'TrackingNumber') {
        const base = `/voice/api/v1/admin/accounts/${to.accountId}/tracGroups/${to.tracGroupId}/tracNumbers`;
        return to.tracId === ''
          ? { provider: 'ringcx', call: `POST ${base}`, description: `Create the tracking number with DNIS ${dnisOf(location)}` }
          : { provider: 'ringcx', call: `PUT ${base}/${to.tracId}`, description: `Update the tracking number and its DNIS ${dnisOf(location)}` };
      }
      const path = to.type === 'Queue' ? `gates/${to.gateId}` : to.type === 'VisualIvr' ? `visualIvrs/${to.visualIvrId}` : to.type === 'CloudRouteProfile' ? `cloudRouteProfiles/${to.cloudProfileId}` : '?';
      return { provider: 'ringcx', call: `PUT ${TNM}/${path}`, description: `Assign DNIS ${dnisOf(location)} to the new destination` };
    },
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

/** A tracking number's answer as the routing of its DNIS (RingCX does not embed the tracking number there). */
function trackingRouting(to: Extract<Destination, { type: 'TrackingNumber' }>, tracked: TracNumber, target: RoutingTarget): Routing {
  const assigned = tracked.assignedDnis;
  return {
    destination: { ...to, tracId: tracked.tracId },
    name: tracked.description ?? target.name ?? null,
    description: assigned?.dnisDescription ?? target.description,
    active: assigned ? assigned.isActive !== false : target.active,
    startDate: assigned?.startDate ?? null,
    endDate: assigned?.endDate ?? null,
    fallbacks: [],
  };
}

/** RingCentral: a number is routed when an extension owns it (v2 PATCH moves it in one call). */
export class RingCentralRouting implements RoutingAdapter {
  readonly provider = 'ringcentral';
  readonly writable = true;
  readonly settable = { description: false, active: false };

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

  async assign(location: NumberLocation, target: RoutingTarget): Promise<Routing> {
    const to = target.destination;
    if (to.type !== 'Extension') throw new Error(`RingCentral routes numbers to extensions, not a ${to.type}`);
    const moved = await this.ringcentral.assignPhoneNumber(location.ringcentralId!, { usageType: 'DirectNumber', extension: { id: to.extensionId } });
    return ringcentralRouting(moved) ?? { ...target, name: null, startDate: null, endDate: null };
  }

  move(location: NumberLocation, target: RoutingTarget): Promise<Routing> {
    return this.assign(location, target);
  }

  async unassign(location: NumberLocation): Promise<void> {
    // Off the extension and back to the company: calls reach the auto-receptionist.
    await this.ringcentral.assignPhoneNumber(location.ringcentralId!, { usageType: 'CompanyNumber' });
  }

  plan = {
    assign: (target: RoutingTarget, location: NumberLocation): PlannedCall => ({
      provider: 'ringcentral',
      call: `PATCH /restapi/v2/accounts/~/phone-numbers/${location.ringcentralId}`,
      description: `Make it a direct number of extension ${extensionIdOf(target)}`,
    }),
    move: (target: RoutingTarget, location: NumberLocation): PlannedCall => ({
      provider: 'ringcentral',
      call: `PATCH /restapi/v2/accounts/~/phone-numbers/${location.ringcentralId}`,
      description: `Move it to extension ${extensionIdOf(target)} in one call`,
    }),
    unassign: (location: NumberLocation): PlannedCall => ({
      provider: 'ringcentral',
      call: `PATCH /restapi/v2/accounts/~/phone-numbers/${location.ringcentralId}`,
      description: 'Make it a company number (answered by the auto-receptionist)',
    }),
  };
}

function extensionIdOf(target: RoutingTarget): string {
  return target.destination.type === 'Extension' ? target.destination.extensionId : '?';
}

/**
 * Zendesk Talk: a number routes to an IVR or to its groups, in order; one
 * PUT sets them. A change sets the main group and keeps the further
 * (overflow) groups the target carries, so nothing it was not asked to
 * change is dropped.
 */
export class ZendeskRouting implements RoutingAdapter {
  readonly provider = 'zendesk';
  readonly writable = true;
  readonly settable = { description: false, active: false };

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

  async assign(location: NumberLocation, target: RoutingTarget): Promise<Routing> {
    const groups = groupsOf(target);
    const updated = await this.zendesk.updatePhoneNumber(location.zendeskId!, { ivr_id: null, group_ids: groups, default_group_id: groups[0]! });
    return zendeskRouting(updated) ?? { ...target, name: null, startDate: null, endDate: null };
  }

  move(location: NumberLocation, target: RoutingTarget): Promise<Routing> {
    return this.assign(location, target);
  }

  async unassign(location: NumberLocation): Promise<void> {
    await this.zendesk.updatePhoneNumber(location.zendeskId!, { ivr_id: null, group_ids: [], default_group_id: null });
  }

  plan = {
    assign: (target: RoutingTarget, location: NumberLocation): PlannedCall => ({
      provider: 'zendesk',
      call: `PUT /api/v2/channels/voice/phone_numbers/${location.zendeskId}`,
      description: `Route it to group${groupsOf(target).length > 1 ? 's' : ''} ${groupsOf(target).join(', ')}`,
    }),
    move: (target: RoutingTarget, location: NumberLocation): PlannedCall => ({
      provider: 'zendesk',
      call: `PUT /api/v2/channels/voice/phone_numbers/${location.zendeskId}`,
      description: `Route it to group ${groupsOf(target)[0]} instead, keeping its further groups (${groupsOf(target).slice(1).join(', ') || 'none'}), in one call`,
    }),
    unassign: (location: NumberLocation): PlannedCall => ({
      provider: 'zendesk',
      call: `PUT /api/v2/channels/voice/phone_numbers/${location.zendeskId}`,
      description: 'Clear its groups and IVR',
    }),
  };
}

/** The group ids a Zendesk target sets, main group first. */
function groupsOf(target: RoutingTarget): string[] {
  const ids = [target.destination, ...target.fallbacks].flatMap((d) => (d.type === 'ZendeskGroup' ? [d.groupId] : []));
  if (target.destination.type !== 'ZendeskGroup') throw new Error(`Switchboard routes Zendesk numbers to groups, not a ${target.destination.type}`);
  return [...new Set(ids)];
}

/** Ringyo: readable, never writable (its API has no writes). */
export class RingyoRouting implements RoutingAdapter {
  readonly provider = 'ringyo';
  readonly writable = false;
  readonly settable = { description: false, active: false };

  constructor(private readonly ringyo: RingyoApi) {}

  async current(location: NumberLocation): Promise<CurrentRouting> {
    if (!location.ringyoId) return { held: false };
    return { held: true, routing: ringyoRouting(await this.ringyo.getPhoneNumber(location.ringyoId)) };
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

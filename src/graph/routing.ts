import { ringcentralRouting, ringcxRouting, ringyoRouting, zendeskRouting } from '../routing/read.js';
import type { Destination, Routing } from '../routing/model.js';
import { ids } from './ids.js';
import type { AssignmentModel, DestinationModel, DestinationRefModel, NumberSourceModel, PhoneNumberModel } from './models.js';

/**
 * The graph's view of routing. Where a number routes is read by
 * `routing/read.ts`, the one reading mutations use too; this module only
 * turns that reading into the graph's `Assignment`s, so a query shows
 * exactly what a mutation calls `previous`.
 */

/** Where one provider's record routes its number (no provider call). */
export function routingOfSource(source: NumberSourceModel): Routing | null {
  switch (source.provider) {
    case 'ringcx':
      return ringcxRouting(source.record.assignedDnis, source.record.accountId ?? '');
    case 'ringcentral':
      return ringcentralRouting(source.record);
    case 'zendesk':
      return zendeskRouting(source.record);
    case 'ringyo':
      return ringyoRouting(source.record);
  }
}

/** Where each provider routes a number, from the records we already hold. */
export function assignmentsOf(number: PhoneNumberModel): AssignmentModel[] {
  return number.sources.flatMap((source) => {
    const routing = routingOfSource(source);
    return routing ? [assignmentFromRouting(number.e164, routing)] : [];
  });
}

/** A routing as the graph's `Assignment` (also a dry run's `PlannedAssignment`). */
export function assignmentFromRouting(e164: string, routing: Routing): AssignmentModel {
  return {
    e164,
    provider: routing.destination.provider,
    active: routing.active,
    description: routing.description,
    startDate: routing.startDate ?? null,
    endDate: routing.endDate ?? null,
    destination: destinationModel(routing.destination, e164, routing),
    fallbacks: routing.fallbacks.map((d) => destinationModel(d, e164, null)),
  };
}

/**
 * A destination as the graph resolves it: with what RingCX's assignment
 * embeds (names, groups, flags) when `routing` carries it, else by
 * reference, for resolvers to load when a query asks.
 */
export function destinationModel(d: Destination, e164: string, routing: Routing | null): DestinationModel | DestinationRefModel {
  const view = routing?.ringcx;
  const name = routing?.name ?? undefined;
  switch (d.type) {
    case 'Queue': {
      const gate = view?.gate ?? { gateId: d.gateId, accountId: d.accountId, ...(name && { gateName: name }) };
      const group = view?.gate?.gateGroup;
      return {
        kind: 'Queue',
        accountId: d.accountId,
        gateId: d.gateId,
        skinny: gate,
        ...(group && { group: { id: group.gateGroupId, name: group.groupName ?? `Gate group ${group.gateGroupId}` } }),
      };
    }
    case 'VisualIvr':
      return { kind: 'VisualIvr', visualIvrId: d.visualIvrId, skinny: view?.visualIvr ?? { visualIvrId: d.visualIvrId, ...(name && { visualIvrName: name }) } };
    case 'CloudRouteProfile': {
      const skinny = view?.cloudRouteProfile ?? { cloudProfileId: d.cloudProfileId, ...(name && { profileName: name }) };
      return { kind: 'CloudRouteProfile', cloudProfileId: d.cloudProfileId, skinny, ...(view?.cloudRouteProfile?.accountId && { accountId: view.cloudRouteProfile.accountId }) };
    }
    case 'TrackingNumber':
      return {
        kind: 'TrackingNumber',
        accountId: d.accountId,
        tracGroupId: d.tracGroupId,
        tracId: d.tracId,
        e164,
        ...(routing && { active: routing.active }),
        ...(name !== undefined && { description: name }),
      };
    case 'Extension':
      return { kind: 'ExtensionRef', extensionId: d.extensionId };
    case 'ZendeskGroup':
      return { kind: 'ZendeskGroupRef', groupId: d.groupId };
    case 'ZendeskIvr':
      return { kind: 'ZendeskIvrRef', ivrId: d.ivrId };
    case 'VoiceAgent':
      return { kind: 'VoiceAgent', agentId: d.agentId };
  }
}

/** The global ID of an assignment's destination (what the `destination` filter matches). */
export function destinationIdOf(assignment: AssignmentModel): string {
  const destination = assignment.destination;
  switch (destination.kind) {
    case 'Queue':
      return ids.queue(destination.accountId, destination.gateId);
    case 'VisualIvr':
      return ids.visualIvr(destination.visualIvrId);
    case 'CloudRouteProfile':
      return ids.cloudRouteProfile(destination.cloudProfileId);
    case 'TrackingNumber':
      return ids.trackingNumber(destination.accountId, destination.tracGroupId, destination.tracId);
    case 'ExtensionRef':
      return ids.extension(destination.extensionId);
    case 'ZendeskGroupRef':
      return ids.zendeskGroup(destination.groupId);
    case 'ZendeskIvrRef':
      return ids.zendeskIvr(destination.ivrId);
    case 'VoiceAgent':
      return ids.voiceAgent(destination.agentId);
    case 'Extension':
      return ids.extension(destination.extension.id);
    case 'ZendeskGroup':
      return ids.zendeskGroup(destination.group.id);
    case 'ZendeskIvr':
      return ids.zendeskIvr(destination.ivr.id);
  }
}

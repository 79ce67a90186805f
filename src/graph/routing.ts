import { ids } from './ids.js';
import type { AssignmentModel, DestinationModel, PhoneNumberModel } from './models.js';

/**
 * Where each provider routes a number, read from the records we already
 * hold (no provider call): RingCX's `assignedDnis`, RingCentral's owning
 * extension, Zendesk's IVR or first group, Ringyo's default agent.
 */
export function assignmentsOf(number: PhoneNumberModel): AssignmentModel[] {
  const out: AssignmentModel[] = [];
  for (const source of number.sources) {
    const e164 = number.e164;
    switch (source.provider) {
      case 'ringcx': {
        const assigned = source.record.assignedDnis;
        if (assigned && (assigned.gate || assigned.visualIvr || assigned.cloudRouteProfile || assigned.tracNumber)) {
          out.push({ e164, provider: 'ringcx', assigned, ...(source.record.accountId !== undefined && { accountId: source.record.accountId }) });
        }
        break;
      }
      case 'ringcentral': {
        const extensionId = source.record.extension?.id;
        if (extensionId) out.push({ e164, provider: 'ringcentral', record: source.record, extensionId });
        break;
      }
      case 'zendesk': {
        const { ivr_id: ivrId, default_group_id: defaultGroup, group_ids: groups } = source.record;
        // An IVR answers before any group; otherwise the default group (Zendesk
        // routes omnichannel calls to the first group only).
        const groupId = defaultGroup ?? groups[0];
        if (ivrId) out.push({ e164, provider: 'zendesk', record: source.record, target: { kind: 'ivr', ivrId } });
        else if (groupId) out.push({ e164, provider: 'zendesk', record: source.record, target: { kind: 'group', groupId } });
        break;
      }
      case 'ringyo':
        if (source.record.default_agent_id) out.push({ e164, provider: 'ringyo', record: source.record, agentId: source.record.default_agent_id });
        break;
    }
  }
  return out;
}

/**
 * The destination as far as the assignment itself describes it: ids and
 * whatever the provider embedded (names, for RingCX). Resolvers fill in the
 * rest from the catalog only when a query asks for more.
 */
export function destinationOf(assignment: AssignmentModel): DestinationModel | { kind: 'ExtensionRef'; extensionId: string } | { kind: 'ZendeskGroupRef'; groupId: string } | { kind: 'ZendeskIvrRef'; ivrId: string } {
  switch (assignment.provider) {
    case 'ringcx': {
      const { gate, visualIvr, cloudRouteProfile, tracNumber } = assignment.assigned;
      const accountId = assignment.accountId ?? '';
      if (gate) {
        return {
          kind: 'Queue',
          accountId: gate.accountId ?? accountId,
          gateId: gate.gateId,
          skinny: gate,
          ...(gate.gateGroup && { group: { id: gate.gateGroup.gateGroupId, name: gate.gateGroup.groupName ?? `Gate group ${gate.gateGroup.gateGroupId}` } }),
        };
      }
      if (visualIvr) return { kind: 'VisualIvr', visualIvrId: visualIvr.visualIvrId, skinny: visualIvr };
      if (cloudRouteProfile) {
        return { kind: 'CloudRouteProfile', cloudProfileId: cloudRouteProfile.cloudProfileId, skinny: cloudRouteProfile, accountId: cloudRouteProfile.accountId ?? accountId };
      }
      const trac = tracNumber!;
      return {
        kind: 'TrackingNumber',
        accountId: trac.accountId ?? accountId,
        tracGroupId: trac.tracGroupId ?? trac.groupId ?? '',
        tracId: trac.tracId,
        ...(trac.description !== undefined && { description: trac.description }),
      };
    }
    case 'ringcentral':
      return { kind: 'ExtensionRef', extensionId: assignment.extensionId };
    case 'zendesk':
      return assignment.target.kind === 'ivr' ? { kind: 'ZendeskIvrRef', ivrId: assignment.target.ivrId } : { kind: 'ZendeskGroupRef', groupId: assignment.target.groupId };
    case 'ringyo':
      return { kind: 'VoiceAgent', agentId: assignment.agentId };
  }
}

/** The global ID of an assignment's destination (what the `destination` filter matches). */
export function destinationIdOf(assignment: AssignmentModel): string {
  const destination = destinationOf(assignment);
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

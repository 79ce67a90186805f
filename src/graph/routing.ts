import { ids } from './ids.js';
import type { AssignedDnis } from '../providers/ringcx/index.js';
import type { AssignmentModel, DestinationModel, DestinationRefModel, PhoneNumberModel } from './models.js';

/**
 * Where each provider routes a number, read from the records we already
 * hold (no provider call): RingCX's `assignedDnis`, RingCentral's owning
 * extension, Zendesk's IVR or first group, Ringyo's default agent.
 */
export function assignmentsOf(number: PhoneNumberModel): AssignmentModel[] {
  const out: AssignmentModel[] = [];
  const e164 = number.e164;
  for (const source of number.sources) {
    switch (source.provider) {
      case 'ringcx': {
        const assigned = source.record.assignedDnis;
        const destination = assigned && ringcxDestination(assigned, source.record.accountId ?? '');
        if (assigned && destination) {
          out.push({
            e164,
            provider: 'ringcx',
            active: assigned.isActive !== false,
            description: assigned.dnisDescription ?? null,
            startDate: assigned.startDate ?? null,
            endDate: assigned.endDate ?? null,
            destination,
          });
        }
        break;
      }
      case 'ringcentral': {
        const extensionId = source.record.extension?.id;
        if (extensionId) {
          out.push({
            e164,
            provider: 'ringcentral',
            active: source.record.status !== 'Pending' && source.record.activationStatus !== 'Inactive',
            description: source.record.label ?? null,
            startDate: null,
            endDate: null,
            destination: { kind: 'ExtensionRef', extensionId },
          });
        }
        break;
      }
      case 'zendesk': {
        const { ivr_id: ivrId, default_group_id: defaultGroup, group_ids: groups } = source.record;
        // An IVR answers before any group; otherwise the default group (Zendesk
        // routes omnichannel calls to the first group only).
        const groupId = defaultGroup ?? groups[0];
        const destination: DestinationRefModel | undefined = ivrId ? { kind: 'ZendeskIvrRef', ivrId } : groupId ? { kind: 'ZendeskGroupRef', groupId } : undefined;
        if (destination) {
          out.push({ e164, provider: 'zendesk', active: source.record.voice_enabled !== false, description: null, startDate: null, endDate: null, destination });
        }
        break;
      }
      case 'ringyo':
        if (source.record.default_agent_id) {
          out.push({
            e164,
            provider: 'ringyo',
            active: source.record.status === 'active',
            description: null,
            startDate: null,
            endDate: null,
            destination: { kind: 'VoiceAgent', agentId: source.record.default_agent_id },
          });
        }
        break;
    }
  }
  return out;
}

/** The destination a RingCX assignment embeds, or null when it names none. */
export function ringcxDestination(assigned: AssignedDnis, accountId: string): DestinationModel | null {
  const { gate, visualIvr, cloudRouteProfile, tracNumber } = assigned;
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
  if (tracNumber) {
    return {
      kind: 'TrackingNumber',
      accountId: tracNumber.accountId ?? accountId,
      tracGroupId: tracNumber.tracGroupId ?? tracNumber.groupId ?? '',
      tracId: tracNumber.tracId,
      e164: assigned.dnisE164 ?? `+${assigned.dnis}`,
      ...(assigned.isActive !== undefined && { active: assigned.isActive }),
      ...(tracNumber.description !== undefined && { description: tracNumber.description }),
    };
  }
  return null;
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

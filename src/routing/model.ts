/**
 * A destination at a provider, by the provider's own ids. Only the first
 * five kinds can be chosen as a target; the others appear as where a number
 * routes now (a tracking number, a Zendesk IVR, a Ringyo agent).
 */
export type Destination =
  | { provider: 'ringcx'; type: 'Queue'; accountId: string; gateId: string }
  | { provider: 'ringcx'; type: 'VisualIvr'; visualIvrId: string }
  | { provider: 'ringcx'; type: 'CloudRouteProfile'; cloudProfileId: string }
  | { provider: 'ringcx'; type: 'TrackingNumber'; accountId: string; tracGroupId: string; tracId: string }
  | { provider: 'ringcentral'; type: 'Extension'; extensionId: string }
  | { provider: 'zendesk'; type: 'ZendeskGroup'; groupId: string }
  | { provider: 'zendesk'; type: 'ZendeskIvr'; ivrId: string }
  | { provider: 'ringyo'; type: 'VoiceAgent'; agentId: string };

/** Where a number routes at one provider, as read from the provider just now. */
export interface Routing {
  destination: Destination;
  /** The destination's name, when the provider said. */
  name: string | null;
  description: string | null;
  active: boolean;
}

/**
 * A provider's answer to "where does this number route", or why it has none:
 * the provider does not hold the number, or holds it without routing it.
 */
export type CurrentRouting =
  | { held: false }
  | { held: true; routing: Routing | null; blockedBy?: string };

/** Whether two destinations are the same one. */
export function sameDestination(a: Destination | null | undefined, b: Destination | null | undefined): boolean {
  if (!a || !b) return a === b;
  return destinationKey(a) === destinationKey(b);
}

/** A stable string for a destination (journal entries, comparisons). */
export function destinationKey(d: Destination): string {
  switch (d.type) {
    case 'Queue':
      return `ringcx:Queue:${d.accountId}:${d.gateId}`;
    case 'VisualIvr':
      return `ringcx:VisualIvr:${d.visualIvrId}`;
    case 'CloudRouteProfile':
      return `ringcx:CloudRouteProfile:${d.cloudProfileId}`;
    case 'TrackingNumber':
      return `ringcx:TrackingNumber:${d.accountId}:${d.tracGroupId}:${d.tracId}`;
    case 'Extension':
      return `ringcentral:Extension:${d.extensionId}`;
    case 'ZendeskGroup':
      return `zendesk:ZendeskGroup:${d.groupId}`;
    case 'ZendeskIvr':
      return `zendesk:ZendeskIvr:${d.ivrId}`;
    case 'VoiceAgent':
      return `ringyo:VoiceAgent:${d.agentId}`;
  }
}

/** A destination for people: `RingCX queue "Nurse Advice Line"`. */
export function describeRouting(routing: Routing): string {
  const d = routing.destination;
  const label: Record<Destination['type'], string> = {
    Queue: 'RingCX queue',
    VisualIvr: 'RingCX Visual IVR',
    CloudRouteProfile: 'RingCX cloud route profile',
    TrackingNumber: 'RingCX tracking number',
    Extension: 'RingCentral extension',
    ZendeskGroup: 'Zendesk group',
    ZendeskIvr: 'Zendesk IVR',
    VoiceAgent: 'Ringyo agent',
  };
  return routing.name ? `${label[d.type]} "${routing.name}"` : `${label[d.type]} ${destinationKey(d).split(':').slice(2).join('/')}`;
}

/** The JSON recorded in the journal and the history for a routing (or its absence). */
export function routingRecord(routing: Routing | null): Record<string, unknown> | null {
  return (
    routing && {
      provider: routing.destination.provider,
      destination: { ...routing.destination },
      name: routing.name,
      description: routing.description,
      active: routing.active,
    }
  );
}

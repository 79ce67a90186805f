import type { AssignedDnis } from '../providers/ringcx/index.js';

/**
 * A destination at a provider, by the provider's own ids. Only the first
 * five kinds can be chosen as a target of a plain routing change; a tracking
 * number is the target of the tracking mutations; the others appear only as
 * where a number routes now (a Zendesk IVR, a Ringyo agent).
 *
 * A tracking number with an empty `tracId` is one still to be created: the
 * target of `createTrackingNumber`, which RingCX gives an id only when it
 * exists.
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

/**
 * Where a number routes at one provider. Read by `read.ts` from the
 * provider's record, whether the inventory holds it or a mutation just read
 * it fresh: one reading, so what a query shows is what a change calls
 * `previous`.
 */
export interface Routing {
  destination: Destination;
  /** The destination's name, when the provider embeds it (RingCX, RingCentral v1). */
  name: string | null;
  description: string | null;
  active: boolean;
  /** When the routing starts and ends, where the provider schedules it (RingCX). */
  startDate: Date | string | null;
  endDate: Date | string | null;
  /** Where calls go next, in order, when the destination does not take them (Zendesk's further groups). */
  fallbacks: Destination[];
  /**
   * RingCX's assignment record, which embeds the destination's name, group
   * and flags; kept so a query needs no directory lookup for them. Never
   * journaled: it is a view, not state to restore.
   */
  ringcx?: AssignedDnis;
}

/**
 * What a change asks a number's routing to become at one provider. The
 * fallbacks are what Zendesk keeps after the change (its further groups);
 * other providers have none.
 */
export interface RoutingTarget {
  destination: Destination;
  /** For a destination the change creates or renames: its name (a tracking number's description). */
  name?: string | null;
  description: string | null;
  active: boolean;
  fallbacks: Destination[];
}

/**
 * A provider's answer to "where does this number route", or why it has none:
 * the provider does not hold the number, or holds it without routing it
 * (`blockedBy` says when it holds it for something Switchboard must not
 * take over, such as RingCentral's main company number).
 */
export type CurrentRouting = { held: false } | { held: true; routing: Routing | null; blockedBy?: string };

/** Whether two destinations are the same one. */
export function sameDestination(a: Destination | null | undefined, b: Destination | null | undefined): boolean {
  if (!a || !b) return a === b;
  return destinationKey(a) === destinationKey(b);
}

/**
 * Whether `routing` is where `target` asked for: the same destination, or
 * for a tracking number still to be created, any tracking number of the
 * target's group.
 */
export function reachesTarget(routing: Routing | null, target: { destination: Destination }): boolean {
  if (!routing) return false;
  const want = target.destination;
  if (want.type === 'TrackingNumber' && want.tracId === '') {
    const got = routing.destination;
    return got.type === 'TrackingNumber' && got.accountId === want.accountId && got.tracGroupId === want.tracGroupId;
  }
  return sameDestination(routing.destination, want);
}

/**
 * Whether `routing` is all that `target` asked for: its destination, flags
 * and fallbacks (a description of null asks for none in particular).
 */
export function fulfils(routing: Routing | null, target: RoutingTarget): boolean {
  return (
    reachesTarget(routing, target) &&
    routing!.active === target.active &&
    (target.description === null || routing!.description === target.description) &&
    JSON.stringify(routing!.fallbacks.map(destinationKey)) === JSON.stringify(target.fallbacks.map(destinationKey))
  );
}

/**
 * Whether two readings of a number's routing say the same thing: the same
 * destination, flags and fallbacks (names are labels, not routing). This is
 * the compare in compare-and-set: a change proceeds only if the provider
 * still says what its plan read.
 */
export function sameRouting(a: Routing | null, b: Routing | null): boolean {
  const essence = (r: Routing | null) => r && [destinationKey(r.destination), r.active, r.description ?? null, r.fallbacks.map(destinationKey)];
  return JSON.stringify(essence(a)) === JSON.stringify(essence(b));
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

const LABEL: Record<Destination['type'], string> = {
  Queue: 'RingCX queue',
  VisualIvr: 'RingCX Visual IVR',
  CloudRouteProfile: 'RingCX cloud route profile',
  TrackingNumber: 'RingCX tracking number',
  Extension: 'RingCentral extension',
  ZendeskGroup: 'Zendesk group',
  ZendeskIvr: 'Zendesk IVR',
  VoiceAgent: 'Ringyo agent',
};

/** A destination for people: `RingCX queue "Nurse Advice Line"`, or by id when the name is unknown. */
export function describeDestination(d: Destination, name: string | null): string {
  return name ? `${LABEL[d.type]} "${name}"` : `${LABEL[d.type]} ${destinationKey(d).split(':').slice(2).join('/')}`;
}

/** Where a routing goes, for people. */
export function describeRouting(routing: Routing): string {
  return describeDestination(routing.destination, routing.name);
}

/** The JSON recorded in the journal and the history for a routing (or its absence). */
export function routingRecord(routing: Routing | RoutingTarget | null): Record<string, unknown> | null {
  if (!routing) return null;
  return {
    provider: routing.destination.provider,
    destination: { ...routing.destination },
    ...('name' in routing && { name: routing.name }),
    description: routing.description,
    active: routing.active,
    ...(routing.fallbacks.length > 0 && { fallbacks: routing.fallbacks.map((d) => ({ ...d })) }),
  };
}

/** A routing as the journal keeps it: state to restore, without the provider's embedded view. */
export function journaled(routing: Routing | null): Routing | null {
  if (!routing) return null;
  const { ringcx: _view, ...rest } = routing;
  return rest;
}

import { GraphQLError } from 'graphql';

/**
 * Relay global IDs: base64url of `Type:key`. They are opaque to clients, so
 * the key can carry what a lookup needs (a RingCX sub-account and a group id),
 * and one `node(id:)` can route any ID to its type.
 */
export function toGlobalId(type: string, ...key: string[]): string {
  return Buffer.from([type, ...key].map(encodeURIComponent).join(':'), 'utf8').toString('base64url');
}

/** Splits a global ID into its type and key parts; null when it is not one of ours. */
export function parseGlobalId(id: string): { type: string; key: string[] } | null {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const parts = text.split(':').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return null;
    }
  });
  if (parts.length < 2 || parts.some((p) => p === null || p === '')) return null;
  const [type, ...key] = parts as string[];
  if (!/^[A-Z][A-Za-z]+$/.test(type!)) return null;
  return { type: type!, key };
}

/**
 * The key of a global ID that must be of `type` (with `parts` key parts).
 * Throws BAD_USER_INPUT naming `argument` otherwise.
 */
export function expectGlobalId(id: string, type: string, parts: number, argument: string): string[] {
  const parsed = parseGlobalId(id);
  if (!parsed || parsed.type !== type || parsed.key.length !== parts) {
    throw new GraphQLError(`${argument} is not a valid ${type} ID: "${id}"`, {
      extensions: { code: 'BAD_USER_INPUT', argument },
    });
  }
  return parsed.key;
}

/** The global ID of each object type, in one place so filters and resolvers agree. */
export const ids = {
  phoneNumber: (e164: string) => toGlobalId('PhoneNumber', e164),
  assignment: (provider: string, e164: string) => toGlobalId('Assignment', provider, e164),
  queue: (accountId: string, gateId: string) => toGlobalId('Queue', accountId, gateId),
  queueGroup: (accountId: string, gateGroupId: string) => toGlobalId('QueueGroup', accountId, gateGroupId),
  visualIvr: (visualIvrId: string) => toGlobalId('VisualIvr', visualIvrId),
  cloudRouteProfile: (cloudProfileId: string) => toGlobalId('CloudRouteProfile', cloudProfileId),
  trackingGroup: (accountId: string, tracGroupId: string) => toGlobalId('TrackingGroup', accountId, tracGroupId),
  trackingNumber: (accountId: string, tracGroupId: string, tracId: string) => toGlobalId('TrackingNumber', accountId, tracGroupId, tracId),
  extension: (extensionId: string) => toGlobalId('Extension', extensionId),
  zendeskGroup: (groupId: string) => toGlobalId('ZendeskGroup', groupId),
  zendeskIvr: (ivrId: string) => toGlobalId('ZendeskIvr', ivrId),
  voiceAgent: (agentId: string) => toGlobalId('VoiceAgent', agentId),
  account: (accountId: string) => toGlobalId('Account', accountId),
} as const;

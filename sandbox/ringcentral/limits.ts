import type { FastifyReply } from 'fastify';
import type { SandboxKit } from '../core/server.js';
import { sendRcError } from './errors.js';

/** RingCentral's throttling groups (`x-throttling-group` in the spec). */
export const RATE_LIMIT_GROUPS = ['Light', 'Medium', 'Heavy', 'Auth'] as const;
export type RateGroup = (typeof RATE_LIMIT_GROUPS)[number];

/** Documented defaults: requests per 60-second window. */
const DEFAULT_LIMITS: Record<RateGroup, number> = { Light: 50, Medium: 40, Heavy: 10, Auth: 5 };

/**
 * Applies a group's limit to one key (client × user × group; client × Auth
 * for the token endpoint), sets the `X-Rate-Limit-*` headers RingCentral
 * sends on every response, and answers 429 when over. Over the limit the key
 * enters a penalty as long as the window, and every request made during the
 * penalty restarts it: the only way out is to stop sending. Returns whether
 * the request may proceed.
 */
export function takeRateLimit(kit: SandboxKit, reply: FastifyReply, group: RateGroup, key: string): boolean {
  const rule = kit.faults.rateLimit(group, { limit: DEFAULT_LIMITS[group], windowSeconds: 60 });
  const decision = kit.limiter.take(`${key}|${group}`, { ...rule, penaltySeconds: rule.windowSeconds });
  reply.header('X-Rate-Limit-Group', group.toLowerCase());
  reply.header('X-Rate-Limit-Limit', String(decision.limit));
  reply.header('X-Rate-Limit-Remaining', String(decision.remaining));
  reply.header('X-Rate-Limit-Window', String(rule.windowSeconds));
  if (decision.allowed) return true;
  reply.header('Retry-After', String(decision.retryAfterSeconds));
  sendRcError(reply, 429, { errorCode: 'CMN-301', message: 'Request rate exceeded' });
  return false;
}

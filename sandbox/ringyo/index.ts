import type { FastifyReply } from 'fastify';
import type { Random } from '../core/random.js';
import type { SandboxProvider } from '../core/server.js';
import type { World } from '../seed/world.js';
import { sandboxCredentials, type RingyoCredentials } from './auth.js';
import type { RingyoNumberRecord } from './model.js';
import { RATE_LIMIT_GROUPS, registerRingyoRoutes, sendRingyoError, type RingyoEnvelopes } from './routes.js';
import { buildRingyoSeed } from './seed.js';

export type { RingyoEnvelopes } from './routes.js';

export interface RingyoSandboxOptions {
  /** Requests per minute per key; default 300 (Pro plan). */
  rateLimitPerMinute?: number;
  /**
   * Which documented envelope to speak (default `endpoint`, the phone-number
   * pages); `intro` serves the introduction page's `{data, pagination}` and
   * `{data, meta}` instead, so clients can be tested against both.
   */
  envelopes?: RingyoEnvelopes;
}

/** The embedded Ringyo, plus the API key it accepts. */
export interface RingyoSandbox extends SandboxProvider {
  readonly credentials: RingyoCredentials;
}

/**
 * Ringyo AI's read-only phone-number API over real HTTP: list (cursor paging,
 * status and country filters) and get (with `include=stats,recent_calls`),
 * Bearer API-key auth, the per-key rate limit with its headers, and Ringyo's
 * error envelope on every error.
 */
export function createRingyoSandbox(world: World, options: RingyoSandboxOptions = {}): RingyoSandbox {
  const credentials = sandboxCredentials(world);
  let numbers: RingyoNumberRecord[] = [];
  let requestIds: Random = world.random('ringyo').fork('request-ids');
  const reset = () => {
    numbers = buildRingyoSeed(world).numbers;
    requestIds = world.random('ringyo').fork('request-ids');
  };
  const requestId = () => `req_${Array.from({ length: 4 }, () => requestIds.int(0, 0xffff).toString(16).padStart(4, '0')).join('')}`;
  reset();

  return {
    name: 'ringyo',
    rateLimitGroups: RATE_LIMIT_GROUPS,
    credentials,
    sendError(reply: FastifyReply, status: number, message: string, code?: string) {
      return sendRingyoError(reply, requestId(), status, message, code);
    },
    register(app, kit) {
      registerRingyoRoutes(app, kit, {
        numbers: () => numbers,
        credentials,
        rateLimitPerMinute: options.rateLimitPerMinute ?? 300,
        envelopes: options.envelopes ?? 'endpoint',
        requestId,
      });
    },
    reset,
  };
}

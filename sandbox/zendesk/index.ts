import type { FastifyReply } from 'fastify';
import type { SandboxProvider } from '../core/server.js';
import type { World } from '../seed/world.js';
import { sandboxCredentials, type ZendeskCredentials } from './auth.js';
import { sendZendeskError } from './errors.js';
import { RATE_LIMIT_GROUPS, registerZendeskRoutes } from './routes.js';
import { ZendeskState } from './state.js';

export interface ZendeskSandboxOptions {
  /** Account-wide requests per minute; default 400 (Growth/Professional plans). */
  rateLimitPerMinute?: number;
  /**
   * Whether `GET /phone_numbers` honours cursor paging (default true). Whether
   * real Talk does is unconfirmed, so `false` serves offset pages only, as
   * the observed responses do, to exercise the client's fallback.
   */
  cursorPagination?: boolean;
  /** Records offset paging will reach; default 10,000 as Zendesk documents. */
  offsetRecordLimit?: number;
  /** Clock for `created_at` of provisioned numbers. */
  now?: () => number;
}

/** The embedded Zendesk Talk, plus the credentials it accepts. */
export interface ZendeskSandbox extends SandboxProvider {
  readonly credentials: ZendeskCredentials;
}

/**
 * A Zendesk Talk account over real HTTP: phone numbers (list with offset and
 * cursor paging, show, search available numbers, provision, update, release),
 * the Support groups and IVRs they route to, API-token Basic auth, the
 * account rate limit with Zendesk's headers, and Zendesk's error bodies.
 */
export function createZendeskSandbox(world: World, options: ZendeskSandboxOptions = {}): ZendeskSandbox {
  const state = new ZendeskState(world);
  const credentials = sandboxCredentials(world);
  return {
    name: 'zendesk',
    rateLimitGroups: RATE_LIMIT_GROUPS,
    credentials,
    sendError(reply: FastifyReply, status: number, message: string, code?: string) {
      return sendZendeskError(reply, status, message, code);
    },
    register(app, kit) {
      registerZendeskRoutes(app, kit, {
        state,
        credentials,
        rateLimitPerMinute: options.rateLimitPerMinute ?? 400,
        cursorPagination: options.cursorPagination ?? true,
        offsetRecordLimit: options.offsetRecordLimit ?? 10_000,
        now: options.now ?? Date.now,
      });
    },
    reset() {
      state.reset();
    },
  };
}

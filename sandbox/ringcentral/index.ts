import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxKit, SandboxProvider } from '../core/server.js';
import type { World } from '../seed/world.js';
import { defaultErrorCode, sendRcError } from './errors.js';
import { RATE_LIMIT_GROUPS } from './limits.js';
import { registerOAuthRoutes, type OAuthContext } from './oauth.js';
import { INVALID_JSON, registerApiRoutes } from './routes.js';
import { buildRingCentralSeed, type RingCentralCredentials } from './seed.js';
import { RingCentralState } from './state.js';
import { TokenStore, type TokenOwner } from './tokens.js';

export type { RingCentralCredentials } from './seed.js';
export type { TokenOwner } from './tokens.js';

/** The embedded RingCentral: the platform REST API for one account. */
export interface RingCentralSandbox extends SandboxProvider {
  /** The app's client credentials and the admin user's JWT credential. */
  readonly credentials: RingCentralCredentials;
  /** The account's numeric id (what `~` stands for). */
  readonly accountId: string;
  /**
   * The user and account of a live access token this server issued, or null
   * for an unknown, expired or revoked one. RingCX's sandbox uses it to accept
   * only real RingCentral tokens, as the real RingCX does.
   */
  verifyAccessToken(token: string): TokenOwner | null;
}

export interface RingCentralSandboxOptions {
  /** Lifetime of access tokens (default 3600 s, RingCentral's default). */
  tokenTtlSeconds?: number;
}

/**
 * Builds the RingCentral sandbox from the shared seed world: OAuth (JWT and
 * refresh grants), the account, extension and phone-number endpoints (v1
 * lists, by-id and batch GET, per-extension lists, v2 list and assignment),
 * RingCentral's throttling groups with their penalty, and its error bodies.
 */
export function createRingCentralSandbox(world: World, options: RingCentralSandboxOptions = {}): RingCentralSandbox {
  const seed = buildRingCentralSeed(world);
  const state = new RingCentralState(seed.data);
  const tokens = new TokenStore(world.random('ringcentral').fork('tokens'), options.tokenTtlSeconds ?? 3600);
  const grants: OAuthContext['grants'] = [];

  return {
    name: 'ringcentral',
    rateLimitGroups: RATE_LIMIT_GROUPS,
    credentials: seed.credentials,
    accountId: seed.data.account.id,

    verifyAccessToken: (token) => tokens.verify(token),

    sendError(reply: FastifyReply, status: number, message: string, code?: string) {
      return sendRcError(reply, status, { errorCode: code ?? defaultErrorCode(status), message });
    },

    register(app: FastifyInstance, kit: SandboxKit) {
      registerOAuthRoutes(app, {
        kit,
        tokens,
        credentials: seed.credentials,
        ownerId: seed.ownerId,
        accountId: () => state.account.id,
        grants,
      });
      // An encapsulated scope, so that the JSON parser below applies to the
      // REST API only and the core's control plane keeps fastify's own.
      void app.register(async (api) => {
        // RingCentral answers a body that is not JSON with its own CMN-103,
        // not fastify's error; the route sees a marker and says so.
        api.removeContentTypeParser('application/json');
        api.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
          try {
            done(null, JSON.parse(body as string) as unknown);
          } catch {
            done(null, INVALID_JSON);
          }
        });
        registerApiRoutes(api, { kit, state, tokens });
      });
    },

    reset() {
      state.reset();
      grants.length = 0;
    },
  };
}

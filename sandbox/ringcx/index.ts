import type { FastifyReply } from 'fastify';
import type { SandboxKit, SandboxProvider } from '../core/server.js';
import type { World } from '../seed/world.js';
import { RingCxAuthority, type RingCentralTokenVerifier } from './auth.js';
import { sendRcxError } from './errors.js';
import type { RingCxData } from './model.js';
import { RATE_LIMIT_GROUPS, registerRingCxRoutes } from './routes.js';
import { buildRingCxSeed } from './seed.js';
import { RingCxState } from './state.js';

export { UPLOAD_COLUMNS } from './upload.js';
export { DEFAULT_SEARCH_ROWS, EXCHANGE_RATE_LIMIT, MAX_ROWS } from './routes.js';
export type { RingCentralTokenVerifier } from './auth.js';

export interface RingCxSandboxOptions {
  /** Accepts RingCentral access tokens (the RingCentral sandbox's verifier). */
  verifyRingCentralToken: RingCentralTokenVerifier;
  /** Requests per minute per credential (default 120, as documented). */
  rateLimitPerMinute?: number;
  /** Lifetime of RingCX access tokens (default 300 s, as documented). */
  tokenTtlSeconds?: number;
}

/** The embedded RingCX: a {@link SandboxProvider} plus what a client needs to reach it. */
export interface RingCxSandbox extends SandboxProvider {
  /** The permanent API token (`X-Auth-Token`); the same for the same seed. */
  readonly credentials: { apiToken: string };
  /** The sub-accounts, in seed order. */
  readonly accountIds: string[];
}

/**
 * Builds the embedded RingCX (Engage Voice) admin API from the seed world:
 * token exchange and refresh, the tnManager DNIS pool, searches, assignments,
 * queues, cloud route profiles and tracking numbers, with RingCX's error body,
 * 5-minute tokens and 120 requests a minute.
 *
 * Where the contract is silent, the sandbox chooses (and clients must not
 * rely on more than the contract says):
 * - `tnManager/search` answers `{ records: DnisPool[], page, maxRows }` plus
 *   `totalCount` when `count=true`; `page` is 0-based; `maxRows` defaults to
 *   100 and is capped at 1000. `gateGroups/withChildren` and `…/gates` use
 *   the same paging, returning everything (up to 1000) without `maxRows`.
 * - v1 `searchDnis` answers the doc's `{ records, totalElements }`; v2 the
 *   spec's `{ entries: { <accountId>: { name, records } }, totalCount }`.
 *   Unknown account ids in a search body are dropped, not refused.
 *   `dnisState` is ASSIGNED, UNASSIGNED or INACTIVE (filter: those or ALL).
 * - Writes are all-or-nothing: `POST dnisPool` refuses the whole array for one
 *   invalid (400) or existing (409) DNIS; `PUT dnisPool` for one unknown DNIS
 *   (404); assignments for one unknown DNIS (404) or one assigned to another
 *   destination (409). `updateBulkDnisPool` instead skips unknown DNIS and
 *   reports PARTIAL_SUCCESS; `bulkDelete` ignores DNIS already gone.
 * - New DNIS must be valid numbers (libphonenumber, strict) in any format and
 *   are stored as E.164 digits without "+"; `reservedAccountId` is required.
 * - Deleting a DNIS deletes its assignment. `DELETE assignedDnis/{dnis}` of
 *   an unassigned DNIS is 404 `dnis.not.assigned.exception`.
 * - Upload CSV: header row of DnisPool field names (see {@link UPLOAD_COLUMNS}),
 *   `dnis` and `reservedAccountId` required; valid rows are stored, invalid
 *   rows reported per line; `validated` is true only if no row was refused.
 * - PUTs of DnisPool, TracGroup and TracNumber merge the fields sent. A
 *   TracNumber body with the doc's flat `dnis`/`dnisDescription`/`active` is
 *   refused (the spec puts them under `assignedDnis`).
 * - Dates: `DnisPool`/`AssignedDnis`/`Gate` DateTime fields are epoch ms;
 *   `DnisRecordDTO` dates (typed string) are ISO-8601.
 * - The exchange limit (5/min) is per client address (rate group `auth`);
 *   the API limit (120/min) per admin or API token (rate group `default`).
 *   Refresh is not limited. Issued tokens survive `reset()`.
 */
export function createRingCxSandbox(world: World, options: RingCxSandboxOptions): RingCxSandbox {
  const seed = buildRingCxSeed(world);
  let state = new RingCxState(structuredClone(seed));
  const authority = new RingCxAuthority({
    verify: options.verifyRingCentralToken,
    ttlSeconds: options.tokenTtlSeconds ?? 300,
    random: world.random('ringcx-auth'),
    mainAccount: () => state.mainAccount,
    accounts: () => state.accounts(),
  });

  return {
    name: 'ringcx',
    rateLimitGroups: RATE_LIMIT_GROUPS,
    credentials: { apiToken: authority.apiToken },
    accountIds: seed.accounts.map((a) => a.accountId),
    sendError(reply: FastifyReply, status: number, message: string, code?: string) {
      return sendRcxError(reply, status, message, code);
    },
    register(app, kit: SandboxKit) {
      registerRingCxRoutes(app, {
        state: () => state,
        authority,
        rateLimitPerMinute: options.rateLimitPerMinute ?? 120,
        kit,
      });
    },
    reset() {
      state = new RingCxState(structuredClone(seed) as RingCxData);
    },
  };
}

import type { DestinationInput, Resolvers, RoutingChangeStatus, UserError } from '../../__generated__/resolvers-types.js';
import { normalizePhoneNumber } from '../../domain/phone-number.js';
import type { ProviderError, ProviderName } from '../../providers/index.js';
import type { NumberLocation, PlannedCall } from '../../routing/adapters.js';
import type { ChangeOutcome } from '../../routing/changes.js';
import type { Destination } from '../../routing/model.js';
import type { IntentStatus } from '../../store/index.js';
import type { GraphContext } from '../context.js';
import { parseGlobalId } from '../ids.js';
import type { PhoneNumberModel, RoutingPayloadModel } from '../models.js';
import { assignmentFromRouting } from '../routing.js';
import { resolveDestination } from './assignments.js';
import { PROVIDER_ENUM, PROVIDER_OF_ENUM } from './phone-numbers.js';


/** The five kinds of destination a number can be routed to, by input field. */
const DESTINATION_FIELDS = ['queue', 'visualIvr', 'cloudRouteProfile', 'extension', 'zendeskGroup'] as const;
const FIELD_TYPE: Record<(typeof DESTINATION_FIELDS)[number], { type: string; parts: number }> = {
  queue: { type: 'Queue', parts: 2 },
  visualIvr: { type: 'VisualIvr', parts: 1 },
  cloudRouteProfile: { type: 'CloudRouteProfile', parts: 1 },
  extension: { type: 'Extension', parts: 1 },
  zendeskGroup: { type: 'ZendeskGroup', parts: 1 },
};

type Parsed<T> = { ok: true; value: T } | { ok: false; error: UserError };

/** Reads a number in any common format; INVALID_PHONE_NUMBER naming the field otherwise. */
function parseNumber(raw: string): Parsed<string> {
  const parsed = normalizePhoneNumber(raw, { strict: false });
  return parsed.ok
    ? { ok: true, value: parsed.e164 }
    : { ok: false, error: { code: 'INVALID_PHONE_NUMBER', field: ['input', 'phoneNumber'], message: `phoneNumber ${parsed.reason}` } };
}

/**
 * Exactly one destination, by global ID. Whether it exists is checked by the
 * change itself (before anything is removed, in a dry run too), where
 * refusals and provider failures are reported alike.
 */
function parseDestination(input: DestinationInput | null | undefined, field: string[]): Parsed<{ destination: Destination; field: string[] }> {
  const set = DESTINATION_FIELDS.filter((name) => input?.[name] != null);
  if (set.length === 0) {
    return { ok: false, error: { code: 'DESTINATION_REQUIRED', field, message: `${field.at(-1)} needs one of ${DESTINATION_FIELDS.join(', ')}` } };
  }
  if (set.length > 1) {
    return { ok: false, error: { code: 'MULTIPLE_DESTINATIONS', field, message: `${field.at(-1)} names ${set.join(' and ')}; give exactly one destination` } };
  }
  const name = set[0]!;
  const id = String(input![name]);
  const parsed = parseGlobalId(id);
  const expected = FIELD_TYPE[name];
  if (!parsed || parsed.type !== expected.type || parsed.key.length !== expected.parts) {
    return { ok: false, error: { code: 'DESTINATION_NOT_FOUND', field: [...field, name], message: `${name} is not a ${expected.type} ID: "${id}"` } };
  }
  const [a = '', b = ''] = parsed.key;
  return { ok: true, value: { destination: destinationOf(name, a, b), field: [...field, name] } };
}

function destinationOf(name: (typeof DESTINATION_FIELDS)[number], a: string, b: string): Destination {
  switch (name) {
    case 'queue':
      return { provider: 'ringcx', type: 'Queue', accountId: a, gateId: b };
    case 'visualIvr':
      return { provider: 'ringcx', type: 'VisualIvr', visualIvrId: a };
    case 'cloudRouteProfile':
      return { provider: 'ringcx', type: 'CloudRouteProfile', cloudProfileId: a };
    case 'extension':
      return { provider: 'ringcentral', type: 'Extension', extensionId: a };
    case 'zendeskGroup':
      return { provider: 'zendesk', type: 'ZendeskGroup', groupId: a };
  }
}

/** A number as a change finds it at each provider, from the inventory. */
interface Located {
  location: NumberLocation;
  number: PhoneNumberModel | undefined;
  /** Providers whose inventory could not be read: whether they hold the number is not known. */
  unreadable: Partial<Record<ProviderName, ProviderError>>;
}

/** Where the number lives at each provider, from the index (RingCX needs only the number). */
async function locate(e164: string, ctx: GraphContext): Promise<Located> {
  const [view, found] = await Promise.all([ctx.inventory(), ctx.loaders.phoneNumber.load(e164)]);
  const number = found ?? undefined;
  const location: NumberLocation = { e164 };
  for (const source of number?.sources ?? []) {
    if (source.provider === 'ringcx' && source.record.accountId) location.ringcxAccountId = source.record.accountId;
    if (source.provider === 'ringcentral') location.ringcentralId = source.providerId;
    if (source.provider === 'zendesk') location.zendeskId = source.providerId;
    if (source.provider === 'ringyo') location.ringyoId = source.providerId;
  }
  const unreadable: Located['unreadable'] = {};
  for (const failure of view.missing) unreadable[failure.provider] = failure;
  return { location, number, unreadable };
}

const steps = (plan: PlannedCall[]) => plan.map((step) => ({ provider: PROVIDER_ENUM[step.provider], call: step.call, description: step.description }));

/**
 * After a change that got as far as the journal (only there can a write have
 * been sent), the request's loaders are cleared, so the payload's number is
 * read again from the index, which the change wrote its verified result
 * through to. Dry runs and refusals before the lock changed nothing.
 */
export function settle(outcome: ChangeOutcome, ctx: GraphContext): void {
  if (outcome.changeId !== null) ctx.refresh();
}

/** A refusal before any change: recorded in the history like every mutation. */
async function rejected(operation: string, e164: string | null, errors: UserError[], ctx: GraphContext): Promise<void> {
  await ctx.store.audit.write({ actor: ctx.actor, operation, phoneNumber: e164, outcome: 'REJECTED', detail: errors.map((e) => `${e.code}: ${e.message}`).join('; ') });
}

type Found = { ok: true; e164: string } & Located;

/** Checks that hold for every routing mutation: a readable number, held by a provider we can write to. */
async function target(raw: string, operation: string, ctx: GraphContext): Promise<Found | { ok: false; e164: string | null; errors: UserError[] }> {
  const parsed = parseNumber(raw);
  if (!parsed.ok) {
    await rejected(operation, null, [parsed.error], ctx);
    return { ok: false, e164: null, errors: [parsed.error] };
  }
  const located = await locate(parsed.value, ctx);
  const { number } = located;
  if (number && number.sources.every((s) => s.provider === 'ringyo') && Object.keys(located.unreadable).length === 0) {
    const error: UserError = {
      code: 'READ_ONLY_PROVIDER',
      field: ['input', 'phoneNumber'],
      message: `${parsed.value} is held only by Ringyo, whose API is read-only: change its routing in Ringyo itself`,
    };
    await rejected(operation, parsed.value, [error], ctx);
    return { ok: false, e164: parsed.value, errors: [error] };
  }
  return { ok: true, e164: parsed.value, ...located };
}

/**
 * A number no provider holds at all is PHONE_NUMBER_NOT_FOUND, not merely
 * not held by the destination's provider; said only when every provider's
 * inventory was read.
 */
function refine(outcome: ChangeOutcome, found: Found): ChangeOutcome {
  if (found.number || Object.keys(found.unreadable).length > 0) return outcome;
  return {
    ...outcome,
    errors: outcome.errors.map((e) => (e.code === 'NOT_HELD_BY_PROVIDER' ? { ...e, code: 'PHONE_NUMBER_NOT_FOUND', message: `No provider holds ${found.e164}` } : e)),
  };
}

/** The payload fields every routing mutation shares, from a change's outcome. */
function payload(found: Found, outcome: ChangeOutcome): RoutingPayloadModel {
  return {
    e164: found.e164,
    previous: outcome.previous && assignmentFromRouting(found.e164, outcome.previous),
    assignment: outcome.live && outcome.routing ? assignmentFromRouting(found.e164, outcome.routing) : null,
    plan: steps(outcome.plan),
    changeId: outcome.changeId,
    userErrors: outcome.errors,
  };
}

/** The journal's statuses as the schema's. */
const CHANGE_STATUS: Record<IntentStatus, RoutingChangeStatus> = {
  open: 'IN_PROGRESS',
  done: 'DONE',
  rolled_back: 'ROLLED_BACK',
  failed: 'FAILED',
  abandoned: 'SUPERSEDED',
};

const payloadFields = {
  phoneNumber: (p: RoutingPayloadModel, _args: unknown, ctx: GraphContext) => (p.e164 ? ctx.loaders.phoneNumber.load(p.e164) : null),
  change: async (p: RoutingPayloadModel, _args: unknown, ctx: GraphContext) => (p.changeId ? ((await ctx.store.journal.get(p.changeId)) ?? null) : null),
};

export const routingResolvers: Resolvers = {
  Query: {
    routingChange: async (_parent, { id }, ctx) => (await ctx.store.journal.get(id)) ?? null,
  },

  Mutation: {
    async assignPhoneNumber(_parent, { input }, ctx): Promise<RoutingPayloadModel> {
      const operation = 'assignPhoneNumber';
      const found = await target(input.phoneNumber, operation, ctx);
      if (!found.ok) return { e164: found.e164, assignment: null, userErrors: found.errors };
      const destination = parseDestination(input.destination, ['input', 'destination']);
      if (!destination.ok) {
        await rejected(operation, found.e164, [destination.error], ctx);
        return { e164: found.e164, assignment: null, userErrors: [destination.error] };
      }
      const outcome = refine(
        await ctx.routing.assign({
          location: found.location,
          unreadable: found.unreadable,
          to: destination.value.destination,
          destinationField: destination.value.field,
          description: input.description ?? null,
          active: input.active ?? null,
          allowUnverified: input.allowUnverifiedDestination ?? false,
          actor: ctx.actor,
        }),
        found,
      );
      settle(outcome, ctx);
      const { previous: _previous, ...result } = payload(found, outcome);
      return result;
    },

    async reassignPhoneNumber(_parent, { input }, ctx): Promise<RoutingPayloadModel> {
      const operation = 'reassignPhoneNumber';
      const dryRun = input.dryRun ?? false;
      const found = await target(input.phoneNumber, operation, ctx);
      if (!found.ok) return { e164: found.e164, previous: null, assignment: null, plan: [], dryRun, userErrors: found.errors };
      const destination = parseDestination(input.destination, ['input', 'destination']);
      const expected = input.expectedCurrent ? parseDestination(input.expectedCurrent, ['input', 'expectedCurrent']) : undefined;
      const errors = [destination, expected].flatMap((p) => (p && !p.ok ? [p.error] : []));
      if (errors.length > 0 || !destination.ok) {
        await rejected(operation, found.e164, errors, ctx);
        return { e164: found.e164, previous: null, assignment: null, plan: [], dryRun, userErrors: errors };
      }
      const outcome = refine(
        await ctx.routing.reassign({
          location: found.location,
          unreadable: found.unreadable,
          to: destination.value.destination,
          destinationField: destination.value.field,
          ...(expected?.ok && { expectedCurrent: expected.value.destination }),
          description: input.description ?? null,
          active: input.active ?? null,
          allowUnverified: input.allowUnverifiedDestination ?? false,
          detachTrackingNumber: input.detachTrackingNumber ?? false,
          dryRun,
          actor: ctx.actor,
        }),
        found,
      );
      settle(outcome, ctx);
      const result = payload(found, outcome);
      // A dry run's routing is not live: it is the plan, never an Assignment a client cache would file as current.
      const planned = dryRun && outcome.errors.length === 0 && outcome.routing ? assignmentFromRouting(found.e164, outcome.routing) : null;
      return { ...result, planned, dryRun };
    },

    async unassignPhoneNumber(_parent, { input }, ctx): Promise<RoutingPayloadModel> {
      const operation = 'unassignPhoneNumber';
      const found = await target(input.phoneNumber, operation, ctx);
      if (!found.ok) return { e164: found.e164, previous: null, userErrors: found.errors };
      let current: Destination | undefined;
      if (input.currentDestination) {
        const parsed = parseDestination(input.currentDestination, ['input', 'currentDestination']);
        if (!parsed.ok) {
          await rejected(operation, found.e164, [parsed.error], ctx);
          return { e164: found.e164, previous: null, userErrors: [parsed.error] };
        }
        current = parsed.value.destination;
      }
      const outcome = refine(
        await ctx.routing.unassign({
          location: found.location,
          unreadable: found.unreadable,
          ...(current && { currentDestination: current }),
          force: input.force ?? false,
          ...(input.provider && { provider: PROVIDER_OF_ENUM[input.provider] }),
          detachTrackingNumber: input.detachTrackingNumber ?? false,
          actor: ctx.actor,
        }),
        found,
      );
      settle(outcome, ctx);
      const result = payload(found, outcome);
      // `previous` is where the number routed before this change; a refused change has none.
      return { e164: found.e164, previous: outcome.errors.length === 0 ? (result.previous ?? null) : null, changeId: result.changeId ?? null, userErrors: result.userErrors };
    },
  },
  AssignPhoneNumberPayload: payloadFields,
  ReassignPhoneNumberPayload: {
    ...payloadFields,
    plannedAssignment: (p) => p.planned ?? null,
    plan: (p) => p.plan ?? [],
    dryRun: (p) => p.dryRun ?? false,
  },
  UnassignPhoneNumberPayload: payloadFields,

  PlannedAssignment: {
    provider: (a) => PROVIDER_ENUM[a.provider],
    active: (a) => a.active,
    description: (a) => a.description,
    destination: (a, _args, ctx) => resolveDestination(a.destination, ctx),
    fallbackDestinations: (a, _args, ctx) => Promise.all(a.fallbacks.map((d) => resolveDestination(d, ctx))),
  },

  RoutingChange: {
    id: (intent) => intent.id,
    phoneNumber: (intent) => intent.phoneNumber,
    provider: (intent) => PROVIDER_ENUM[intent.provider as ProviderName],
    operation: (intent) => intent.operation,
    status: (intent) => CHANGE_STATUS[intent.status],
    detail: (intent) => intent.detail,
    startedAt: (intent) => intent.createdAt,
    updatedAt: (intent) => intent.updatedAt,
  },
};

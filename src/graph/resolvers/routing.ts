import type { DestinationInput, Resolvers, UserError } from '../../__generated__/resolvers-types.js';
import { normalizePhoneNumber } from '../../domain/phone-number.js';
import { ProviderError } from '../../providers/index.js';
import type { NumberLocation, PlannedCall } from '../../routing/adapters.js';
import type { ChangeOutcome } from '../../routing/changes.js';
import type { Destination, Routing } from '../../routing/model.js';
import type { GraphContext } from '../context.js';
import { parseGlobalId } from '../ids.js';
import type { AssignmentModel, PhoneNumberModel, RoutingPayloadModel } from '../models.js';
import { PROVIDER_ENUM } from './phone-numbers.js';

type Provider = keyof typeof PROVIDER_ENUM;
const PROVIDER_OF_ENUM = Object.fromEntries(Object.entries(PROVIDER_ENUM).map(([k, v]) => [v, k])) as Record<string, Provider>;

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
 * Exactly one destination, by global ID, that exists at its provider. Visual
 * IVRs cannot be checked (RingCX lists none); RingCX answers 404 for an
 * unknown one when the change is made.
 */
async function parseDestination(input: DestinationInput | null | undefined, field: string[], ctx: GraphContext): Promise<Parsed<Destination>> {
  const set = DESTINATION_FIELDS.filter((name) => input?.[name] != null);
  if (set.length === 0) {
    return { ok: false, error: { code: 'DESTINATION_REQUIRED', field, message: `${field.at(-1)} needs one of ${DESTINATION_FIELDS.join(', ')}` } };
  }
  if (set.length > 1) {
    return { ok: false, error: { code: 'MULTIPLE_DESTINATIONS', field, message: `${field.at(-1)} names ${set.join(' and ')}; give exactly one destination` } };
  }
  const name = set[0]!;
  const id = String(input![name]);
  const at = [...field, name];
  const notFound = (why: string): Parsed<Destination> => ({ ok: false, error: { code: 'DESTINATION_NOT_FOUND', field: at, message: `${name} ${why}: "${id}"` } });
  const parsed = parseGlobalId(id);
  const expected = FIELD_TYPE[name];
  if (!parsed || parsed.type !== expected.type || parsed.key.length !== expected.parts) return notFound(`is not a ${expected.type} ID`);
  const [a = '', b = ''] = parsed.key;
  try {
    switch (name) {
      case 'queue':
        return (await ctx.loaders.queue.load(`${a}:${b}`)) ? { ok: true, value: { provider: 'ringcx', type: 'Queue', accountId: a, gateId: b } } : notFound('does not exist at RingCX');
      case 'visualIvr':
        return { ok: true, value: { provider: 'ringcx', type: 'VisualIvr', visualIvrId: a } };
      case 'cloudRouteProfile':
        return (await ctx.catalog.ringcxCloudProfiles()).has(a) ? { ok: true, value: { provider: 'ringcx', type: 'CloudRouteProfile', cloudProfileId: a } } : notFound('does not exist at RingCX');
      case 'extension':
        return (await ctx.loaders.extension.load(a)) ? { ok: true, value: { provider: 'ringcentral', type: 'Extension', extensionId: a } } : notFound('does not exist at RingCentral');
      case 'zendeskGroup': {
        const group = (await ctx.catalog.zendeskGroups()).get(a);
        return group && !group.deleted ? { ok: true, value: { provider: 'zendesk', type: 'ZendeskGroup', groupId: a } } : notFound('does not exist at Zendesk');
      }
    }
  } catch (error) {
    if (error instanceof ProviderError) {
      return { ok: false, error: { code: 'PROVIDER_FAILED', field: at, message: `could not check ${name}: ${error.message}` } };
    }
    throw error;
  }
}

/** Where the number lives at each provider, from the inventory (RingCX needs only the number). */
async function locate(e164: string, ctx: GraphContext): Promise<{ location: NumberLocation; number: PhoneNumberModel | undefined }> {
  const number = (await ctx.inventory()).byE164.get(e164);
  const location: NumberLocation = { e164 };
  for (const source of number?.sources ?? []) {
    if (source.provider === 'ringcentral') location.ringcentralId = source.providerId;
    if (source.provider === 'zendesk') location.zendeskId = source.providerId;
    if (source.provider === 'ringyo') location.ringyoId = source.providerId;
  }
  return { location, number };
}

/** A routing as the graph's `Assignment`. */
export function assignmentFromRouting(e164: string, routing: Routing): AssignmentModel {
  const d = routing.destination;
  const base = { e164, provider: d.provider, active: routing.active, description: routing.description, startDate: null, endDate: null };
  const name = routing.name ?? undefined;
  switch (d.type) {
    case 'Queue':
      return { ...base, destination: { kind: 'Queue', accountId: d.accountId, gateId: d.gateId, skinny: { gateId: d.gateId, accountId: d.accountId, ...(name && { gateName: name }) } } };
    case 'VisualIvr':
      return { ...base, destination: { kind: 'VisualIvr', visualIvrId: d.visualIvrId, skinny: { visualIvrId: d.visualIvrId, ...(name && { visualIvrName: name }) } } };
    case 'CloudRouteProfile':
      return { ...base, destination: { kind: 'CloudRouteProfile', cloudProfileId: d.cloudProfileId, skinny: { cloudProfileId: d.cloudProfileId, ...(name && { profileName: name }) } } };
    case 'TrackingNumber':
      return { ...base, destination: { kind: 'TrackingNumber', accountId: d.accountId, tracGroupId: d.tracGroupId, tracId: d.tracId, e164, ...(name && { description: name }) } };
    case 'Extension':
      return { ...base, destination: { kind: 'ExtensionRef', extensionId: d.extensionId } };
    case 'ZendeskGroup':
      return { ...base, destination: { kind: 'ZendeskGroupRef', groupId: d.groupId } };
    case 'ZendeskIvr':
      return { ...base, destination: { kind: 'ZendeskIvrRef', ivrId: d.ivrId } };
    case 'VoiceAgent':
      return { ...base, destination: { kind: 'VoiceAgent', agentId: d.agentId } };
  }
}

const steps = (plan: PlannedCall[]) => plan.map((step) => ({ provider: PROVIDER_ENUM[step.provider], call: step.call, description: step.description }));

/** After our own change, the request's view of the inventory is stale: read it again if asked. */
function settle(outcome: ChangeOutcome | null, ctx: GraphContext): void {
  if (outcome && (outcome.errors.length === 0 || outcome.errors.some((e) => e.code === 'ROLLED_BACK' || e.code === 'RECOVERY_PENDING'))) ctx.refresh();
}

const payloadPhoneNumber = {
  phoneNumber: (p: RoutingPayloadModel, _args: unknown, ctx: GraphContext) => (p.e164 ? ctx.loaders.phoneNumber.load(p.e164) : null),
};

/** A refusal before any change: recorded in the history like every mutation. */
function rejected(operation: string, e164: string | null, errors: UserError[], ctx: GraphContext): void {
  ctx.store.audit.write({ actor: ctx.actor, operation, phoneNumber: e164, outcome: 'REJECTED', detail: errors.map((e) => `${e.code}: ${e.message}`).join('; ') });
}

/** Checks that hold for every routing mutation: a readable number, held by a provider we can write to. */
async function target(raw: string, operation: string, ctx: GraphContext): Promise<{ ok: true; e164: string; location: NumberLocation; number: PhoneNumberModel | undefined } | { ok: false; e164: string | null; errors: UserError[] }> {
  const parsed = parseNumber(raw);
  if (!parsed.ok) {
    rejected(operation, null, [parsed.error], ctx);
    return { ok: false, e164: null, errors: [parsed.error] };
  }
  const { location, number } = await locate(parsed.value, ctx);
  if (number && number.sources.every((s) => s.provider === 'ringyo')) {
    const error: UserError = {
      code: 'READ_ONLY_PROVIDER',
      field: ['input', 'phoneNumber'],
      message: `${parsed.value} is held only by Ringyo, whose API is read-only: change its routing in Ringyo itself`,
    };
    rejected(operation, parsed.value, [error], ctx);
    return { ok: false, e164: parsed.value, errors: [error] };
  }
  return { ok: true, e164: parsed.value, location, number };
}

/** A number no provider holds at all is PHONE_NUMBER_NOT_FOUND, not merely not held by the destination's provider. */
function refine(outcome: ChangeOutcome, e164: string, number: PhoneNumberModel | undefined): ChangeOutcome {
  if (number) return outcome;
  return {
    ...outcome,
    errors: outcome.errors.map((e) => (e.code === 'NOT_HELD_BY_PROVIDER' ? { ...e, code: 'PHONE_NUMBER_NOT_FOUND' as never, message: `No provider holds ${e164}` } : e)),
  };
}

export const routingResolvers: Resolvers = {
  Mutation: {
    async assignPhoneNumber(_parent, { input }, ctx): Promise<RoutingPayloadModel> {
      const operation = 'assignPhoneNumber';
      const found = await target(input.phoneNumber, operation, ctx);
      if (!found.ok) return { e164: found.e164, assignment: null, userErrors: found.errors };
      const destination = await parseDestination(input.destination, ['input', 'destination'], ctx);
      if (!destination.ok) {
        rejected(operation, found.e164, [destination.error], ctx);
        return { e164: found.e164, assignment: null, userErrors: [destination.error] };
      }
      const outcome = refine(
        await ctx.routing.assign({
          location: found.location,
          to: destination.value,
          options: { description: input.description ?? null, active: input.active ?? true },
          actor: ctx.actor,
        }),
        found.e164,
        found.number,
      );
      settle(outcome, ctx);
      const ok = outcome.errors.length === 0;
      return { e164: found.e164, assignment: ok && outcome.routing ? assignmentFromRouting(found.e164, outcome.routing) : null, userErrors: outcome.errors };
    },

    async reassignPhoneNumber(_parent, { input }, ctx): Promise<RoutingPayloadModel> {
      const operation = 'reassignPhoneNumber';
      const dryRun = input.dryRun ?? false;
      const found = await target(input.phoneNumber, operation, ctx);
      if (!found.ok) return { e164: found.e164, previous: null, assignment: null, plan: [], dryRun, userErrors: found.errors };
      const destination = await parseDestination(input.destination, ['input', 'destination'], ctx);
      const expected = input.expectedCurrent ? await parseDestination(input.expectedCurrent, ['input', 'expectedCurrent'], ctx) : undefined;
      const errors = [destination, expected].flatMap((p) => (p && !p.ok ? [p.error] : []));
      if (errors.length > 0 || !destination.ok) {
        rejected(operation, found.e164, errors, ctx);
        return { e164: found.e164, previous: null, assignment: null, plan: [], dryRun, userErrors: errors };
      }
      const outcome = refine(
        await ctx.routing.reassign({
          location: found.location,
          to: destination.value,
          ...(expected?.ok && { expectedCurrent: expected.value }),
          description: input.description ?? null,
          active: input.active ?? null,
          dryRun,
          actor: ctx.actor,
        }),
        found.e164,
        found.number,
      );
      if (!dryRun) settle(outcome, ctx);
      // After a rollback the previous routing is live again: report it as the current one.
      const live = outcome.errors.length === 0 || outcome.errors.some((e) => e.code === 'ROLLED_BACK');
      return {
        e164: found.e164,
        previous: outcome.previous && assignmentFromRouting(found.e164, outcome.previous),
        assignment: live && outcome.routing ? assignmentFromRouting(found.e164, outcome.routing) : null,
        plan: steps(outcome.plan),
        dryRun,
        userErrors: outcome.errors,
      };
    },

    async unassignPhoneNumber(_parent, { input }, ctx): Promise<RoutingPayloadModel> {
      const operation = 'unassignPhoneNumber';
      const found = await target(input.phoneNumber, operation, ctx);
      if (!found.ok) return { e164: found.e164, previous: null, userErrors: found.errors };
      let current: Destination | undefined;
      if (input.currentDestination) {
        const parsed = await parseDestination(input.currentDestination, ['input', 'currentDestination'], ctx);
        if (!parsed.ok) {
          rejected(operation, found.e164, [parsed.error], ctx);
          return { e164: found.e164, previous: null, userErrors: [parsed.error] };
        }
        current = parsed.value;
      }
      const outcome = refine(
        await ctx.routing.unassign({
          location: found.location,
          ...(current && { currentDestination: current }),
          force: input.force ?? false,
          ...(input.provider && { provider: PROVIDER_OF_ENUM[input.provider] }),
          actor: ctx.actor,
        }),
        found.e164,
        found.number,
      );
      settle(outcome, ctx);
      return {
        e164: found.e164,
        previous: outcome.errors.length === 0 && outcome.previous ? assignmentFromRouting(found.e164, outcome.previous) : null,
        userErrors: outcome.errors,
      };
    },
  },
  AssignPhoneNumberPayload: payloadPhoneNumber,
  ReassignPhoneNumberPayload: { ...payloadPhoneNumber, plan: (p) => p.plan ?? [], dryRun: (p) => p.dryRun ?? false },
  UnassignPhoneNumberPayload: payloadPhoneNumber,
};

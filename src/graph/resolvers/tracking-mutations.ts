import type { Resolvers, UserError } from '../../__generated__/resolvers-types.js';
import { normalizePhoneNumber } from '../../domain/phone-number.js';
import { ProviderError } from '../../providers/index.js';
import type { TracNumber } from '../../providers/ringcx/index.js';
import type { ChangeOutcome } from '../../routing/changes.js';
import type { Intent } from '../../store/index.js';
import type { GraphContext } from '../context.js';
import { parseGlobalId } from '../ids.js';
import type { TrackingGroupModel, TrackingNumberModel } from '../models.js';
import { destinationModel } from '../routing.js';
import { settle } from './routing.js';

/**
 * Tracking groups and numbers, following RingCX's contract. Creating a
 * tracking number, or changing one that has a DNIS, changes where that DNIS
 * routes: those go through the routing changes (routing/changes.ts) like
 * every other routing change. Renaming a group or a tracking number without
 * a DNIS routes nothing, and is one provider call, recorded in the history.
 */

function idOf(raw: string, type: string, parts: number): string[] | null {
  const parsed = parseGlobalId(raw);
  return parsed && parsed.type === type && parsed.key.length === parts ? parsed.key : null;
}

function error(code: UserError['code'], field: string[], message: string): UserError {
  return { code, field, message };
}

/** Provider failures as user errors: NOT_FOUND for a missing object, PROVIDER_FAILED otherwise. */
function providerError(e: unknown, notFound: string): UserError {
  if (e instanceof ProviderError && e.code === 'NOT_FOUND') return error('NOT_FOUND', ['input', 'id'], notFound);
  if (e instanceof ProviderError && e.code === 'CONFLICT') return error('ALREADY_ASSIGNED', ['input', 'phoneNumber'], `${e.message}; nothing was changed`);
  if (e instanceof ProviderError) return error('PROVIDER_FAILED', ['input'], `${e.message}; nothing was changed`);
  throw e;
}

async function audit(ctx: GraphContext, operation: string, entry: { phoneNumber?: string | null; subject: string; before?: unknown; after?: unknown; errors?: UserError[] }): Promise<void> {
  const failed = entry.errors && entry.errors.length > 0;
  await ctx.store.audit.write({
    actor: ctx.actor,
    operation,
    provider: 'ringcx',
    phoneNumber: entry.phoneNumber ?? null,
    subject: entry.subject,
    before: entry.before,
    after: entry.after,
    outcome: !failed ? 'SUCCEEDED' : entry.errors!.some((e) => e.code === 'PROVIDER_FAILED') ? 'FAILED' : 'REJECTED',
    detail: failed ? entry.errors!.map((e) => `${e.code}: ${e.message}`).join('; ') : null,
  });
}

function trackingNumberModel(accountId: string, tracGroupId: string, number: TracNumber): TrackingNumberModel {
  return {
    kind: 'TrackingNumber',
    accountId,
    tracGroupId,
    tracId: number.tracId,
    number,
    ...(number.description !== undefined && { description: number.description }),
    ...(number.assignedDnis?.isActive !== undefined && { active: number.assignedDnis.isActive }),
    ...(number.assignedDnis && { e164: number.assignedDnis.dnisE164 ?? `+${number.assignedDnis.dnis}` }),
  };
}

/**
 * A tracking number's payload from the routing change that made it: the
 * tracking number as its DNIS now routes, and the journal's record of the
 * change. The change machinery already dropped the stale cache; `settle`
 * refreshes the request's own view of the inventory.
 */
async function trackingPayload(outcome: ChangeOutcome, e164: string, ctx: GraphContext): Promise<{ trackingNumber: TrackingNumberModel | null; change: Intent | null; userErrors: UserError[] }> {
  settle(outcome, ctx);
  const routing = outcome.errors.length === 0 ? outcome.routing : null;
  const model = routing && destinationModel(routing.destination, e164, routing);
  const change = outcome.changeId ? ((await ctx.store.journal.get(outcome.changeId)) ?? null) : null;
  return { trackingNumber: model?.kind === 'TrackingNumber' ? model : null, change, userErrors: outcome.errors };
}

export const trackingMutationResolvers: Resolvers = {
  Mutation: {
    async updateTrackingGroup(_parent, { input }, ctx) {
      const operation = 'updateTrackingGroup';
      const key = idOf(input.id, 'TrackingGroup', 2);
      const errors: UserError[] = [];
      if (!key) errors.push(error('NOT_FOUND', ['input', 'id'], `id is not a TrackingGroup ID: "${input.id}"`));
      if (input.name != null && input.name.trim() === '') errors.push(error('INVALID_INPUT', ['input', 'name'], 'name must not be blank'));
      if (input.name == null && input.isDefault == null) errors.push(error('INVALID_INPUT', ['input'], 'give name or isDefault: there is nothing to change'));
      if (errors.length > 0 || !key) {
        await audit(ctx, operation, { subject: input.id, errors });
        return { trackingGroup: null, userErrors: errors };
      }
      const [accountId, tracGroupId] = key as [string, string];
      const before = await ctx.loaders.trackingGroup.load(`${accountId}:${tracGroupId}`).catch(() => null);
      try {
        const updated = await ctx.catalog.require('ringcx').updateTracGroup(accountId, tracGroupId, {
          ...(input.name != null && { groupName: input.name.trim() }),
          ...(input.isDefault != null && { isDefault: input.isDefault }),
        });
        await ctx.sync.refreshTracking();
        ctx.refresh();
        const group: TrackingGroupModel = (await ctx.loaders.trackingGroup.load(`${accountId}:${tracGroupId}`)) ?? { accountId, group: updated };
        await audit(ctx, operation, {
          subject: input.id,
          before: before && { name: before.group.groupName, isDefault: before.group.isDefault },
          after: { name: updated.groupName, isDefault: updated.isDefault },
        });
        return { trackingGroup: group, userErrors: [] };
      } catch (e) {
        const failure = providerError(e, `tracking group ${input.id} does not exist at RingCX`);
        await audit(ctx, operation, { subject: input.id, errors: [failure] });
        return { trackingGroup: null, userErrors: [failure] };
      }
    },

    async createTrackingNumber(_parent, { input }, ctx) {
      const operation = 'createTrackingNumber';
      const key = idOf(input.group, 'TrackingGroup', 2);
      const number = normalizePhoneNumber(input.phoneNumber, { strict: false });
      const errors: UserError[] = [];
      if (!key) errors.push(error('NOT_FOUND', ['input', 'group'], `group is not a TrackingGroup ID: "${input.group}"`));
      if (!number.ok) errors.push(error('INVALID_PHONE_NUMBER', ['input', 'phoneNumber'], `phoneNumber ${number.reason}`));
      if (input.description.trim() === '') errors.push(error('INVALID_INPUT', ['input', 'description'], 'description must not be blank'));
      if (errors.length > 0 || !key || !number.ok) {
        await audit(ctx, operation, { phoneNumber: number.ok ? number.e164 : null, subject: input.group, errors });
        return { trackingNumber: null, userErrors: errors };
      }
      const [accountId, tracGroupId] = key as [string, string];
      // Creating a tracking number routes its DNIS: a routing change like any other (lock, journal, history, recovery).
      const outcome = await ctx.routing.createTracking({
        location: { e164: number.e164, ringcxAccountId: accountId },
        group: { accountId, tracGroupId },
        name: input.description.trim(),
        active: input.active ?? true,
        actor: ctx.actor,
      });
      return await trackingPayload(outcome, number.e164, ctx);
    },

    async updateTrackingNumber(_parent, { input }, ctx) {
      const operation = 'updateTrackingNumber';
      const key = idOf(input.id, 'TrackingNumber', 3);
      const errors: UserError[] = [];
      if (!key) errors.push(error('NOT_FOUND', ['input', 'id'], `id is not a TrackingNumber ID: "${input.id}"`));
      if (input.description != null && input.description.trim() === '') errors.push(error('INVALID_INPUT', ['input', 'description'], 'description must not be blank'));
      if (input.description == null && input.active == null) errors.push(error('INVALID_INPUT', ['input'], 'give description or active: there is nothing to change'));
      if (errors.length > 0 || !key) {
        await audit(ctx, operation, { subject: input.id, errors });
        return { trackingNumber: null, userErrors: errors };
      }
      const [accountId, tracGroupId, tracId] = key as [string, string, string];
      const ringcx = ctx.catalog.require('ringcx');
      let before: TracNumber;
      try {
        before = await ringcx.getTracNumber(accountId, tracGroupId, tracId);
      } catch (e) {
        const failure = providerError(e, `tracking number ${input.id} does not exist at RingCX`);
        await audit(ctx, operation, { subject: input.id, errors: [failure] });
        return { trackingNumber: null, userErrors: [failure] };
      }
      const description = input.description?.trim() ?? null;
      const dnis = before.assignedDnis?.dnis;
      if (dnis) {
        // Its description and active flag are its DNIS's routing: changed through the journaled machinery.
        const e164 = before.assignedDnis!.dnisE164 ?? `+${dnis}`;
        const outcome = await ctx.routing.updateTracking({
          location: { e164, ringcxAccountId: accountId },
          trackingNumber: { provider: 'ringcx', type: 'TrackingNumber', accountId, tracGroupId, tracId },
          name: description,
          active: input.active ?? null,
          actor: ctx.actor,
        });
        return await trackingPayload(outcome, e164, ctx);
      }
      // No DNIS, so no routing: only the label changes, in one call.
      if (input.active != null) {
        const refused = error('INVALID_INPUT', ['input', 'active'], `tracking number ${input.id} has no number, so there is no routing to turn on or off; nothing was changed`);
        await audit(ctx, operation, { subject: input.id, errors: [refused] });
        return { trackingNumber: null, userErrors: [refused] };
      }
      try {
        const updated = await ringcx.updateTracNumber(accountId, tracGroupId, tracId, { description: description! });
        await ctx.sync.refreshTracking();
        ctx.refresh();
        await audit(ctx, operation, { subject: input.id, before: { description: before.description ?? null }, after: { description: updated.description ?? null } });
        return { trackingNumber: trackingNumberModel(accountId, tracGroupId, updated), userErrors: [] };
      } catch (e) {
        const failure = providerError(e, `tracking number ${input.id} does not exist at RingCX`);
        await audit(ctx, operation, { subject: input.id, errors: [failure] });
        return { trackingNumber: null, userErrors: [failure] };
      }
    },
  },
};

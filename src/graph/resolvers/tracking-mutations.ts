import type { Resolvers, UserError } from '../../__generated__/resolvers-types.js';
import { normalizePhoneNumber } from '../../domain/phone-number.js';
import { ProviderError } from '../../providers/index.js';
import type { TracNumber } from '../../providers/ringcx/index.js';
import { describeRouting } from '../../routing/model.js';
import { ringcxRouting } from '../../routing/adapters.js';
import type { GraphContext } from '../context.js';
import { ids, parseGlobalId } from '../ids.js';
import type { TrackingGroupModel, TrackingNumberModel } from '../models.js';

/**
 * Tracking groups and numbers, following RingCX's contract. Each change is
 * one provider call with nothing to finish or undo, so it is not journaled;
 * a tracking number's DNIS is checked fresh first, and RingCX's own 409 is
 * the last guard against a DNIS routed elsewhere meanwhile.
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

function audit(ctx: GraphContext, operation: string, entry: { phoneNumber?: string | null; subject: string; before?: unknown; after?: unknown; errors?: UserError[] }): void {
  const failed = entry.errors && entry.errors.length > 0;
  ctx.store.audit.write({
    actor: ctx.actor,
    operation,
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
        audit(ctx, operation, { subject: input.id, errors });
        return { trackingGroup: null, userErrors: errors };
      }
      const [accountId, tracGroupId] = key as [string, string];
      const before = await ctx.loaders.trackingGroup.load(`${accountId}:${tracGroupId}`).catch(() => null);
      try {
        const updated = await ctx.catalog.require('ringcx').updateTracGroup(accountId, tracGroupId, {
          ...(input.name != null && { groupName: input.name.trim() }),
          ...(input.isDefault != null && { isDefault: input.isDefault }),
        });
        ctx.catalog.invalidateNumbers('ringcx');
        ctx.refresh();
        const group: TrackingGroupModel = (await ctx.loaders.trackingGroup.load(`${accountId}:${tracGroupId}`)) ?? { accountId, group: updated };
        audit(ctx, operation, {
          subject: input.id,
          before: before && { name: before.group.groupName, isDefault: before.group.isDefault },
          after: { name: updated.groupName, isDefault: updated.isDefault },
        });
        return { trackingGroup: group, userErrors: [] };
      } catch (e) {
        const failure = providerError(e, `tracking group ${input.id} does not exist at RingCX`);
        audit(ctx, operation, { subject: input.id, errors: [failure] });
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
        audit(ctx, operation, { phoneNumber: number.ok ? number.e164 : null, subject: input.group, errors });
        return { trackingNumber: null, userErrors: errors };
      }
      const [accountId, tracGroupId] = key as [string, string];
      const ringcx = ctx.catalog.require('ringcx');
      const fail = (failure: UserError) => {
        audit(ctx, operation, { phoneNumber: number.e164, subject: input.group, errors: [failure] });
        return { trackingNumber: null, userErrors: [failure] };
      };
      try {
        const current = await ringcx.getAssignedDnis(number.dnis);
        const routing = current && ringcxRouting(current);
        if (routing) return fail(error('ALREADY_ASSIGNED', ['input', 'phoneNumber'], `${number.e164} already routes to ${describeRouting(routing)}; unassign it first`));
      } catch (e) {
        if (e instanceof ProviderError && e.code === 'NOT_FOUND') {
          return fail(error('NOT_HELD_BY_PROVIDER', ['input', 'phoneNumber'], `ringcx does not hold ${number.e164} (add it to the DNIS pool first, e.g. with uploadPhoneNumbers)`));
        }
        return fail(providerError(e, ''));
      }
      try {
        const created = await ringcx.createTracNumber(accountId, tracGroupId, {
          description: input.description.trim(),
          assignedDnis: { dnis: number.dnis, isActive: input.active ?? true, dnisDescription: input.description.trim() },
        });
        ctx.catalog.invalidateNumbers('ringcx');
        ctx.refresh();
        const model = trackingNumberModel(accountId, tracGroupId, created);
        audit(ctx, operation, {
          phoneNumber: number.e164,
          subject: ids.trackingNumber(accountId, tracGroupId, created.tracId),
          before: null,
          after: { provider: 'ringcx', destination: { type: 'TrackingNumber', accountId, tracGroupId, tracId: created.tracId }, description: created.description ?? null, active: input.active ?? true },
        });
        return { trackingNumber: model, userErrors: [] };
      } catch (e) {
        const failure = providerError(e, `tracking group ${input.group} does not exist at RingCX`);
        return fail(failure.code === 'NOT_FOUND' ? { ...failure, field: ['input', 'group'] } : failure);
      }
    },

    async updateTrackingNumber(_parent, { input }, ctx) {
      const operation = 'updateTrackingNumber';
      const key = idOf(input.id, 'TrackingNumber', 3);
      const errors: UserError[] = [];
      if (!key) errors.push(error('NOT_FOUND', ['input', 'id'], `id is not a TrackingNumber ID: "${input.id}"`));
      if (input.description != null && input.description.trim() === '') errors.push(error('INVALID_INPUT', ['input', 'description'], 'description must not be blank'));
      if (input.description == null && input.active == null) errors.push(error('INVALID_INPUT', ['input'], 'give description or active: there is nothing to change'));
      if (errors.length > 0 || !key) {
        audit(ctx, operation, { subject: input.id, errors });
        return { trackingNumber: null, userErrors: errors };
      }
      const [accountId, tracGroupId, tracId] = key as [string, string, string];
      const ringcx = ctx.catalog.require('ringcx');
      let before: TracNumber;
      try {
        before = await ringcx.getTracNumber(accountId, tracGroupId, tracId);
      } catch (e) {
        const failure = providerError(e, `tracking number ${input.id} does not exist at RingCX`);
        audit(ctx, operation, { subject: input.id, errors: [failure] });
        return { trackingNumber: null, userErrors: [failure] };
      }
      const dnis = before.assignedDnis?.dnis;
      const e164 = before.assignedDnis ? (before.assignedDnis.dnisE164 ?? `+${before.assignedDnis.dnis}`) : null;
      try {
        const updated = await ringcx.updateTracNumber(accountId, tracGroupId, tracId, {
          ...(input.description != null && { description: input.description.trim() }),
          ...(dnis && {
            assignedDnis: {
              dnis,
              ...(input.active != null && { isActive: input.active }),
              ...(input.description != null && { dnisDescription: input.description.trim() }),
            },
          }),
        });
        ctx.catalog.invalidateNumbers('ringcx');
        ctx.refresh();
        const state = (n: TracNumber) => ({ description: n.description ?? null, active: n.assignedDnis?.isActive !== false });
        audit(ctx, operation, { phoneNumber: e164, subject: input.id, before: state(before), after: state(updated) });
        return { trackingNumber: trackingNumberModel(accountId, tracGroupId, updated), userErrors: [] };
      } catch (e) {
        const failure = providerError(e, `tracking number ${input.id} does not exist at RingCX`);
        audit(ctx, operation, { phoneNumber: e164, subject: input.id, errors: [failure] });
        return { trackingNumber: null, userErrors: [failure] };
      }
    },
  },
};

import { parseGlobalId, expectGlobalId, ids } from '../ids.js';
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { GraphContext } from '../context.js';
import { responsePathAsArray } from 'graphql';
import { DIRECTORY } from '../../sync/directories.js';
import type { TrackingGroupModel, TrackingNumberModel } from '../models.js';
import { toE164 } from '../../domain/phone-number.js';

/** The tracking number's full record from the directory (active flag, its DNIS). */
async function fullTrackingNumber(t: TrackingNumberModel, ctx: GraphContext): Promise<TrackingNumberModel | undefined> {
  if (t.number) return t;
  return (await ctx.loaders.trackingNumber.load(`${t.accountId}:${t.tracGroupId}:${t.tracId}`)) ?? undefined;
}

export const trackingResolvers: Resolvers = {
  Query: {
    async trackingGroups(_parent, _args, ctx, info) {
      await ctx.inventory(responsePathAsArray(info.path), ['ringcx']);
      return (await ctx.store.inventory.directoryList(DIRECTORY.trackingGroup)).map((record) => JSON.parse(record) as TrackingGroupModel);
    },
    async trackingGroup(_parent, { id }, ctx) {
      const [accountId, tracGroupId] = expectGlobalId(id, 'TrackingGroup', 2, 'id');
      return ctx.loaders.trackingGroup.load(`${accountId}:${tracGroupId}`);
    },
  },

  TrackingGroup: {
    async __resolveReference(reference, ctx) {
      const parsed = parseGlobalId(String(reference.id ?? ''));
      if (!parsed || parsed.type !== 'TrackingGroup' || parsed.key.length !== 2) return null;
      return ctx.loaders.trackingGroup.load(parsed.key.join(':'));
    },
    id: (g) => ids.trackingGroup(g.accountId, g.group.tracGroupId),
    name: (g) => g.group.groupName ?? `Tracking group ${g.group.tracGroupId}`,
    isDefault: (g) => g.group.isDefault === true,
    trackingNumbers: (g) =>
      g.group.tracNumbers.map((number) => ({
        kind: 'TrackingNumber' as const,
        accountId: g.accountId,
        tracGroupId: g.group.tracGroupId,
        tracId: number.tracId,
        number,
        ...(number.description !== undefined && { description: number.description }),
      })),
  },

  TrackingNumber: {
    id: (t) => ids.trackingNumber(t.accountId, t.tracGroupId, t.tracId),
    async description(t, _args, ctx) {
      return t.description ?? (await fullTrackingNumber(t, ctx))?.description ?? null;
    },
    async active(t, _args, ctx) {
      if (t.active !== undefined) return t.active;
      const full = await fullTrackingNumber(t, ctx);
      return full?.number?.assignedDnis?.isActive !== false;
    },
    async phoneNumber(t, _args, ctx) {
      const e164 = t.e164 ?? toE164((await fullTrackingNumber(t, ctx))?.number?.assignedDnis?.dnis, { strict: false });
      return e164 ? ctx.loaders.phoneNumber.load(e164) : null;
    },
    async group(t, _args, ctx) {
      const group = await ctx.loaders.trackingGroup.load(`${t.accountId}:${t.tracGroupId}`);
      if (!group) throw new Error(`tracking group ${t.tracGroupId} of account ${t.accountId} is not in RingCX's listing`);
      return group;
    },
  },
};

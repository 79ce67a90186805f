import { GraphQLError, responsePathAsArray as pathOf } from 'graphql';
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { GraphContext } from '../context.js';
import { expectGlobalId, ids } from '../ids.js';
import type { DestinationModel, DestinationRefModel, PhoneNumberModel, QueueModel } from '../models.js';
import { DIRECTORY } from '../../sync/directories.js';
import { numbersPage, PROVIDER_ENUM } from './phone-numbers.js';

/** The numbers routed to the destination with global ID `destinationId`, as a page. */
function numbersRoutedTo(ctx: GraphContext, destinationId: string, args: { first?: number | null; after?: string | null }, path: readonly (string | number)[]) {
  return numbersPage(ctx, { destination: destinationId }, args, `routedTo:${destinationId}`, path);
}

/** A queue's full record from the directory, for fields the assignment does not embed. */
async function fullQueue(queue: QueueModel, ctx: GraphContext): Promise<QueueModel | null> {
  return queue.gate ? queue : ctx.loaders.queue.load(`${queue.accountId}:${queue.gateId}`);
}

/** Resolves a destination to a complete union member, loading referenced records. */
export async function resolveDestination(destination: DestinationModel | DestinationRefModel, ctx: GraphContext): Promise<DestinationModel> {
  switch (destination.kind) {
    case 'ExtensionRef': {
      const extension = await ctx.loaders.extension.load(destination.extensionId);
      if (!extension) throw missing(`RingCentral extension ${destination.extensionId}`);
      return { kind: 'Extension', extension };
    }
    case 'ZendeskGroupRef': {
      const group = await ctx.loaders.zendeskGroup.load(destination.groupId);
      if (!group) throw missing(`Zendesk group ${destination.groupId}`);
      return { kind: 'ZendeskGroup', group };
    }
    case 'ZendeskIvrRef': {
      const ivr = await ctx.loaders.zendeskIvr.load(destination.ivrId);
      if (!ivr) throw missing(`Zendesk IVR ${destination.ivrId}`);
      return { kind: 'ZendeskIvr', ivr };
    }
    default:
      return destination;
  }
}

/** A number routes to something its provider no longer lists: say so rather than invent it. */
function missing(what: string): GraphQLError {
  return new GraphQLError(`${what} is routed to but no longer exists at the provider`, { extensions: { code: 'NOT_FOUND' } });
}

export const assignmentResolvers: Resolvers = {
  Query: {
    async queues(_parent, _args, ctx, info) {
      await ctx.inventory(pathOf(info.path), ['ringcx']);
      const queues = (await ctx.store.inventory.directoryList(DIRECTORY.queue)).map((record) => JSON.parse(record) as QueueModel);
      return queues.sort((a, b) => (a.group?.name ?? '').localeCompare(b.group?.name ?? '') || (a.gate?.gateName ?? '').localeCompare(b.gate?.gateName ?? ''));
    },
    async queue(_parent, { id }, ctx) {
      const [accountId, gateId] = expectGlobalId(id, 'Queue', 2, 'id');
      return ctx.loaders.queue.load(`${accountId}:${gateId}`);
    },
  },

  Assignment: {
    id: (a) => ids.assignment(a.provider, a.e164),
    provider: (a) => PROVIDER_ENUM[a.provider],
    async phoneNumber(a, _args, ctx) {
      const number = await ctx.loaders.phoneNumber.load(a.e164);
      if (!number) throw missing(`Phone number ${a.e164}`);
      return number satisfies PhoneNumberModel;
    },
    active: (a) => a.active,
    description: (a) => a.description,
    startDate: (a) => a.startDate,
    endDate: (a) => a.endDate,
    destination: (a, _args, ctx) => resolveDestination(a.destination, ctx),
    fallbackDestinations: (a, _args, ctx) => Promise.all(a.fallbacks.map((d) => resolveDestination(d, ctx))),
  },

  AssignmentDestination: {
    __resolveType: (destination) => destination.kind,
  },

  Queue: {
    id: (q) => ids.queue(q.accountId, q.gateId),
    async name(q, _args, ctx) {
      return q.skinny?.gateName ?? q.gate?.gateName ?? (await fullQueue(q, ctx))?.gate?.gateName ?? `Queue ${q.gateId}`;
    },
    async description(q, _args, ctx) {
      return (await fullQueue(q, ctx))?.gate?.gateDesc ?? null;
    },
    async active(q, _args, ctx) {
      return q.skinny?.isActive ?? q.gate?.isActive ?? (await fullQueue(q, ctx))?.gate?.isActive ?? true;
    },
    async group(q, _args, ctx) {
      const group = q.group ?? (await fullQueue(q, ctx))?.group;
      if (!group) throw missing(`RingCX queue ${q.gateId}'s group`);
      return { id: ids.queueGroup(q.accountId, group.id), name: group.name };
    },
    async account(q, _args, ctx) {
      const account = await ctx.loaders.ringcxAccount.load(q.accountId);
      return { id: q.accountId, name: account?.accountName ?? null };
    },
    phoneNumbers: (q, args, ctx, info) => numbersRoutedTo(ctx, ids.queue(q.accountId, q.gateId), args, pathOf(info.path)),
  },

  VisualIvr: {
    id: (v) => ids.visualIvr(v.visualIvrId),
    name: (v) => v.skinny.visualIvrName ?? `Visual IVR ${v.visualIvrId}`,
    description: (v) => v.skinny.visualIvrDesc ?? null,
    active: (v) => v.skinny.isActive !== false && v.skinny.isDeleted !== true,
    phoneNumbers: (v, args, ctx, info) => numbersRoutedTo(ctx, ids.visualIvr(v.visualIvrId), args, pathOf(info.path)),
  },

  CloudRouteProfile: {
    id: (p) => ids.cloudRouteProfile(p.cloudProfileId),
    name: (p) => p.skinny?.profileName ?? `Cloud route profile ${p.cloudProfileId}`,
    async groupName(p, _args, ctx) {
      return p.groupName ?? (await ctx.loaders.cloudRouteProfile.load(p.cloudProfileId))?.groupName ?? null;
    },
    active: (p) => p.skinny?.isActive !== false && p.skinny?.isDeleted !== true,
    phoneNumbers: (p, args, ctx, info) => numbersRoutedTo(ctx, ids.cloudRouteProfile(p.cloudProfileId), args, pathOf(info.path)),
  },

  ZendeskGroup: {
    id: (g) => ids.zendeskGroup(g.group.id),
    name: (g) => g.group.name,
    description: (g) => g.group.description,
  },

  ZendeskIvr: {
    id: (i) => ids.zendeskIvr(i.ivr.id),
    name: (i) => i.ivr.name,
  },

  VoiceAgent: {
    id: (a) => ids.voiceAgent(a.agentId),
    agentId: (a) => a.agentId,
  },
};


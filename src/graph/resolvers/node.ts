import { GraphQLError } from 'graphql';
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { GraphContext } from '../context.js';
import { parseGlobalId } from '../ids.js';
import type { AccountModel, AssignmentModel, DestinationModel, PhoneNumberModel, TrackingGroupModel } from '../models.js';
import { ACCOUNT_KEY } from '../../sync/directories.js';
import { assignmentsOf } from '../routing.js';
import { resolveDestination } from './assignments.js';

type NodeModel = PhoneNumberModel | AssignmentModel | DestinationModel | TrackingGroupModel | AccountModel;

/** Any object by global ID, or null when the ID is well-formed but names nothing. */
async function loadNode(id: string, ctx: GraphContext): Promise<NodeModel | null> {
  const parsed = parseGlobalId(id);
  if (!parsed) return null;
  const [a = '', b = '', c = ''] = parsed.key;
  switch (parsed.type) {
    case 'PhoneNumber':
      return ctx.loaders.phoneNumber.load(a);
    case 'Assignment': {
      const number = await ctx.loaders.phoneNumber.load(b);
      return (number && assignmentsOf(number).find((x) => x.provider === a)) ?? null;
    }
    case 'Queue':
      return ctx.loaders.queue.load(`${a}:${b}`);
    case 'TrackingGroup':
      return ctx.loaders.trackingGroup.load(`${a}:${b}`);
    case 'TrackingNumber':
      return ctx.loaders.trackingNumber.load(`${a}:${b}:${c}`);
    case 'Extension': {
      const extension = await ctx.loaders.extension.load(a);
      return extension && { kind: 'Extension', extension };
    }
    case 'CloudRouteProfile':
      return ctx.loaders.cloudRouteProfile.load(a);
    case 'ZendeskGroup': {
      const group = await ctx.loaders.zendeskGroup.load(a);
      return group ? { kind: 'ZendeskGroup', group } : null;
    }
    case 'ZendeskIvr': {
      const ivr = await ctx.loaders.zendeskIvr.load(a);
      return ivr ? { kind: 'ZendeskIvr', ivr } : null;
    }
    case 'VisualIvr':
    case 'VoiceAgent': {
      // No provider lists these: they are known through the numbers routed to them.
      const routed = await ctx.store.inventory.routesTo(id);
      const number = routed && (await ctx.loaders.phoneNumber.load(routed.e164));
      for (const assignment of number ? assignmentsOf(number) : []) {
        const destination = await resolveDestination(assignment.destination, ctx);
        if (destination.kind === parsed.type) return destination;
      }
      return null;
    }
    case 'Account': {
      if (!ctx.clients.ringcentral) return null;
      const account = await ctx.loaders.ringcentralAccount.load(ACCOUNT_KEY);
      return account?.id === a ? account : null;
    }
    default:
      return null;
  }
}

function typeOf(node: NodeModel): string {
  if ('kind' in node) return node.kind;
  if ('sources' in node) return 'PhoneNumber';
  if ('group' in node && 'accountId' in node) return 'TrackingGroup';
  if ('provider' in node) return 'Assignment';
  return 'Account';
}

export const nodeResolvers: Resolvers = {
  Query: {
    node: (_parent, { id }, ctx) => loadNode(id, ctx),
    async nodes(_parent, { ids }, ctx) {
      if (ids.length > 100) {
        throw new GraphQLError(`ids may hold at most 100 IDs, got ${ids.length}`, { extensions: { code: 'BAD_USER_INPUT', argument: 'ids' } });
      }
      return Promise.all(ids.map((id) => loadNode(id, ctx)));
    },
  },
  Node: {
    __resolveType: (node) => typeOf(node as NodeModel) as never,
  },
};

import { Kind, GraphQLScalarType, valueFromASTUntyped } from 'graphql';
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { toGlobalId } from '../ids.js';

/** Any JSON value, passed through as is (the before and after states of changes). */
export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => (ast.kind === Kind.NULL ? null : valueFromASTUntyped(ast, variables)),
});

export const historyResolvers: Resolvers = {
  PhoneNumber: {
    /** Newest first, paged by entry id in the store: a long history is never read whole. */
    async history(number, { first, after }, ctx) {
      const limit = ctx.paginator.limit(first, 20);
      const scope = `history:${number.e164}`;
      const beforeId = after == null ? undefined : Number(ctx.paginator.decode(after, scope));
      const { entries, total } = await ctx.store.audit.forNumber(number.e164, { limit: limit + 1, ...(beforeId !== undefined && { beforeId }) });
      const page = entries.slice(0, limit);
      const edges = page.map((node) => ({ cursor: ctx.paginator.encode(String(node.id), scope), node }));
      return {
        edges,
        nodes: page,
        pageInfo: {
          hasNextPage: entries.length > limit,
          hasPreviousPage: after != null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
        totalCount: total,
      };
    },
  },
  Change: {
    id: (entry) => toGlobalId('Change', String(entry.id)),
    at: (entry) => entry.at,
    actor: (entry) => entry.actor,
    operation: (entry) => entry.operation,
    changeId: (entry) => entry.changeId ?? null,
    outcome: (entry) => entry.outcome,
    before: (entry) => entry.before,
    after: (entry) => entry.after,
    detail: (entry) => entry.detail,
  },
};

import { Kind, GraphQLScalarType, valueFromASTUntyped } from 'graphql';
import type { ChangeFilter, Resolvers } from '../../__generated__/resolvers-types.js';
import type { AuditEntry, AuditFilter } from '../../store/index.js';
import type { GraphContext } from '../context.js';
import { toGlobalId } from '../ids.js';
import { PROVIDER_ENUM, PROVIDER_OF_ENUM } from './phone-numbers.js';

/** Any JSON value, passed through as is (the before and after states of changes). */
export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => (ast.kind === Kind.NULL ? null : valueFromASTUntyped(ast, variables)),
});

/**
 * One page of the history, newest first, paged by entry id in the store: a
 * long history is never read whole. `scope` binds cursors to the list they
 * came from (one number's, or a filter's), so one is never reused on another.
 */
async function historyPage(
  ctx: GraphContext,
  scope: string,
  args: { first?: number | null; after?: string | null },
  read: (options: { limit: number; beforeId?: number }) => Promise<{ entries: AuditEntry[]; total: number }>,
) {
  const limit = ctx.paginator.limit(args.first, 20);
  const beforeId = args.after == null ? undefined : Number(ctx.paginator.decode(args.after, scope));
  const { entries, total } = await read({ limit: limit + 1, ...(beforeId !== undefined && { beforeId }) });
  const page = entries.slice(0, limit);
  const edges = page.map((node) => ({ cursor: ctx.paginator.encode(String(node.id), scope), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: entries.length > limit,
      hasPreviousPage: args.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: total,
  };
}

/** A `ChangeFilter` as the store's, with times as ISO strings (how the history stores them). */
function auditFilter(filter: ChangeFilter | null | undefined): AuditFilter {
  if (!filter) return {};
  const iso = (value: unknown) => new Date(value as string | Date).toISOString();
  return {
    ...(filter.since != null && { since: iso(filter.since) }),
    ...(filter.until != null && { until: iso(filter.until) }),
    ...(filter.actor != null && { actor: filter.actor }),
    ...(filter.operation != null && { operation: filter.operation }),
    ...(filter.provider != null && { provider: PROVIDER_OF_ENUM[filter.provider] }),
    ...(filter.outcome != null && { outcome: filter.outcome }),
  };
}

export const historyResolvers: Resolvers = {
  Query: {
    changes(_parent, args, ctx) {
      const filter = auditFilter(args.filter);
      return historyPage(ctx, `changes:${JSON.stringify(filter)}`, args, (page) => ctx.store.audit.recent({ ...page, filter }));
    },
  },
  PhoneNumber: {
    history(number, args, ctx) {
      return historyPage(ctx, `history:${number.e164}`, args, (page) => ctx.store.audit.forNumber(number.e164, page));
    },
  },
  Change: {
    id: (entry) => toGlobalId('Change', String(entry.id)),
    at: (entry) => entry.at,
    actor: (entry) => entry.actor,
    operation: (entry) => entry.operation,
    changeId: (entry) => entry.changeId ?? null,
    provider: (entry) => (entry.provider && entry.provider in PROVIDER_ENUM ? PROVIDER_ENUM[entry.provider as keyof typeof PROVIDER_ENUM] : null),
    outcome: (entry) => entry.outcome,
    before: (entry) => entry.before,
    after: (entry) => entry.after,
    detail: (entry) => entry.detail,
  },
};

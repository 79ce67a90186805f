import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { runUpload, type UploadServices } from '../../upload/pipeline.js';
import { CACHE_KEYS } from '../catalog.js';
import type { GraphContext } from '../context.js';

/** Upload rows are paged by line number, zero-padded so keys sort as the lines do. */
const lineKey = (line: number) => String(line).padStart(10, '0');

/** What the upload pipeline needs, from the request's context. */
function uploadServices(ctx: GraphContext): UploadServices {
  const ringcx = () => ctx.catalog.require('ringcx');
  return {
    uploads: ctx.store.uploads,
    audit: ctx.store.audit,
    limits: ctx.uploadLimits,
    ringcx: {
      createDnisPool: (records) => ringcx().createDnisPool(records),
      searchDnisPoolPage: (criteria, options) => ringcx().searchDnisPoolPage(criteria, options),
    },
    accountIds: async () => (await ctx.catalog.ringcxAccounts()).map((a) => a.accountId),
    freshInventory: () => {
      // Only the pool snapshot is dropped: the account list stays cached.
      ctx.catalog.cache.invalidate(CACHE_KEYS.ringcxInventory);
      return ctx.catalog.ringcxInventory();
    },
    changed: () => {
      ctx.catalog.invalidateNumbers('ringcx');
      // New numbers reach the index with RingCX's next pass, asked for now.
      void ctx.sync.requestPass('ringcx').catch(() => undefined);
    },
  };
}

export const uploadResolvers: Resolvers = {
  Upload: GraphQLUpload,

  Query: {
    async phoneNumberUpload(_parent, { id }, ctx) {
      const upload = await ctx.store.uploads.get(id);
      if (!upload || upload.status !== 'done' || !upload.totals) return null;
      return { id: upload.id, dryRun: upload.dryRun, replayed: false, totals: upload.totals };
    },
  },

  Mutation: {
    async uploadPhoneNumbers(_parent, { input }, ctx) {
      const outcome = await runUpload(
        {
          file: input.file ?? null,
          csv: input.csv ?? null,
          dryRun: input.dryRun ?? false,
          idempotencyKey: input.idempotencyKey ?? null,
          defaultAccountId: input.defaultAccountId ?? null,
          actor: ctx.actor,
        },
        uploadServices(ctx),
      );
      return outcome.kind === 'report' ? { upload: outcome.upload, userErrors: [] } : { upload: null, userErrors: outcome.errors };
    },
  },

  PhoneNumberUpload: {
    /** Read from the store page by page: a 100,000-row report is never built whole. */
    async rows(upload, { status, first, after }, ctx) {
      const limit = ctx.paginator.limit(first, 100);
      const scope = `upload-rows:${upload.id}`;
      const afterLine = after == null ? 0 : Number(ctx.paginator.decode(after, scope));
      const statuses = status ?? undefined;
      const { uploads } = ctx.store;
      const [{ rows, hasMore }, hasPreviousPage, totalCount] = await Promise.all([
        uploads.reportPage(upload.id, { afterLine, limit, ...(statuses && { statuses }) }),
        afterLine > 0 && uploads.hasRowsBefore(upload.id, afterLine, statuses),
        uploads.countRows(upload.id, statuses),
      ]);
      const edges = rows.map((node) => ({ cursor: ctx.paginator.encode(lineKey(node.line), scope), node }));
      return {
        edges,
        nodes: rows,
        pageInfo: { hasNextPage: hasMore, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        totalCount,
      };
    },
  },
};

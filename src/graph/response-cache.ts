import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { createHash } from 'node:crypto';
import { isAbstractType, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { InventoryIndex } from '../store/inventory.js';

/**
 * Fields whose data does not come from the inventory index: the history and
 * the journal, upload reports, the sync's own state, and what is read from
 * providers on demand. An operation that selects any of them is never
 * answered from the cache. Every other field is computed from the index
 * alone (`test/graph/response-cache.test.ts` checks each root field is
 * classified), so its answer stays right for as long as the index does not
 * change.
 */
export const LIVE_FIELDS: ReadonlySet<string> = new Set([
  'Query.changes',
  'Query.routingChange',
  'Query.phoneNumberUpload',
  'Query.inventorySync',
  'Query.availablePhoneNumbers',
  'PhoneNumber.history',
  'Extension.forwardingNumbers',
  'RingCentralNumberSource.features',
]);

/** Whether `document` reads only index-backed fields (fragments and abstract types included). */
export function indexOnly(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let live = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        // On an interface or union, a live field of any implementation counts.
        const owners = isAbstractType(parent) ? [parent.name, ...schema.getPossibleTypes(parent).map((t) => t.name)] : [parent.name];
        if (owners.some((owner) => LIVE_FIELDS.has(`${owner}.${field.name}`))) live = true;
      },
    }),
  );
  return !live;
}

export interface ResponseCacheOptions {
  schema: GraphQLSchema;
  index: InventoryIndex;
  /** Most memory the kept answers may take, in bytes of their JSON (default 32 MB). */
  maxBytes?: number;
}

/**
 * Answers a repeated query from memory while the index is unchanged. The
 * key holds the index's version (bumped by every write to the index, on any
 * replica), the operation, its variables and the caller's scopes, so an
 * answer is reused only for the same question about the same data by a
 * caller allowed the same fields. Only complete answers (no errors) of
 * index-only operations are kept; mutations, live fields and partial
 * answers always run. The index's freshness in `extensions` is computed
 * for every answer, cached or not.
 */
export function responseCachePlugin<C extends { principal: { scopes: ReadonlySet<string> } | null; inventory(): Promise<unknown> }>(
  options: ResponseCacheOptions,
): ApolloServerPlugin<C> {
  // Bounded by size, not count: one answer may be a page of 500 numbers.
  const answers = new LRUCache<string, { data: Record<string, unknown> }>({ maxSize: options.maxBytes ?? 32 * 2 ** 20 });
  const cacheable = new WeakMap<DocumentNode, boolean>();
  return {
    async requestDidStart() {
      let key: string | undefined;
      return {
        async responseForOperation(request: GraphQLRequestContext<C>) {
          if (request.operation?.operation !== 'query' || !request.document || !request.source) return null;
          let indexed = cacheable.get(request.document);
          if (indexed === undefined) cacheable.set(request.document, (indexed = indexOnly(options.schema, request.document)));
          if (!indexed) return null;
          const scopes = request.contextValue.principal ? [...request.contextValue.principal.scopes].sort().join(' ') : '*';
          const version = await options.index.version();
          key = createHash('sha256')
            .update(JSON.stringify([version, request.source, request.operationName ?? null, request.request.variables ?? {}, scopes]))
            .digest('base64url');
          const hit = answers.get(key);
          if (!hit) return null;
          await request.contextValue.inventory();
          return { http: request.response.http, body: { kind: 'single', singleResult: { data: hit.data } } };
        },
        async willSendResponse(request: GraphQLRequestContext<C>) {
          const body = request.response.body;
          if (!key || body?.kind !== 'single') return;
          const { errors, data } = body.singleResult;
          if (errors || !data || answers.has(key)) return;
          const size = JSON.stringify(data).length;
          if (size <= (options.maxBytes ?? 32 * 2 ** 20) / 8) answers.set(key, { data }, { size });
        },
      };
    },
  };
}

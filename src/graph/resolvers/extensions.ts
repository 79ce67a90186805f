import { responsePathAsArray } from 'graphql';
import type { ExtensionFilter, Resolvers } from '../../__generated__/resolvers-types.js';
import { toE164 } from '../../domain/phone-number.js';
import type { RcExtension } from '../../providers/ringcentral/index.js';
import { accountStatus, extensionStatus, extensionType, forwardingFeatures, forwardingType } from '../enums.js';
import { expectGlobalId, ids, parseGlobalId } from '../ids.js';
import { ACCOUNT_KEY, DIRECTORY } from '../../sync/directories.js';
import { MAX_PAGE_SIZE } from '../pagination.js';
import { numbersPage } from './phone-numbers.js';

/** Sort key: extension numbers in numeric order (`9` before `101`), id breaking ties; unique, so cursors work. */
function extensionKey(e: RcExtension): string {
  const number = e.extensionNumber ?? '';
  return `${number.padStart(12, '0')}:${e.id.padStart(20, '0')}`;
}

function matches(e: RcExtension, filter: ExtensionFilter | null | undefined): boolean {
  if (!filter) return true;
  if (filter.types && !filter.types.includes(extensionType(e.type))) return false;
  if (filter.statuses && !filter.statuses.includes(extensionStatus(e.status))) return false;
  const search = filter.search?.trim().toLowerCase();
  if (search) {
    const haystack = [e.name, e.extensionNumber, e.contact?.email, e.contact?.firstName, e.contact?.lastName].filter(Boolean).join('\n').toLowerCase();
    if (!haystack.includes(search)) return false;
  }
  return true;
}

export const extensionResolvers: Resolvers = {
  Query: {
    async extensions(_parent, { filter, first, after }, ctx, info) {
      await ctx.inventory(responsePathAsArray(info.path), ['ringcentral']);
      const extensions = (await ctx.store.inventory.directoryList(DIRECTORY.extension)).map((record) => JSON.parse(record) as RcExtension);
      const list = extensions.filter((e) => matches(e, filter)).sort((a, b) => (extensionKey(a) < extensionKey(b) ? -1 : 1));
      const page = ctx.paginator.page(list, extensionKey, { first, after }, 'extensions');
      const wrap = (extension: RcExtension) => ({ kind: 'Extension' as const, extension });
      return { ...page, nodes: page.nodes.map(wrap), edges: page.edges.map((e) => ({ cursor: e.cursor, node: wrap(e.node) })) };
    },
    async extension(_parent, { id }, ctx) {
      const [extensionId] = expectGlobalId(id, 'Extension', 1, 'id');
      const extension = await ctx.loaders.extension.load(extensionId!);
      return extension && { kind: 'Extension', extension };
    },
    async account(_parent, _args, ctx, info) {
      if (!ctx.clients.ringcentral) return null;
      await ctx.inventory(responsePathAsArray(info.path), ['ringcentral']);
      return ctx.loaders.ringcentralAccount.load(ACCOUNT_KEY);
    },
  },

  Extension: {
    async __resolveReference(reference, ctx) {
      const parsed = parseGlobalId(String(reference.id ?? ''));
      if (!parsed || parsed.type !== 'Extension' || parsed.key.length !== 1) return null;
      const extension = await ctx.loaders.extension.load(parsed.key[0]!);
      return extension && { kind: 'Extension', extension };
    },
    id: (e) => ids.extension(e.extension.id),
    extensionNumber: (e) => e.extension.extensionNumber ?? null,
    name: (e) => e.extension.name ?? ([e.extension.contact?.firstName, e.extension.contact?.lastName].filter(Boolean).join(' ') || `Extension ${e.extension.id}`),
    type: (e) => extensionType(e.extension.type),
    status: (e) => extensionStatus(e.extension.status),
    contact: (e) => ({
      firstName: e.extension.contact?.firstName ?? null,
      lastName: e.extension.contact?.lastName ?? null,
      email: e.extension.contact?.email ?? null,
      company: e.extension.contact?.company ?? null,
      jobTitle: e.extension.contact?.jobTitle ?? null,
      department: e.extension.contact?.department ?? null,
    }),
    async phoneNumbers(e, _args, ctx, info) {
      // An extension holds a handful of numbers: all of them, in one index query.
      const page = await numbersPage(ctx, { owner: e.extension.id }, { first: MAX_PAGE_SIZE }, `owner:${e.extension.id}`, responsePathAsArray(info.path));
      return page.nodes;
    },
    async forwardingNumbers(e, _args, ctx) {
      return ctx.loaders.forwardingNumbers.load(e.extension.id);
    },
  },

  ForwardingNumber: {
    id: (f) => f.id,
    phoneNumber: (f) => toE164(f.phoneNumber, { strict: false }) ?? f.phoneNumber ?? '',
    label: (f) => f.label ?? null,
    type: (f) => forwardingType(f.type),
    features: (f) => forwardingFeatures(f.features),
    flipNumber: (f) => f.flipNumber ?? null,
  },

  Account: {
    id: (a) => ids.account(a.id),
    async mainNumber(a, _args, ctx) {
      const e164 = toE164(a.mainNumber, { strict: false });
      return e164 ? ctx.loaders.phoneNumber.load(e164) : null;
    },
    status: (a) => accountStatus(a.status),
    servicePlan: (a) => a.serviceInfo?.servicePlan?.name ?? null,
  },
};

import { GraphQLError, responsePathAsArray } from 'graphql';
import type { PhoneNumberFilter, Resolvers } from '../../__generated__/resolvers-types.js';
import { normalizePhoneNumber } from '../../domain/phone-number.js';
import { numberFeatures, numberStatus, numberType, paymentType, ringyoStatus, usageType } from '../enums.js';
import { ids } from '../ids.js';
import type { NumberQuery } from '../../store/index.js';
import type { GraphContext } from '../context.js';
import type { PhoneNumberConnectionModel } from '../models.js';
import { labelOf, numberModel } from '../inventory.js';
import { assignmentsOf, destinationModel, routingOfSource } from '../routing.js';

/** Provider names as the schema's `Provider` enum. */
export const PROVIDER_ENUM = { ringcx: 'RINGCX', ringcentral: 'RINGCENTRAL', zendesk: 'ZENDESK', ringyo: 'RINGYO' } as const;
/** The schema's `Provider` back to our provider names. */
export const PROVIDER_OF_ENUM = Object.fromEntries(Object.entries(PROVIDER_ENUM).map(([k, v]) => [v, k])) as Record<(typeof PROVIDER_ENUM)[keyof typeof PROVIDER_ENUM], keyof typeof PROVIDER_ENUM>;
const SOURCE_TYPE = {
  ringcx: 'RingCxNumberSource',
  ringcentral: 'RingCentralNumberSource',
  zendesk: 'ZendeskNumberSource',
  ringyo: 'RingyoNumberSource',
} as const;

/** Digits and phone punctuation only: searched as part of the number, not as text. */
const DIGITS_ONLY = /^[\d\s()+\-.]+$/;

/** A `PhoneNumberFilter` as the index's query; BAD_USER_INPUT naming the field it cannot use. */
export function numberQuery(filter: PhoneNumberFilter | null | undefined): NumberQuery {
  if (!filter) return {};
  const query: NumberQuery = {};
  if (filter.providers) query.providers = filter.providers.map((p) => PROVIDER_OF_ENUM[p]);
  if (filter.assigned != null) query.routed = filter.assigned;
  if (filter.destination != null) query.destination = filter.destination;
  if (filter.country != null) query.country = filter.country;
  if (filter.tollFree != null) query.tollFree = filter.tollFree;
  const search = filter.search?.trim();
  if (search !== undefined) {
    if (!/[\p{L}\d]/u.test(search)) {
      throw new GraphQLError(`filter.search must contain digits or letters, got ${JSON.stringify(filter.search)}`, {
        extensions: { code: 'BAD_USER_INPUT', argument: 'filter.search' },
      });
    }
    if (DIGITS_ONLY.test(search)) query.digits = search.replace(/\D/g, '');
    else query.text = search.toLowerCase();
  }
  return query;
}

/**
 * A page of numbers from the index, in E.164 order: the page and one more
 * row to know whether another follows, and the count only if asked for.
 */
export async function numbersPage(
  ctx: GraphContext,
  query: NumberQuery,
  args: { first?: number | null; after?: string | null },
  scope: string,
  path: readonly (string | number)[],
): Promise<PhoneNumberConnectionModel> {
  const first = ctx.paginator.limit(args.first, 50);
  const after = args.after != null ? ctx.paginator.decode(args.after, scope) : null;
  // The index's state first: on an empty index, this waits for the first sync.
  const { confirmedAt } = await ctx.inventory(path);
  const rows = await ctx.store.inventory.page(query, after, first + 1);
  const pageRows = rows.slice(0, first);
  const found = await ctx.store.inventory.numbers(pageRows.map((r) => r.e164));
  const nodes = pageRows.map((row) => numberModel(row, found.get(row.e164)?.sources ?? [], confirmedAt));
  for (const node of nodes) ctx.loaders.phoneNumber.prime(node.e164, node);
  const edges = nodes.map((node) => ({ cursor: ctx.paginator.encode(node.e164, scope), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: after !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    // Counted only when the query selects it: a count walks every match.
    count: () => ctx.store.inventory.count(query),
  };
}

/** Reads a number in any common format for a lookup, or throws BAD_USER_INPUT naming `argument`. */
export function lookupE164(raw: string, argument: string): string {
  const parsed = normalizePhoneNumber(raw, { strict: false });
  if (!parsed.ok) {
    throw new GraphQLError(`${argument} ${parsed.reason}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
  }
  return parsed.e164;
}

export const phoneNumberResolvers: Resolvers = {
  Query: {
    phoneNumbers(_parent, { filter, first, after }, ctx, info) {
      return numbersPage(ctx, numberQuery(filter), { first, after }, 'phoneNumbers', responsePathAsArray(info.path));
    },

    async phoneNumber(_parent, { e164 }, ctx, info) {
      const key = lookupE164(e164, 'e164');
      await ctx.inventory(responsePathAsArray(info.path));
      return ctx.loaders.phoneNumber.load(key);
    },

    async availablePhoneNumbers(_parent, { country, areaCode, tollFree, contains }, ctx) {
      const zendesk = ctx.catalog.require('zendesk');
      return zendesk.searchAvailablePhoneNumbers({
        country,
        ...(areaCode != null && { area_code: areaCode }),
        ...(tollFree != null && { toll_free: tollFree }),
        ...(contains != null && { contains }),
      });
    },
  },

  PhoneNumber: {
    async __resolveReference(reference, ctx, info) {
      const parsed = normalizePhoneNumber(String(reference.e164 ?? ''), { strict: false });
      if (!parsed.ok) return null;
      await ctx.inventory(responsePathAsArray(info.path));
      return ctx.loaders.phoneNumber.load(parsed.e164);
    },
    id: (number) => ids.phoneNumber(number.e164),
    e164: (number) => number.e164,
    nationalFormat: (number) => number.parsed.national,
    internationalFormat: (number) => number.parsed.international,
    country: (number) => number.parsed.country,
    tollFree: (number) => number.parsed.tollFree,
    label: (number) => labelOf(number),
    capabilities(number) {
      // A capability any provider reports counts: the number can do it somewhere.
      const caps = { voice: false, sms: false, mms: false, fax: false };
      for (const source of number.sources) {
        switch (source.provider) {
          case 'ringcx':
            caps.voice = true;
            caps.sms ||= source.record.smsEnabled === true;
            break;
          case 'ringcentral': {
            const type = source.record.type;
            caps.voice ||= type !== 'FaxOnly';
            caps.fax ||= type === 'FaxOnly' || type === 'VoiceFax';
            break;
          }
          case 'zendesk':
            caps.voice ||= source.record.capabilities.voice;
            caps.sms ||= source.record.capabilities.sms;
            caps.mms ||= source.record.capabilities.mms;
            break;
          case 'ringyo':
            caps.voice ||= source.record.capabilities.voice;
            caps.sms ||= source.record.capabilities.sms;
            break;
        }
      }
      return caps;
    },
    sources: (number) => number.sources,
    assignments: (number) => assignmentsOf(number),
    async extension(number, _args, ctx) {
      const rc = number.sources.find((s) => s.provider === 'ringcentral');
      const id = rc?.provider === 'ringcentral' ? rc.record.extension?.id : undefined;
      if (!id) return null;
      const extension = await ctx.loaders.extension.load(id);
      return extension && { kind: 'Extension', extension };
    },
    trackingNumber(number) {
      for (const source of number.sources) {
        const routing = source.provider === 'ringcx' ? routingOfSource(source) : null;
        const destination = routing && destinationModel(routing.destination, number.e164, routing);
        if (destination?.kind === 'TrackingNumber') return destination;
      }
      return null;
    },
  },

  PhoneNumberConnection: {
    totalCount: (connection) => connection.count(),
  },

  PhoneNumberSource: {
    __resolveType: (source) => SOURCE_TYPE[source.provider],
  },

  RingCxNumberSource: {
    syncedAt: (s) => s.syncedAt ?? null,
    provider: () => 'RINGCX',
    providerId: (s) => s.providerId,
    rawNumber: (s) => s.record.dnis,
    accountId: (s) => s.record.accountId ?? null,
    accountName: (s) => s.record.accountName ?? null,
    category: (s) => s.record.dnisCategory ?? null,
    description: (s) => s.record.dnisDescription ?? null,
    notes: (s) => s.record.notes ?? null,
    // RingCX omits `active` on records it considers active by default.
    active: (s) => s.record.active !== false,
    carrier: (s) => s.record.carrier ?? null,
    createdAt: (s) => s.record.dateCreated ?? null,
  },

  RingCentralNumberSource: {
    syncedAt: (s) => s.syncedAt ?? null,
    provider: () => 'RINGCENTRAL',
    providerId: (s) => s.providerId,
    rawNumber: (s) => s.record.phoneNumber,
    usageType: (s) => usageType(s.record.usageType),
    paymentType: (s) => paymentType(s.v1?.paymentType),
    type: (s) => numberType(s.record.type),
    provisioningStatus: (s) => numberStatus(s.record.status),
    label: (s) => s.record.label ?? null,
    async features(s, _args, ctx) {
      const extensionId = s.record.extension?.id;
      if (!extensionId) return [];
      const byNumber = await ctx.loaders.extensionNumberFeatures.load(extensionId);
      return numberFeatures(byNumber.get(s.providerId) ?? []);
    },
  },

  ZendeskNumberSource: {
    syncedAt: (s) => s.syncedAt ?? null,
    provider: () => 'ZENDESK',
    providerId: (s) => s.providerId,
    rawNumber: (s) => s.record.number ?? s.record.display_number,
    displayNumber: (s) => s.record.display_number,
    nickname: (s) => s.record.nickname,
    async groups(s, _args, ctx) {
      // The default group first: it is the one omnichannel routing uses.
      const order = [...new Set([s.record.default_group_id, ...s.record.group_ids].filter((id): id is string => !!id))];
      const groups = await ctx.loaders.zendeskGroup.loadMany(order);
      return groups.flatMap((group) => (group && !(group instanceof Error) ? [{ kind: 'ZendeskGroup' as const, group }] : []));
    },
    async ivr(s, _args, ctx) {
      if (!s.record.ivr_id) return null;
      const ivr = await ctx.loaders.zendeskIvr.load(s.record.ivr_id);
      return ivr ? { kind: 'ZendeskIvr', ivr } : null;
    },
    tollFree: (s) => s.record.toll_free,
    external: (s) => s.record.external,
    capabilities: (s) => ({ voice: s.record.capabilities.voice, sms: s.record.capabilities.sms, mms: s.record.capabilities.mms, fax: false }),
  },

  RingyoNumberSource: {
    syncedAt: (s) => s.syncedAt ?? null,
    provider: () => 'RINGYO',
    providerId: (s) => s.providerId,
    rawNumber: (s) => s.record.phone_number,
    friendlyName: (s) => s.record.friendly_name,
    status: (s) => ringyoStatus(s.record.status),
    region: (s) => s.record.region,
    defaultAgent: (s) => (s.record.default_agent_id ? { kind: 'VoiceAgent', agentId: s.record.default_agent_id } : null),
  },

  AvailablePhoneNumber: {
    e164(n) {
      const parsed = normalizePhoneNumber(n.number, { strict: false });
      return parsed.ok ? parsed.e164 : n.number;
    },
    displayNumber: (n) => n.display_number,
    country: (n) => n.country_code || null,
    tollFree: (n) => n.toll_free,
    location: (n) => n.location,
    price: (n) => n.price,
    addressRequirements: (n) => n.address_requirements,
  },
};


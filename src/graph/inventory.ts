import { createHash } from 'node:crypto';
import { normalizePhoneNumber } from '../domain/phone-number.js';
import type { ProviderName } from '../providers/index.js';
import type { RcAccountPhoneNumber, RcCompanyPhoneNumber } from '../providers/ringcentral/index.js';
import type { DnisRecord } from '../providers/ringcx/index.js';
import type { RingyoPhoneNumber } from '../providers/ringyo/index.js';
import { zendeskE164, type ZendeskPhoneNumber } from '../providers/zendesk/index.js';
import type { NumberRow, SourceRow, StoredSource } from '../store/inventory.js';
import type { NumberSourceModel, PhoneNumberModel } from './models.js';
import { assignmentFromRouting, destinationIdOf, routingOfSource } from './routing.js';

/**
 * How provider records become the index's rows, and rows become the graph's
 * models again. Each provider writes numbers its own way (RingCX
 * `14155550100`, RingCentral and Ringyo E.164, Zendesk `+1 (415) 555-0100`);
 * every record is normalised leniently, since a provider already holds the
 * number, and records that share an E.164 are one `PhoneNumber`.
 */

/** A RingCentral number as the sync reads it: the v2 record, and the v1 record when v1 lists it. */
export interface RingCentralNumber {
  record: RcAccountPhoneNumber;
  v1?: RcCompanyPhoneNumber;
}

/** A provider record no rule could read as a phone number; kept out of the graph. */
export interface UnreadableRecord {
  provider: ProviderName;
  providerId: string;
  raw: string;
}

export const PROVIDER_ORDER: ProviderName[] = ['ringcx', 'ringcentral', 'zendesk', 'ringyo'];

/** A provider's records as sources keyed by E.164, and the records whose number could not be read. */
export function sourcesOf(
  provider: ProviderName,
  records: readonly (DnisRecord | RingCentralNumber | ZendeskPhoneNumber | RingyoPhoneNumber)[],
): { sources: NumberSourceModel[]; unreadable: UnreadableRecord[] } {
  const sources: NumberSourceModel[] = [];
  const unreadable: UnreadableRecord[] = [];
  for (const item of records) {
    const source = sourceOf(provider, item);
    if ('raw' in source) unreadable.push(source);
    else sources.push(source);
  }
  return { sources, unreadable };
}

function sourceOf(provider: ProviderName, item: DnisRecord | RingCentralNumber | ZendeskPhoneNumber | RingyoPhoneNumber): NumberSourceModel | UnreadableRecord {
  const read = (raw: string, hint: string | null) => {
    const parsed = normalizePhoneNumber(hint ?? raw, { strict: false });
    return parsed.ok ? parsed.e164 : null;
  };
  switch (provider) {
    case 'ringcx': {
      const record = item as DnisRecord;
      const e164 = read(record.dnis, record.dnisE164 ?? null);
      return e164 ? { provider, e164, providerId: record.dnis, record } : { provider, providerId: record.dnis, raw: record.dnis };
    }
    case 'ringcentral': {
      const { record, v1 } = item as RingCentralNumber;
      const e164 = read(record.phoneNumber, null);
      return e164 ? { provider, e164, providerId: record.id, record, ...(v1 && { v1 }) } : { provider, providerId: record.id, raw: record.phoneNumber };
    }
    case 'zendesk': {
      const record = item as ZendeskPhoneNumber;
      const e164 = read(record.display_number, zendeskE164(record));
      return e164 ? { provider, e164, providerId: record.id, record } : { provider, providerId: record.id, raw: record.display_number };
    }
    case 'ringyo': {
      const record = item as RingyoPhoneNumber;
      const e164 = read(record.phone_number, null);
      return e164 ? { provider, e164, providerId: record.id, record } : { provider, providerId: record.id, raw: record.phone_number };
    }
  }
}

/** A source as the index stores it, with what the filters and change detection need. */
export function sourceRow(source: NumberSourceModel): SourceRow {
  const record = JSON.stringify(source.provider === 'ringcentral' ? { record: source.record, v1: source.v1 ?? null } : { record: source.record });
  const routing = routingOfSource(source);
  const assignment = routing && assignmentFromRouting(source.e164, routing);
  return {
    provider: source.provider,
    provider_id: source.providerId,
    e164: source.e164,
    record,
    hash: createHash('sha1').update(record).digest('base64url'),
    routing: routing && JSON.stringify(routing),
    destination: assignment ? destinationIdOf(assignment) : null,
    owner: source.provider === 'ringcentral' ? (source.record.extension?.id ?? null) : null,
  };
}

/** A stored source as the graph's model, stamped with when it was last confirmed. */
export function sourceModel(row: StoredSource, confirmedAt: string | undefined): NumberSourceModel {
  const { record, v1 } = JSON.parse(row.record) as { record: never; v1?: RcCompanyPhoneNumber | null };
  const syncedAt = confirmedAt && confirmedAt > row.synced_at ? confirmedAt : row.synced_at;
  const base = { provider: row.provider, e164: row.e164, providerId: row.provider_id, record, syncedAt } as NumberSourceModel;
  if (base.provider === 'ringcentral' && v1) base.v1 = v1;
  return base;
}

/** The number row of `e164` from all its sources: formats, and what the filters test. */
export function numberRow(e164: string, sources: readonly NumberSourceModel[]): NumberRow | null {
  const parsed = normalizePhoneNumber(e164, { strict: false });
  if (!parsed.ok) return null;
  const number: PhoneNumberModel = { e164, parsed, sources: [...sources] };
  return {
    e164,
    country: parsed.country,
    toll_free: parsed.tollFree ? 1 : 0,
    national: parsed.national,
    international: parsed.international,
    // "Routes somewhere" means an active assignment: a disabled one sends calls nowhere.
    routed: sources.some((source) => routingOfSource(source)?.active === true) ? 1 : 0,
    search: searchableText(number),
  };
}

/** A number row and its stored sources as the graph's `PhoneNumber`, sources in provider order. */
export function numberModel(row: NumberRow, sources: readonly StoredSource[], confirmedAt: Partial<Record<string, string>>): PhoneNumberModel {
  return {
    e164: row.e164,
    parsed: { country: row.country as PhoneNumberModel['parsed']['country'], national: row.national, international: row.international, tollFree: row.toll_free === 1 },
    sources: sources
      .map((s) => sourceModel(s, confirmedAt[s.provider]))
      .sort((a, b) => PROVIDER_ORDER.indexOf(a.provider) - PROVIDER_ORDER.indexOf(b.provider)),
  };
}

/** The provider's own words for a number, for text search. */
function searchableText(number: PhoneNumberModel): string {
  const words: (string | null | undefined)[] = [];
  for (const source of number.sources) {
    switch (source.provider) {
      case 'ringcx':
        words.push(source.record.dnisDescription, source.record.notes, source.record.dnisCategory, source.record.assignedDnis?.dnisDescription);
        break;
      case 'ringcentral':
        words.push(source.record.label, source.v1?.location);
        break;
      case 'zendesk':
        words.push(source.record.nickname, source.record.name, source.record.location);
        break;
      case 'ringyo':
        words.push(source.record.friendly_name, source.record.region);
        break;
    }
  }
  return words.filter(Boolean).join('\n').toLowerCase();
}

/** The first human label any provider gives the number, in provider order. */
export function labelOf(number: PhoneNumberModel): string | null {
  for (const source of number.sources) {
    const label =
      source.provider === 'ringcx'
        ? source.record.dnisDescription
        : source.provider === 'ringcentral'
          ? source.record.label
          : source.provider === 'zendesk'
            ? source.record.nickname
            : source.record.friendly_name;
    if (label) return label;
  }
  return null;
}

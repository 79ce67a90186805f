import { normalizePhoneNumber, type NormalizedPhoneNumber } from '../domain/phone-number.js';
import type { ProviderError, ProviderName } from '../providers/index.js';
import type { RcAccountPhoneNumber, RcCompanyPhoneNumber } from '../providers/ringcentral/index.js';
import type { DnisRecord } from '../providers/ringcx/index.js';
import type { RingyoPhoneNumber } from '../providers/ringyo/index.js';
import { zendeskE164, type ZendeskPhoneNumber } from '../providers/zendesk/index.js';
import type { AssignmentModel, NumberSourceModel, PhoneNumberModel } from './models.js';
import { assignmentsOf, destinationIdOf } from './routing.js';

/** A RingCentral number as the catalog reads it: the v2 record, and the v1 record when v1 lists it. */
export interface RingCentralNumber {
  record: RcAccountPhoneNumber;
  v1?: RcCompanyPhoneNumber;
}

/** Each provider's snapshot, or the error that kept us from reading it, or undefined when switched off. */
export interface InventoryInput {
  ringcx?: DnisRecord[] | ProviderError;
  ringcentral?: RingCentralNumber[] | ProviderError;
  zendesk?: ZendeskPhoneNumber[] | ProviderError;
  ringyo?: RingyoPhoneNumber[] | ProviderError;
}

/** What filters need to know of a number, computed once per snapshot rather than per request. */
export interface NumberFacts {
  providers: Set<ProviderName>;
  assignments: AssignmentModel[];
  /** Global IDs of every destination the number routes to. */
  destinationIds: Set<string>;
  /** Labels, descriptions and nicknames, lower-cased, for text search. */
  text: string;
}

/** Every number across providers, one entry per E.164 number. */
export interface Inventory {
  /** Sorted by E.164 (the key cursors are built on). */
  numbers: PhoneNumberModel[];
  byE164: Map<string, PhoneNumberModel>;
  facts: Map<string, NumberFacts>;
  /** Providers whose inventory could not be read. */
  failures: ProviderError[];
  /** Provider records whose number no rule could read; kept out of the graph. */
  unreadable: { provider: ProviderName; providerId: string; raw: string }[];
}

const PROVIDER_ORDER: ProviderName[] = ['ringcx', 'ringcentral', 'zendesk', 'ringyo'];

/**
 * Merges the providers' snapshots into one list keyed by E.164. Each
 * provider writes numbers its own way (RingCX `14155550100`, RingCentral and
 * Ringyo E.164, Zendesk `+1 (415) 555-0100`); every source is normalised
 * leniently, since a provider already holds the number, and sources that
 * share an E.164 become one `PhoneNumber`.
 */
export function mergeInventory(input: InventoryInput): Inventory {
  const failures: ProviderError[] = [];
  const unreadable: Inventory['unreadable'] = [];
  const byE164 = new Map<string, { parsed: NormalizedPhoneNumber; sources: NumberSourceModel[] }>();

  const add = (provider: ProviderName, providerId: string, raw: string, e164Hint: string | null, make: (e164: string) => NumberSourceModel) => {
    const parsed = normalizePhoneNumber(e164Hint ?? raw, { strict: false });
    if (!parsed.ok) {
      unreadable.push({ provider, providerId, raw });
      return;
    }
    const entry = byE164.get(parsed.e164);
    if (entry) entry.sources.push(make(parsed.e164));
    else byE164.set(parsed.e164, { parsed, sources: [make(parsed.e164)] });
  };
  const each = <T>(value: T[] | ProviderError | undefined, visit: (item: T) => void) => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach(visit);
    else failures.push(value);
  };

  each(input.ringcx, (record) =>
    add('ringcx', record.dnis, record.dnis, record.dnisE164 ?? null, (e164) => ({ provider: 'ringcx', e164, providerId: record.dnis, record })),
  );
  each(input.ringcentral, ({ record, v1 }) =>
    add('ringcentral', record.id, record.phoneNumber, null, (e164) => ({
      provider: 'ringcentral',
      e164,
      providerId: record.id,
      record,
      ...(v1 && { v1 }),
    })),
  );
  each(input.zendesk, (record) =>
    add('zendesk', record.id, record.display_number, zendeskE164(record), (e164) => ({ provider: 'zendesk', e164, providerId: record.id, record })),
  );
  each(input.ringyo, (record) =>
    add('ringyo', record.id, record.phone_number, null, (e164) => ({ provider: 'ringyo', e164, providerId: record.id, record })),
  );

  const numbers: PhoneNumberModel[] = [...byE164.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([e164, { parsed, sources }]) => ({
      e164,
      parsed,
      sources: sources.sort((a, b) => PROVIDER_ORDER.indexOf(a.provider) - PROVIDER_ORDER.indexOf(b.provider)),
    }));

  const facts = new Map<string, NumberFacts>();
  for (const number of numbers) {
    const assignments = assignmentsOf(number);
    facts.set(number.e164, {
      providers: new Set(number.sources.map((s) => s.provider)),
      assignments,
      destinationIds: new Set(assignments.map(destinationIdOf)),
      text: searchableText(number),
    });
  }
  return { numbers, byE164: new Map(numbers.map((n) => [n.e164, n])), facts, failures, unreadable };
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

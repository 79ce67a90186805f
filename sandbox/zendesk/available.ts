import { isSupportedCountry } from 'libphonenumber-js/max';
import { normalizePhoneNumber } from '../../src/domain/phone-number.js';
import type { Random } from '../core/random.js';
import { ZendeskApiError } from './errors.js';
import { containsPattern, matchesPattern, zendeskDisplayNumber } from './format.js';
import type { AvailableNumber } from './model.js';
import { hex } from './seed.js';

/** `GET /phone_numbers/search` parameters, validated. */
export interface SearchQuery {
  country: string;
  areaCode?: string;
  /** Digits and `*` wildcards (letters already turned into keypad digits). */
  contains?: string;
  tollFree?: boolean;
}

const AREAS: Record<'US' | 'CA', [string, string][]> = {
  US: [
    ['212', 'NY'], ['312', 'IL'], ['415', 'CA'], ['512', 'TX'], ['617', 'MA'], ['206', 'WA'], ['303', 'CO'],
    ['404', 'GA'], ['602', 'AZ'], ['713', 'TX'], ['305', 'FL'], ['615', 'TN'], ['503', 'OR'], ['919', 'NC'],
  ],
  CA: [['416', 'ON'], ['604', 'BC'], ['514', 'QC'], ['403', 'AB'], ['613', 'ON']],
};
const TOLL_FREE = ['800', '833', '844', '855', '866', '877', '888'];
const RESULTS = 20;
const ATTEMPTS = 600;

/** Reads and checks the search query string; every refusal names its parameter. */
export function parseSearchQuery(query: Record<string, string>): SearchQuery {
  const country = (query.country ?? '').trim();
  if (country === '') throw ZendeskApiError.badParameter('country', "Country can't be blank", 'BlankValue');
  if (!/^[A-Za-z]{2}$/.test(country) || !isSupportedCountry(country.toUpperCase())) {
    throw ZendeskApiError.badParameter('country', `Country ${country} is not a valid ISO 3166 country code`);
  }
  const out: SearchQuery = { country: country.toUpperCase() };
  if (query.area_code !== undefined && query.area_code !== '') {
    if (out.country !== 'US' && out.country !== 'CA') {
      throw ZendeskApiError.badParameter('area_code', 'Area code is only supported for US and CA numbers');
    }
    if (!/^\d{3}$/.test(query.area_code)) throw ZendeskApiError.badParameter('area_code', 'Area code must be 3 digits');
    out.areaCode = query.area_code;
  }
  if (query.contains !== undefined && query.contains !== '') {
    const pattern = containsPattern(query.contains);
    if (pattern === null || pattern.length > 10) {
      throw ZendeskApiError.badParameter('contains', 'Contains may only use up to 10 characters from 0-9, a-z and *');
    }
    out.contains = pattern;
  }
  if (query.toll_free !== undefined && query.toll_free !== '') {
    if (query.toll_free !== 'true' && query.toll_free !== 'false') {
      throw ZendeskApiError.badParameter('toll_free', 'Toll free must be true or false');
    }
    out.tollFree = query.toll_free === 'true';
  }
  return out;
}

/**
 * Numbers the carrier would offer for `query`: deterministic for a given
 * query (the PRNG is forked from the query text), valid for their country,
 * matching the pattern, and never one any sandbox provider already holds.
 * The sandbox stocks US, Canadian and UK numbers; other countries have none.
 */
export function findAvailableNumbers(
  random: Random,
  query: SearchQuery,
  isTaken: (e164: string) => boolean,
  tokenFor: (e164: string) => string,
): AvailableNumber[] {
  if (query.country !== 'US' && query.country !== 'CA' && query.country !== 'GB') return [];
  const r = random.fork(`search:${query.country}:${query.areaCode ?? ''}:${query.contains ?? ''}:${query.tollFree ?? ''}`);
  const found = new Map<string, AvailableNumber>();
  for (let attempt = 0; attempt < ATTEMPTS && found.size < RESULTS; attempt++) {
    const candidate = query.country === 'GB' ? ukCandidate(r, query) : nanpCandidate(r, query);
    if (!candidate || found.has(candidate.e164) || isTaken(candidate.e164)) continue;
    const parsed = normalizePhoneNumber(candidate.e164);
    if (!parsed.ok || parsed.e164 !== candidate.e164 || parsed.country !== query.country) continue;
    const tollFree = parsed.tollFree;
    if (query.tollFree !== undefined && tollFree !== query.tollFree) continue;
    if (query.contains && !matchesPattern(candidate.e164.slice(candidate.e164.startsWith('+1') ? 2 : 3), query.contains)) continue;
    found.set(candidate.e164, {
      number: candidate.e164,
      display_number: zendeskDisplayNumber(candidate.e164),
      toll_free: tollFree,
      location: tollFree ? null : candidate.location,
      country_code: query.country,
      token: tokenFor(candidate.e164),
      price: tollFree ? '$2.00' : query.country === 'GB' ? '$1.50' : '$1.00',
      address_requirements: query.country === 'GB' ? (tollFree ? 'any' : 'local') : 'none',
    });
  }
  return [...found.values()];
}

/** A deterministic provisioning token for `e164`: 32 hex characters. */
export function tokenFor(random: Random, e164: string): string {
  return hex(random.fork(`token:${e164}`), 32);
}

function nanpCandidate(r: Random, query: SearchQuery): { e164: string; location: string | null } | null {
  const areas = AREAS[query.country as 'US' | 'CA'];
  const area = query.areaCode ?? (query.tollFree ? r.pick(TOLL_FREE) : r.pick(areas)[0]);
  const digits = [...area, ...randomDigits(r, 7)];
  if (!place(r, digits, query.contains, query.areaCode !== undefined || query.tollFree === true ? 3 : 0)) return null;
  if (query.areaCode !== undefined && digits.slice(0, 3).join('') !== query.areaCode) return null;
  const national = digits.join('');
  const location = areas.find(([code]) => code === national.slice(0, 3))?.[1] ?? null;
  return { e164: `+1${national}`, location };
}

function ukCandidate(r: Random, query: SearchQuery): { e164: string; location: string | null } | null {
  const kind = query.tollFree ? 'free' : r.chance(0.6) ? 'london' : 'manchester';
  const prefix = kind === 'free' ? '800' : kind === 'london' ? '207' : '161';
  const digits = [...prefix, ...randomDigits(r, 7)];
  if (!place(r, digits, query.contains, 3)) return null;
  return { e164: `+44${digits.join('')}`, location: kind === 'london' ? 'London' : kind === 'manchester' ? 'Manchester' : null };
}

function randomDigits(r: Random, count: number): string[] {
  return Array.from({ length: count }, () => String(r.int(0, 9)));
}

/**
 * Writes `pattern` into `digits` at a random position at or after `from`
 * (wildcards become random digits), so that patterns match without a blind
 * search. Returns false when the pattern cannot fit.
 */
function place(r: Random, digits: string[], pattern: string | undefined, from: number): boolean {
  if (!pattern) return true;
  const start = pattern.length <= digits.length - from ? from : 0;
  if (pattern.length > digits.length - start) return false;
  const at = r.int(start, digits.length - pattern.length);
  [...pattern].forEach((ch, i) => {
    digits[at + i] = ch === '*' ? String(r.int(0, 9)) : ch;
  });
  return true;
}

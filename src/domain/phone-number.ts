import {
  parsePhoneNumberFromString,
  type CountryCode,
  type NumberType,
  type PhoneNumber as ParsedNumber,
} from 'libphonenumber-js/max';

/**
 * One canonical form for every provider's way of writing a number:
 * RingCX DNIS are 11 digits without "+" (`15551234567`), RingCentral and Ringyo
 * send E.164, Zendesk shows display formats (`+1 (912) 214-5744`), and users type
 * anything. Everything is keyed by E.164 inside Switchboard.
 */
export interface NormalizedPhoneNumber {
  /** E.164, e.g. `+14155550100`. */
  e164: string;
  /** ISO 3166-1 alpha-2 country, when the number maps to exactly one. */
  country: CountryCode | null;
  /** National display format, e.g. `(415) 555-0100`. */
  national: string;
  /** International display format, e.g. `+1 415 555 0100`. */
  international: string;
  /** libphonenumber's line type; `null` when the metadata cannot tell. */
  type: NumberType | null;
  tollFree: boolean;
  /** RingCX's DNIS form: the E.164 digits without "+". */
  dnis: string;
}

export type NormalizeResult =
  | ({ ok: true } & NormalizedPhoneNumber)
  | { ok: false; reason: string };

export interface NormalizeOptions {
  /** Country assumed for numbers written without a country code. Default `US`. */
  defaultCountry?: CountryCode;
  /**
   * `true` (default) requires a number that is valid for its country's
   * numbering plan. `false` accepts any number of a possible length, which is
   * what we want when reading records a provider already holds.
   */
  strict?: boolean;
}

/**
 * Normalises a phone number written in any common format to E.164.
 *
 * Digits without "+" are first read as a national number of `defaultCountry`
 * (so `4155550100` and `14155550100` are US numbers), then, failing that, as an
 * international number (so RingCX's `442071234567` is a UK number).
 */
export function normalizePhoneNumber(raw: string, options: NormalizeOptions = {}): NormalizeResult {
  const parsed = parse(raw, options);
  return parsed.ok ? { ok: true, ...describe(parsed.number) } : parsed;
}

/** Only the E.164 and DNIS forms of a number, or why it has none. */
export type E164Result = { ok: true; e164: string; dnis: string } | { ok: false; reason: string };

/**
 * {@link normalizePhoneNumber}'s verdict without the display formats and line
 * type, which cost about half of it: for hot paths that need only the
 * canonical form (an upload validates every row of a file).
 */
export function normalizeToE164(raw: string, options: NormalizeOptions = {}): E164Result {
  const parsed = parse(raw, options);
  return parsed.ok ? { ok: true, e164: parsed.number.number, dnis: parsed.number.number.slice(1) } : parsed;
}

/** The one reading of a written number: the parsed number, or why it is none. */
function parse(raw: string, options: NormalizeOptions): { ok: true; number: ParsedNumber } | { ok: false; reason: string } {
  const defaultCountry = options.defaultCountry ?? 'US';
  const strict = options.strict ?? true;
  const accept = (p: ParsedNumber | undefined): boolean => !!p && (strict ? p.isValid() : p.isPossible());

  const text = raw.trim().replace(/^tel:/i, '');
  if (text === '') return { ok: false, reason: 'is empty' };
  if (/[^\d\s()+\-./]/.test(text)) return { ok: false, reason: `contains characters that are not part of a phone number: "${raw}"` };

  const digits = text.replace(/\D/g, '');
  let candidates: string[];
  if (text.startsWith('+')) candidates = [`+${digits}`];
  else if (digits.startsWith('00')) candidates = [`+${digits.slice(2)}`];
  else if (digits.startsWith('011')) candidates = [`+${digits.slice(3)}`];
  else candidates = [digits, `+${digits}`];

  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, candidate.startsWith('+') ? undefined : defaultCountry);
    if (parsed && accept(parsed)) return { ok: true, number: parsed };
  }
  if (digits.length < 7) return { ok: false, reason: `is too short to be a phone number: "${raw}"` };
  if (digits.length > 15) return { ok: false, reason: `is too long to be a phone number: "${raw}"` };
  return { ok: false, reason: `is not a valid phone number: "${raw}"` };
}

/** Like {@link normalizePhoneNumber} but returns the E.164 string or `null`. */
export function toE164(raw: string | null | undefined, options?: NormalizeOptions): string | null {
  if (raw == null) return null;
  const result = normalizeToE164(raw, options);
  return result.ok ? result.e164 : null;
}

/** The RingCX DNIS form (E.164 without "+") of a number in any format, or `null`. */
export function toDnis(raw: string, options?: NormalizeOptions): string | null {
  const e164 = toE164(raw, options);
  return e164 && e164.slice(1);
}

function describe(p: ParsedNumber): NormalizedPhoneNumber {
  const type = p.getType() ?? null;
  return {
    e164: p.number,
    country: p.country ?? null,
    national: p.formatNational(),
    international: p.formatInternational(),
    type,
    tollFree: type === 'TOLL_FREE',
    dnis: p.number.slice(1),
  };
}

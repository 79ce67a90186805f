import { normalizePhoneNumber } from '../../src/domain/phone-number.js';

/**
 * Zendesk's `display_number`: NANP numbers as `+1 (912) 214-5744`, everything
 * else in international format (`+44 20 7123 4567`), as Talk shows them.
 */
export function zendeskDisplayNumber(e164: string): string {
  const parsed = normalizePhoneNumber(e164, { strict: false });
  if (!parsed.ok) return e164;
  return e164.startsWith('+1') ? `+1 ${parsed.national}` : parsed.international;
}

/**
 * Zendesk's `location`: the state or province code for North American local
 * numbers (`"CA"`), the city elsewhere (`"Leeds"`), nothing for toll-free.
 */
export function zendeskLocation(seedLocation: string, tollFree: boolean): string | null {
  if (tollFree) return null;
  const comma = seedLocation.lastIndexOf(', ');
  return comma === -1 ? seedLocation : seedLocation.slice(comma + 2);
}

/** Zendesk timestamps: ISO 8601 in UTC without milliseconds (`2013-04-13T16:02:33Z`). */
export function zendeskTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Phone-keypad letters, for `contains` patterns such as `HELP`. */
const KEYPAD: Record<string, string> = {
  a: '2', b: '2', c: '2', d: '3', e: '3', f: '3', g: '4', h: '4', i: '4', j: '5', k: '5', l: '5',
  m: '6', n: '6', o: '6', p: '7', q: '7', r: '7', s: '7', t: '8', u: '8', v: '8', w: '9', x: '9', y: '9', z: '9',
};

/**
 * A search `contains` pattern as digits and `*` wildcards (letters become
 * keypad digits), or `null` when it uses characters Zendesk does not accept.
 */
export function containsPattern(raw: string): string | null {
  if (!/^[0-9a-zA-Z*]+$/.test(raw)) return null;
  return [...raw.toLowerCase()].map((ch) => KEYPAD[ch] ?? ch).join('');
}

/** Whether `digits` contains `pattern` anywhere, `*` matching any one digit. */
export function matchesPattern(digits: string, pattern: string): boolean {
  const regex = new RegExp(pattern.replace(/\*/g, '\\d'));
  return regex.test(digits);
}

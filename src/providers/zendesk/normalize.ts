import { normalizePhoneNumber } from '../../domain/phone-number.js';
import type { CountryCode } from 'libphonenumber-js/max';

/**
 * The E.164 form of a Talk number. Zendesk's `number` is already E.164, but
 * some responses (minimal mode, older endpoints) carry only the display format
 * (`+1 (912) 214-5744`, `+44 20 7123 4567`), so that is read as a fallback,
 * with the record's country for numbers written without a country code.
 * Numbers Zendesk holds are read leniently (possible, not necessarily valid).
 */
export function zendeskE164(phone: { number?: string | null; display_number?: string | null; country_code?: string | null }): string | null {
  const defaultCountry = /^[A-Z]{2}$/.test(phone.country_code ?? '') ? (phone.country_code as CountryCode) : undefined;
  for (const raw of [phone.number, phone.display_number]) {
    if (!raw) continue;
    const parsed = normalizePhoneNumber(raw, { strict: false, ...(defaultCountry && { defaultCountry }) });
    if (parsed.ok) return parsed.e164;
  }
  return null;
}

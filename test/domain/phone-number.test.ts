import { describe, expect, it } from '@jest/globals';
import { normalizePhoneNumber, normalizeToE164, toDnis, toE164 } from '../../src/domain/phone-number.js';

describe('normalizePhoneNumber', () => {
  it.each([
    ['RingCX 11-digit DNIS', '14155550100', '+14155550100'],
    ['E.164 (RingCentral, Ringyo)', '+14155550100', '+14155550100'],
    ['Zendesk display format', '+1 (912) 214-5744', '+19122145744'],
    ['US national with punctuation', '(415) 867-5309', '+14158675309'],
    ['US ten digits', '4158675309', '+14158675309'],
    ['dotted', '415.867.5309', '+14158675309'],
    ['tel: URI', 'tel:+14155550100', '+14155550100'],
    ['RingCX international DNIS without +', '442071234567', '+442071234567'],
    ['UK E.164 with spaces', '+44 20 7123 4567', '+442071234567'],
    ['00 international prefix', '0044 20 7123 4567', '+442071234567'],
    ['011 international prefix', '011 44 20 7123 4567', '+442071234567'],
    ['Canadian DNIS', '14168675309', '+14168675309'],
    ['toll-free DNIS', '18887775555', '+18887775555'],
  ])('reads %s', (_label, input, e164) => {
    const result = normalizePhoneNumber(input);
    expect(result).toMatchObject({ ok: true, e164 });
  });

  it('describes the number', () => {
    expect(normalizePhoneNumber('18887775555')).toEqual({
      ok: true,
      e164: '+18887775555',
      country: 'US',
      national: '(888) 777-5555',
      international: '+1 888 777 5555',
      type: 'TOLL_FREE',
      tollFree: true,
      dnis: '18887775555',
    });
    expect(normalizePhoneNumber('+442071234567')).toMatchObject({ country: 'GB', tollFree: false, national: '020 7123 4567' });
  });

  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['12345', 'is too short to be a phone number: "12345"'],
    ['1234567890123456789', 'is too long to be a phone number: "1234567890123456789"'],
    ['+1 555 010 0000', 'is not a valid phone number: "+1 555 010 0000"'],
    ['call me', 'contains characters that are not part of a phone number: "call me"'],
  ])('rejects %j with a reason', (input, reason) => {
    expect(normalizePhoneNumber(input)).toEqual({ ok: false, reason });
  });

  it('accepts a possible-but-unassigned number only when not strict', () => {
    expect(normalizePhoneNumber('15550100000').ok).toBe(false);
    expect(normalizePhoneNumber('15550100000', { strict: false })).toMatchObject({ ok: true, e164: '+15550100000' });
  });

  it.each<[string, { strict?: boolean }]>([
    ['14155550100', {}],
    ['+1 (912) 214-5744', {}],
    ['442071234567', {}],
    ['15550100000', {}],
    ['15550100000', { strict: false }],
    ['12', {}],
    ['1'.repeat(20), {}],
    ['call me', {}],
    ['', {}],
  ])('gives the same verdict for %j, options %j, without the display formats', (input, options) => {
    const full = normalizePhoneNumber(input, options);
    const lean = normalizeToE164(input, options);
    expect(lean).toEqual(full.ok ? { ok: true, e164: full.e164, dnis: full.dnis } : full);
  });

  it('offers E.164 and DNIS shortcuts', () => {
    expect(toE164('(415) 867-5309')).toBe('+14158675309');
    expect(toE164('nope')).toBeNull();
    expect(toE164(undefined)).toBeNull();
    expect(toDnis('+1 (415) 867-5309')).toBe('14158675309');
  });
});

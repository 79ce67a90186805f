import { describe, expect, it } from '@jest/globals';
import {
  mapRingyoError,
  parseRingyoPage,
  parseRingyoPhoneNumberBody,
  ringyoQuietMs,
  RingyoParseError,
} from '../../../src/providers/ringyo/index.js';

// The two numbers of the list page's documented example.
const MAIN = {
  id: 'pn_abc123',
  phone_number: '+18005551234',
  friendly_name: 'Main Business Line',
  country: 'US',
  region: 'CA',
  capabilities: { voice: true, sms: true },
  status: 'active',
  default_agent_id: 'agent_abc123',
  created_at: '2024-01-10T08:00:00Z',
};
const SALES = {
  id: 'pn_def456',
  phone_number: '+14155559876',
  friendly_name: 'Sales Line',
  country: 'US',
  region: 'CA',
  capabilities: { voice: true, sms: false },
  status: 'active',
  default_agent_id: null,
  created_at: '2024-01-12T10:30:00Z',
};

describe('parseRingyoPage', () => {
  it('reads the list page’s envelope and pages by cursor', () => {
    expect(parseRingyoPage({ data: [MAIN, SALES], has_more: true, next_cursor: 'cur_2', total: 5 })).toEqual({
      items: [MAIN, SALES],
      next: { cursor: 'cur_2' },
      total: 5,
    });
    expect(parseRingyoPage({ data: [MAIN, SALES], has_more: false, next_cursor: null, total: 2 })).toEqual({ items: [MAIN, SALES], next: null, total: 2 });
  });

  it('reads the introduction’s envelope and pages by offset', () => {
    expect(parseRingyoPage({ data: [MAIN, SALES], pagination: { total: 100, limit: 20, offset: 40, has_more: true } })).toEqual({
      items: [MAIN, SALES],
      next: { offset: 42 },
      total: 100,
    });
    expect(parseRingyoPage({ data: [SALES], pagination: { total: 41, limit: 20, offset: 40, has_more: false } }).next).toBeNull();
  });

  it('treats a bare {data: [...]} as the only page', () => {
    expect(parseRingyoPage({ data: [MAIN], meta: { request_id: 'req_abc123' } })).toEqual({ items: [MAIN], next: null, total: null });
  });

  it.each([
    [{ items: [] }, 'data must be an array'],
    [{ data: [], has_more: true, next_cursor: null }, 'has_more is true but next_cursor is missing'],
    [{ data: [], pagination: { offset: 0, has_more: true } }, 'pagination.has_more is true on an empty page'],
    [{ data: [{ ...MAIN, id: 7 }] }, 'data[0].id must be a non-empty string'],
    [{ data: [MAIN], total: -1 }, 'total must be a non-negative integer'],
  ])('refuses %j', (body, message) => {
    expect(() => parseRingyoPage(body)).toThrow(new RingyoParseError(message));
  });
});

describe('parseRingyoPhoneNumberBody', () => {
  const detailed = {
    ...MAIN,
    stats: { total_calls: 5420, total_minutes: 18500, calls_this_month: 342, minutes_this_month: 1156 },
    updated_at: '2024-01-15T12:30:00Z',
  };

  it('reads the bare object the endpoint page shows', () => {
    expect(parseRingyoPhoneNumberBody(detailed)).toEqual(detailed);
  });

  it('unwraps the {data, meta} envelope the introduction shows', () => {
    expect(parseRingyoPhoneNumberBody({ data: detailed, meta: { request_id: 'req_abc123' } })).toEqual(detailed);
  });

  it('keeps recent calls field by field and passes unknown statuses through', () => {
    const parsed = parseRingyoPhoneNumberBody({
      ...MAIN,
      status: 'suspended',
      capabilities: undefined,
      recent_calls: [{ id: 'call_1', direction: 'inbound', duration_seconds: 61, agent_id: null, extra: 'ignored' }],
    });
    expect(parsed).toEqual({
      ...MAIN,
      status: 'suspended',
      capabilities: { voice: false, sms: false },
      recent_calls: [{ id: 'call_1', direction: 'inbound', duration_seconds: 61, agent_id: null }],
    });
  });
});

describe('mapRingyoError', () => {
  const map = (status: number, body: unknown) => mapRingyoError({ status, headers: {}, body });

  it.each([
    [
      400,
      { error: { code: 'invalid_country', message: 'Country code XX is not valid', details: { parameter: 'country' } }, meta: { request_id: 'req_1' } },
      { message: 'Country code XX is not valid (parameter: country)', providerCode: 'invalid_country' },
    ],
    [
      400,
      { error: { code: 'invalid_parameter', message: 'limit must be an integer between 1 and 100', details: { parameter: 'limit' } } },
      { message: 'limit must be an integer between 1 and 100', providerCode: 'invalid_parameter' },
    ],
    [404, { error: { code: 'not_found', message: 'Phone number pn_x not found', details: {} } }, { message: 'Phone number pn_x not found', providerCode: 'not_found' }],
    [429, { error: 'Too many requests' }, { message: 'Too many requests' }],
    [502, '<html>Bad gateway</html>', { message: '<html>Bad gateway</html>' }],
    [500, null, { message: 'HTTP 500' }],
  ])('maps %i %j', (status, body, mapped) => {
    expect(map(status, body)).toEqual(mapped);
  });
});

describe('ringyoQuietMs', () => {
  const now = 1_705_312_790_000;
  const response = (status: number, headers: Record<string, string>) => ({ status, headers });

  it('waits until X-RateLimit-Reset when nothing remains or on a 429', () => {
    expect(ringyoQuietMs(response(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1705312800' }), now)).toBe(10_000);
    expect(ringyoQuietMs(response(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1705312795' }), now)).toBe(5_000);
  });

  it('does not hold back while requests remain, or without a usable reset', () => {
    expect(ringyoQuietMs(response(200, { 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': '1705312800' }), now)).toBeUndefined();
    expect(ringyoQuietMs(response(429, {}), now)).toBeUndefined();
    expect(ringyoQuietMs(response(429, { 'x-ratelimit-reset': 'soon' }), now)).toBeUndefined();
  });

  it('never waits past a reset already gone, nor longer than a minute on a skewed clock', () => {
    expect(ringyoQuietMs(response(429, { 'x-ratelimit-reset': '1705312700' }), now)).toBe(0);
    expect(ringyoQuietMs(response(429, { 'x-ratelimit-reset': '1705399999' }), now)).toBe(60_000);
  });
});

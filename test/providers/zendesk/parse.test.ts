import { describe, expect, it } from '@jest/globals';
import {
  mapZendeskError,
  parseListPage,
  parsePhoneNumber,
  zendeskE164,
  ZendeskParseError,
} from '../../../src/providers/zendesk/index.js';

const item = (raw: unknown) => raw as { id: number };

describe('parseListPage', () => {
  it('reads a cursor page and follows links.next while has_more', () => {
    const page = parseListPage(
      {
        groups: [{ id: 1 }, { id: 2 }],
        meta: { has_more: true, after_cursor: 'xxx', before_cursor: 'yyy' },
        links: { next: 'https://acme.zendesk.com/api/v2/groups.json?page[size]=2&page[after]=xxx', prev: null },
      },
      ['groups'],
      item,
    );
    expect(page).toEqual({
      items: [{ id: 1 }, { id: 2 }],
      next: { url: 'https://acme.zendesk.com/api/v2/groups.json?page[size]=2&page[after]=xxx' },
    });
  });

  it('falls back to the after cursor when a cursor page has no next link', () => {
    const page = parseListPage({ groups: [{ id: 1 }], meta: { has_more: true, after_cursor: 'xxx' } }, ['groups'], item);
    expect(page.next).toEqual({ after: 'xxx' });
  });

  it('stops on has_more false even though Zendesk still sends a next link', () => {
    const page = parseListPage(
      { groups: [{ id: 1 }], meta: { has_more: false, after_cursor: 'xxx', before_cursor: 'yyy' }, links: { next: 'https://x/next', prev: 'https://x/prev' } },
      ['groups'],
      item,
    );
    expect(page.next).toBeNull();
  });

  it('reads an offset page and follows next_page until it is null', () => {
    const body = (next: string | null) => ({ phone_numbers: [{ id: 6 }], next_page: next, previous_page: null, count: 2 });
    expect(parseListPage(body('https://acme.zendesk.com/api/v2/channels/voice/phone_numbers.json?page=2'), ['phone_numbers'], item)).toEqual({
      items: [{ id: 6 }],
      next: { url: 'https://acme.zendesk.com/api/v2/channels/voice/phone_numbers.json?page=2' },
    });
    expect(parseListPage(body(null), ['phone_numbers'], item).next).toBeNull();
  });

  it('accepts the first collection key present (IVRs come back as ivrs)', () => {
    expect(parseListPage({ ivr: [{ id: 1 }], next_page: null }, ['ivrs', 'ivr'], item).items).toEqual([{ id: 1 }]);
  });

  it.each([
    [{ phone_numbers: null }, 'expected an array at phone_numbers'],
    ['<html>', 'body must be an object'],
    [{ phone_numbers: [], meta: { has_more: 'yes' } }, 'meta.has_more must be a boolean'],
    [{ phone_numbers: [], meta: { has_more: true } }, 'meta.has_more is true but neither links.next nor meta.after_cursor says where the next page is'],
    [{ phone_numbers: [], next_page: 2 }, 'next_page must be a URL or null'],
  ])('refuses %j', (body, message) => {
    expect(() => parseListPage(body, ['phone_numbers'], item)).toThrow(new ZendeskParseError(message));
  });
});

describe('parsePhoneNumber', () => {
  it('reads the documented example, ids as strings', () => {
    const parsed = parsePhoneNumber({
      id: 6,
      number: '+353766801402',
      display_number: '+353 76 680 1402',
      name: 'Awesome Support Line',
      nickname: 'Awesome Support Line',
      toll_free: false,
      location: 'TX',
      country_code: 'US',
      created_at: '2013-04-13T16:02:33Z',
      transcription: false,
      recorded: true,
      group_ids: [1, 2],
      default_group_id: 1,
      greeting_ids: [1, 2],
      default_greeting_ids: ['voicemail_en', 'available_jp'],
      sms_group_id: 7,
      capabilities: { sms: true, mms: false, voice: true },
    });
    expect(parsed).toEqual({
      id: '6',
      number: '+353766801402',
      display_number: '+353 76 680 1402',
      name: 'Awesome Support Line',
      nickname: 'Awesome Support Line',
      country_code: 'US',
      location: 'TX',
      toll_free: false,
      external: false,
      created_at: '2013-04-13T16:02:33Z',
      capabilities: { sms: true, mms: false, voice: true },
      recorded: true,
      transcription: false,
      group_ids: ['1', '2'],
      default_group_id: '1',
      sms_group_id: '7',
      greeting_ids: ['1', '2'],
      default_greeting_ids: ['voicemail_en', 'available_jp'],
      ivr_id: null,
      schedule_id: null,
      priority: null,
      line_type: null,
      failover_number: null,
      brand_id: null,
    });
  });

  it('reads a minimal-mode record, which has no number, only the display format', () => {
    const parsed = parsePhoneNumber({
      id: 21646232175257,
      country_code: 'US',
      external: false,
      nickname: null,
      display_number: '+1 (912) 214-5744',
      capabilities: { sms: true, mms: true, voice: true },
      sms_enabled: false,
      priority: 0,
      outbound_enabled: true,
      line_type: 'phone',
    });
    expect(parsed).toMatchObject({ id: '21646232175257', number: null, display_number: '+1 (912) 214-5744', priority: 0, group_ids: [] });
    expect(zendeskE164(parsed)).toBe('+19122145744');
  });

  it.each([
    [{ id: 'abc', number: '+1' }, 'phone_number.id must be an integer id'],
    [{ id: 1 }, 'phone_number has neither number nor display_number'],
    [{ id: 1, number: '+1', group_ids: [1, 'x'] }, 'phone_number.group_ids[1] must be an integer id'],
    [{ id: 1, number: '+1', toll_free: 'no' }, 'phone_number.toll_free must be a boolean'],
  ])('refuses %j', (raw, message) => {
    expect(() => parsePhoneNumber(raw)).toThrow(new ZendeskParseError(message));
  });
});

describe('zendeskE164', () => {
  it.each([
    [{ number: '+19122145744', display_number: '+1 (912) 214-5744' }, '+19122145744'],
    [{ display_number: '+1 (912) 214-5744' }, '+19122145744'],
    [{ display_number: '+44 20 7123 4567' }, '+442071234567'],
    [{ display_number: '+353 76 680 1402' }, '+353766801402'],
    [{ display_number: '020 7123 4567', country_code: 'GB' }, '+442071234567'],
    [{ display_number: '(888) 777-5555', country_code: 'US' }, '+18887775555'],
    [{ number: 'garbage', display_number: '+1 (415) 867-5309' }, '+14158675309'],
    [{ number: null, display_number: 'Awesome line' }, null],
  ])('reads %j as %s', (phone, e164) => {
    expect(zendeskE164(phone)).toBe(e164);
  });
});

describe('mapZendeskError', () => {
  const map = (status: number, body: unknown) => mapZendeskError({ status, headers: {}, body });

  it.each([
    [404, { error: 'RecordNotFound', description: 'Not found' }, { message: 'Not found', providerCode: 'RecordNotFound' }],
    [
      422,
      { error: 'RecordInvalid', description: 'Record validation errors', details: { group_ids: [{ description: 'Group ids 9 is not a valid group', error: 'InvalidValue' }], nickname: [{ description: 'Nickname is too long', error: 'TooLong' }] } },
      { message: 'Record validation errors (group_ids: Group ids 9 is not a valid group; nickname: Nickname is too long)', providerCode: 'RecordInvalid' },
    ],
    [400, { error: 'BlankValue', description: "Country can't be blank", details: { country: [{ description: "Country can't be blank", error: 'BlankValue' }] } }, { message: "Country can't be blank (country)", providerCode: 'BlankValue' }],
    [401, { error: "Couldn't authenticate you" }, { message: "Couldn't authenticate you" }],
    [403, { error: { title: 'Forbidden', message: 'You do not have access to this page.' } }, { message: 'You do not have access to this page.', providerCode: 'Forbidden' }],
    [429, 'Number of allowed API requests per minute exceeded', { message: 'Number of allowed API requests per minute exceeded' }],
    [502, '', { message: 'HTTP 502' }],
    [500, null, { message: 'HTTP 500' }],
  ])('maps %i %j', (status, body, mapped) => {
    expect(map(status, body)).toEqual(mapped);
  });

  it('clips long text bodies', () => {
    expect(map(503, 'x'.repeat(500)).message).toBe(`${'x'.repeat(300)}…`);
  });
});

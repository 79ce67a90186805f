import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { observeRateLimit } from '../../../src/providers/ringcentral/client.js';
import { isExpiredToken, mapError } from '../../../src/providers/ringcentral/errors.js';
import {
  UnusableBody,
  parseAccountPhoneNumber,
  parseBatchResponse,
  parseCompanyPhoneNumber,
  parseExtension,
  parseForwardingNumber,
  parseListPage,
  parseTokenInfo,
} from '../../../src/providers/ringcentral/parse.js';
import { startRingCentral, type RingCentralFixture } from './fixtures.js';

describe('RingCentral batch responses', () => {
  let rc: RingCentralFixture;
  let ids: string[];

  beforeAll(async () => {
    rc = await startRingCentral();
    const list = await rc.rawGet('/restapi/v1.0/account/~/phone-number?perPage=2');
    ids = (list.body as { records: { id: number }[] }).records.map((r) => String(r.id));
  });
  afterAll(async () => rc.close());

  it('reads both shapes the sandbox serves to the same answer', async () => {
    const path = `/restapi/v1.0/account/~/phone-number/${ids[0]},1000000004,${ids[1]}`;
    const json = await rc.rawGet(path, { accept: 'application/vnd.ringcentral.multipart+json' });
    const mixed = await rc.rawGet(path);
    expect(json.status).toBe(207);
    expect(mixed.status).toBe(207);
    expect(mixed.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=/);

    const fromJson = parseBatchResponse(json.body, { 'content-type': json.headers.get('content-type')! });
    const fromMixed = parseBatchResponse(mixed.body, { 'content-type': mixed.headers.get('content-type')! });
    expect(fromJson.map((p) => [p.resourceId, p.status])).toEqual([
      [ids[0], 200],
      ['1000000004', 404],
      [ids[1], 200],
    ]);
    expect(fromMixed).toEqual(fromJson);
    expect(parseCompanyPhoneNumber(fromMixed[0]!.body).id).toBe(ids[0]);
    expect(mapError({ status: 404, headers: {}, body: fromMixed[1]!.body })).toEqual({
      message: 'Resource for parameter [phoneNumberId] is not found',
      providerCode: 'CMN-102',
    });
  });

  it('reads the documentation’s multipart/mixed example (LF line ends, ids from href)', () => {
    const body = [
      '--Boundary_20_32057915_1351669531796',
      'Content-Type: application/json',
      '',
      '{ "response" : [ { "href" : "https://platform.ringcentral.com/restapi/v1.0/account/1/phone-number/111", "status" : 200, "responseDescription" : "OK" },',
      '  { "href" : "https://platform.ringcentral.com/restapi/v1.0/account/1/phone-number/222", "status" : 404, "responseDescription" : "Not Found" } ] }',
      '--Boundary_20_32057915_1351669531796',
      'Content-Type: application/json',
      '',
      '{ "id" : 111, "phoneNumber" : "+16505550100", "usageType" : "DirectNumber" }',
      '--Boundary_20_32057915_1351669531796',
      'Content-Type: application/json',
      '',
      '{ "errorCode" : "CMN-102", "message" : "Resource for parameter [phoneNumberId] is not found" }',
      '--Boundary_20_32057915_1351669531796--',
      '',
    ].join('\n');
    expect(parseBatchResponse(body, { 'content-type': 'multipart/mixed; boundary=Boundary_20_32057915_1351669531796' })).toEqual([
      { resourceId: '111', status: 200, body: { id: 111, phoneNumber: '+16505550100', usageType: 'DirectNumber' } },
      { resourceId: '222', status: 404, body: { errorCode: 'CMN-102', message: 'Resource for parameter [phoneNumberId] is not found' } },
    ]);
  });

  it.each([
    ['a JSON object', { records: [] }, 'application/json', 'batch response is neither a JSON array nor multipart/mixed (application/json)'],
    ['multipart without a boundary', '--x\r\n\r\n{}', 'multipart/mixed', 'multipart/mixed batch response has no boundary'],
    ['a summary that does not match its parts', '--b\r\n\r\n{"response":[{"status":200},{"status":200}]}\r\n--b\r\n\r\n{}\r\n--b--', 'multipart/mixed; boundary=b', 'multipart batch summary does not match its parts'],
    ['a JSON part without status', [{ resourceId: '1', body: {} }], 'application/vnd.ringcentral.multipart+json', 'batch part 1 has no status'],
  ])('refuses %s', (_what, body, type, message) => {
    expect(() => parseBatchResponse(body, { 'content-type': type })).toThrow(new UnusableBody(message));
  });
});

describe('RingCentral record parsing', () => {
  it('turns v1 numeric ids and v2 string ids into strings', () => {
    expect(parseCompanyPhoneNumber({ id: 1162820004, phoneNumber: '+18332023665', usageType: 'DirectNumber', extension: { id: 697477005, extensionNumber: '10022' } })).toEqual({
      id: '1162820004',
      phoneNumber: '+18332023665',
      usageType: 'DirectNumber',
      extension: { id: '697477005', extensionNumber: '10022' },
    });
    expect(parseAccountPhoneNumber({ id: '1162820004', phoneNumber: '+18332023665', usageType: 'DirectNumber', tollType: 'Toll', status: 'Normal', extension: { id: '697477005' } })).toEqual({
      id: '1162820004',
      phoneNumber: '+18332023665',
      usageType: 'DirectNumber',
      tollType: 'Toll',
      status: 'Normal',
      extension: { id: '697477005' },
    });
    expect(parseExtension({ id: 62286418008, type: 'IvrMenu', account: { id: 37439510 } })).toEqual({ id: '62286418008', type: 'IvrMenu', account: { id: '37439510' } });
  });

  it('keeps enum values it does not know and drops optional fields of the wrong type', () => {
    expect(parseCompanyPhoneNumber({ id: 1, phoneNumber: '+1', usageType: 'SomethingNew', label: 42, primary: 'yes', paymentType: 'Local' })).toEqual({
      id: '1',
      phoneNumber: '+1',
      usageType: 'SomethingNew',
      paymentType: 'Local',
    });
    expect(parseForwardingNumber({ id: '7', features: ['CallFlip', 3], type: 'Mobile', device: { id: 9 } })).toEqual({
      id: '7',
      features: ['CallFlip'],
      type: 'Mobile',
      device: { id: '9' },
    });
  });

  it.each([
    ['a number without id', () => parseCompanyPhoneNumber({ phoneNumber: '+1', usageType: 'DirectNumber' }), 'phone number has no usable id'],
    ['an id beyond 2^53', () => parseCompanyPhoneNumber({ id: 2 ** 60, phoneNumber: '+1', usageType: 'DirectNumber' }), 'phone number has no usable id'],
    ['a number without phoneNumber', () => parseAccountPhoneNumber({ id: '1', usageType: 'Inventory' }), 'phone number phoneNumber is missing'],
    ['an extension without type', () => parseExtension({ id: 1 }), 'extension type is missing'],
    ['a token without expires_in', () => parseTokenInfo({ access_token: 'a' }), 'token response has no usable expires_in'],
  ])('refuses %s', (_what, parse, message) => {
    expect(parse).toThrow(new UnusableBody(message));
  });

  it('reads a token response, owner id as a string either way', () => {
    expect(parseTokenInfo({ access_token: 'a', token_type: 'bearer', expires_in: '3600', owner_id: 256440016, refresh_token: 'r', refresh_token_expires_in: 604799 })).toEqual({
      access_token: 'a',
      token_type: 'bearer',
      expires_in: 3600,
      owner_id: '256440016',
      refresh_token: 'r',
      refresh_token_expires_in: 604799,
    });
  });
});

describe('RingCentral list envelopes', () => {
  it('follows navigation.nextPage on v1 lists', () => {
    expect(parseListPage({ records: [1, 2], navigation: { nextPage: { uri: 'x' } }, paging: { totalPages: 1 } }, 1, 2)).toEqual({ records: [1, 2], hasNext: true });
    expect(parseListPage({ records: [1, 2], navigation: { firstPage: { uri: 'x' } } }, 1, 2)).toEqual({ records: [1, 2], hasNext: false });
  });

  it('uses paging.totalPages on v2 lists, which have no navigation', () => {
    expect(parseListPage({ records: [1, 2], paging: { page: 1, totalPages: 2, perPage: 2 } }, 1, 2).hasNext).toBe(true);
    expect(parseListPage({ records: [1, 2], paging: { page: 2, totalPages: 2, perPage: 2 } }, 2, 2).hasNext).toBe(false);
  });

  it('without either, asks for the next page only after a full one, and stops on an empty page', () => {
    expect(parseListPage({ records: [1, 2], paging: { perPage: 2 } }, 1, 2).hasNext).toBe(true);
    expect(parseListPage({ records: [1], paging: { perPage: 2 } }, 2, 2).hasNext).toBe(false);
    expect(parseListPage({ records: [], navigation: { nextPage: { uri: 'x' } } }, 3, 2).hasNext).toBe(false);
  });
});

describe('RingCentral error mapping', () => {
  it('reads errors[0] first', () => {
    const body = { errorCode: 'TOP', message: 'top', errors: [{ errorCode: 'CMN-102', message: 'Resource for parameter [extensionId] is not found', parameterName: 'extensionId' }] };
    expect(mapError({ status: 404, headers: {}, body })).toEqual({ message: 'Resource for parameter [extensionId] is not found', providerCode: 'CMN-102' });
  });

  it('falls back to the top-level errorCode and message, naming the parameter', () => {
    expect(mapError({ status: 400, headers: {}, body: { errorCode: 'CMN-101', message: 'Value is invalid', parameterName: 'usageType' } })).toEqual({
      message: 'Value is invalid (parameter usageType)',
      providerCode: 'CMN-101',
    });
  });

  it('reads OAuth errors and treats refused credentials as UNAUTHENTICATED', () => {
    expect(mapError({ status: 400, headers: {}, body: { error: 'invalid_grant', error_description: 'Token is revoked' } })).toEqual({
      message: 'Token is revoked',
      providerCode: 'invalid_grant',
      code: 'UNAUTHENTICATED',
    });
    expect(mapError({ status: 400, headers: {}, body: { error: 'unsupported_grant_type', errors: [{ errorCode: 'OAU-112', message: 'No' }] } })).toEqual({
      message: 'No',
      providerCode: 'OAU-112',
    });
  });

  it('copes with text and empty bodies', () => {
    expect(mapError({ status: 502, headers: {}, body: '<html>Bad Gateway</html>' })).toEqual({ message: '<html>Bad Gateway</html>' });
    expect(mapError({ status: 503, headers: {}, body: null })).toEqual({ message: 'HTTP 503 with no error body' });
  });

  it.each([
    [{ errorCode: 'TokenInvalid', message: 'Access token expired', errors: [{ errorCode: 'OAU-128', message: 'Access token expired' }] }, true],
    [{ errors: [{ errorCode: 'OAU-128', message: 'Access token expired' }] }, true],
    [{ errorCode: 'TokenInvalid', errors: [{ errorCode: 'OAU-213', message: 'Token not found' }] }, true],
    [{ errorCode: 'OAU-151', errors: [{ errorCode: 'OAU-151', message: 'Authorization method not supported' }] }, false],
    ['Unauthorized', false],
  ])('isExpiredToken(%j) is %s', (body, expected) => {
    expect(isExpiredToken({ status: 401, headers: {}, body })).toBe(expected);
    expect(isExpiredToken({ status: 403, headers: {}, body })).toBe(false);
  });
});

describe('RingCentral rate-limit headers', () => {
  it.each([
    [{ 'x-rate-limit-remaining': '3', 'x-rate-limit-window': '60' }, 200, undefined],
    [{ 'x-rate-limit-remaining': '0', 'x-rate-limit-window': '60' }, 200, 60_000],
    [{ 'x-rate-limit-remaining': '0', 'x-rate-limit-window': '15' }, 404, 15_000],
    [{ 'x-rate-limit-remaining': '0' }, 200, 60_000],
    [{ 'x-rate-limit-remaining': '0', 'x-rate-limit-window': '60' }, 429, undefined],
    [{}, 200, undefined],
  ])('%j on a %i asks for %s ms of quiet', (headers, status, quiet) => {
    expect(observeRateLimit({ status, headers })).toBe(quiet);
  });
});

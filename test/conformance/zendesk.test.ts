import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ValidateFunction } from 'ajv';
import { SandboxServer } from '../../sandbox/core/server.js';
import { createWorld } from '../../sandbox/seed/world.js';
import { createZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk/index.js';
import { createValidator } from '../support/openapi.js';
import { injectFaults } from '../support/sandbox.js';


/**
 * Zendesk publishes no machine-readable Talk spec (the ballerina YAML is
 * third-party and wrong in places), so these schemas are written straight
 * from SUMMARY §3: the phone-number JSON format table, the search example,
 * the paging envelopes and the error shapes, plus the public Groups and IVRs
 * pages. `additionalProperties: false` keeps the sandbox from inventing fields.
 */
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const id = { type: 'integer', minimum: 1 };
const timestamp = { type: 'string', format: 'date-time' };
const e164 = { type: 'string', pattern: '^\\+[1-9]\\d{6,14}$' };
const link = nullable({ type: 'string', format: 'uri' });

const schemas = {
  PhoneNumber: {
    type: 'object',
    additionalProperties: false,
    required: [
      'id', 'number', 'display_number', 'name', 'nickname', 'country_code', 'location', 'toll_free', 'external', 'created_at',
      'capabilities', 'sms_enabled', 'voice_enabled', 'outbound_enabled', 'recorded', 'transcription', 'call_recording_consent',
      'group_ids', 'default_group_id', 'sms_group_id', 'greeting_ids', 'default_greeting_ids', 'categorised_greetings',
      'categorised_greetings_with_sub_settings', 'ivr_id', 'schedule_id', 'priority', 'line_type', 'failover_number', 'brand_id', 'token',
    ],
    properties: {
      id,
      number: e164,
      display_number: { type: 'string', pattern: '^\\+\\d' },
      name: { type: 'string', minLength: 1 },
      nickname: nullable({ type: 'string' }),
      country_code: { type: 'string', pattern: '^[A-Z]{2}$' },
      location: nullable({ type: 'string' }),
      toll_free: { type: 'boolean' },
      external: { type: 'boolean' },
      created_at: timestamp,
      capabilities: {
        type: 'object',
        additionalProperties: false,
        required: ['sms', 'mms', 'voice'],
        properties: { sms: { type: 'boolean' }, mms: { type: 'boolean' }, voice: { type: 'boolean' }, emergency_address: { type: 'boolean' } },
      },
      sms_enabled: { type: 'boolean' },
      voice_enabled: { type: 'boolean' },
      outbound_enabled: { type: 'boolean' },
      recorded: { type: 'boolean' },
      transcription: { type: 'boolean' },
      call_recording_consent: { type: 'string' },
      group_ids: { type: 'array', items: id },
      default_group_id: nullable(id),
      sms_group_id: nullable(id),
      greeting_ids: { type: 'array', items: id },
      default_greeting_ids: { type: 'array', items: { type: 'string' } },
      categorised_greetings: { type: 'object' },
      categorised_greetings_with_sub_settings: { type: 'object' },
      ivr_id: nullable(id),
      schedule_id: nullable(id),
      priority: { type: 'integer', minimum: 0 },
      line_type: { type: 'string' },
      failover_number: nullable(e164),
      brand_id: nullable(id),
      token: { type: 'string', minLength: 1 },
    },
  },
  // The field set observed from `?minimal_mode=true`.
  MinimalPhoneNumber: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'country_code', 'external', 'nickname', 'display_number', 'capabilities', 'sms_enabled', 'priority', 'outbound_enabled', 'line_type'],
    properties: {
      id,
      country_code: { type: 'string' },
      external: { type: 'boolean' },
      nickname: nullable({ type: 'string' }),
      display_number: { type: 'string' },
      capabilities: { type: 'object', required: ['sms', 'mms', 'voice'] },
      sms_enabled: { type: 'boolean' },
      priority: { type: 'integer' },
      outbound_enabled: { type: 'boolean' },
      line_type: { type: 'string' },
    },
  },
  AvailableNumber: {
    type: 'object',
    additionalProperties: false,
    required: ['number', 'display_number', 'toll_free', 'location', 'country_code', 'token', 'price', 'address_requirements'],
    properties: {
      number: e164,
      display_number: { type: 'string' },
      toll_free: { type: 'boolean' },
      location: nullable({ type: 'string' }),
      country_code: { type: 'string', pattern: '^[A-Z]{2}$' },
      token: { type: 'string', minLength: 1 },
      price: { type: 'string' },
      address_requirements: { enum: ['none', 'local', 'any', 'foreign'] },
    },
  },
  Group: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'id', 'is_public', 'name', 'description', 'default', 'deleted', 'created_at', 'updated_at'],
    properties: {
      url: { type: 'string', format: 'uri' },
      id,
      is_public: { type: 'boolean' },
      name: { type: 'string' },
      description: { type: 'string' },
      default: { type: 'boolean' },
      deleted: { type: 'boolean' },
      created_at: timestamp,
      updated_at: timestamp,
    },
  },
  Ivr: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name', 'menus', 'phone_number_ids', 'phone_number_names'],
    properties: {
      id,
      name: { type: 'string' },
      phone_number_ids: { type: 'array', items: id },
      phone_number_names: { type: 'array', items: { type: 'string' } },
      menus: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name', 'default', 'greeting_id', 'routes'],
          properties: {
            id,
            name: { type: 'string' },
            default: { type: 'boolean' },
            greeting_id: nullable(id),
            routes: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['id', 'keypress', 'greeting', 'action', 'options', 'option_text'],
                properties: {
                  id,
                  keypress: { type: 'string' },
                  greeting: nullable({ type: 'string' }),
                  action: { type: 'string' },
                  options: { type: 'object', properties: { group_ids: { type: 'array', items: id } } },
                  option_text: nullable({ type: 'string' }),
                },
              },
            },
          },
        },
      },
    },
  },
  Error: {
    type: 'object',
    additionalProperties: false,
    required: ['error', 'description'],
    properties: {
      error: { type: 'string', pattern: '^[A-Z][A-Za-z]+$' },
      description: { type: 'string' },
      details: {
        type: 'object',
        additionalProperties: {
          type: 'array',
          items: { type: 'object', additionalProperties: false, required: ['description', 'error'], properties: { description: { type: 'string' }, error: { type: 'string' } } },
        },
      },
    },
  },
  AuthError: { type: 'object', additionalProperties: false, required: ['error'], properties: { error: { type: 'string' } } },
} as const;

const offsetList = (key: string, item: string) => ({
  type: 'object',
  additionalProperties: false,
  required: [key, 'next_page', 'previous_page', 'count'],
  properties: { [key]: { type: 'array', items: { $ref: `#/definitions/${item}` } }, next_page: link, previous_page: link, count: { type: 'integer', minimum: 0 } },
});
const cursorList = (key: string, item: string) => ({
  type: 'object',
  additionalProperties: false,
  required: [key, 'meta', 'links'],
  properties: {
    [key]: { type: 'array', items: { $ref: `#/definitions/${item}` } },
    meta: {
      type: 'object',
      additionalProperties: false,
      required: ['has_more', 'after_cursor', 'before_cursor'],
      properties: { has_more: { type: 'boolean' }, after_cursor: nullable({ type: 'string' }), before_cursor: nullable({ type: 'string' }) },
    },
    links: { type: 'object', additionalProperties: false, required: ['next', 'prev'], properties: { next: link, prev: link } },
  },
});

const responses = {
  PhoneNumberOffsetList: offsetList('phone_numbers', 'PhoneNumber'),
  PhoneNumberCursorList: cursorList('phone_numbers', 'PhoneNumber'),
  MinimalPhoneNumberList: offsetList('phone_numbers', 'MinimalPhoneNumber'),
  PhoneNumberEnvelope: { type: 'object', additionalProperties: false, required: ['phone_number'], properties: { phone_number: { $ref: '#/definitions/PhoneNumber' } } },
  SearchResults: offsetList('phone_numbers', 'AvailableNumber'),
  GroupOffsetList: offsetList('groups', 'Group'),
  GroupCursorList: cursorList('groups', 'Group'),
  IvrList: offsetList('ivrs', 'Ivr'),
  Error: { $ref: '#/definitions/Error' },
  AuthError: { $ref: '#/definitions/AuthError' },
};

const ajv = createValidator();
const validators = Object.fromEntries(
  Object.entries(responses).map(([name, schema]) => [name, ajv.compile({ ...schema, definitions: schemas })]),
) as Record<keyof typeof responses, ValidateFunction>;

function violations(name: keyof typeof responses, body: unknown): string[] {
  const validate = validators[name];
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim());
}

describe('Zendesk sandbox conforms to the documented Talk contract', () => {
  let sandbox: ZendeskSandbox;
  let server: SandboxServer;
  let auth: string;

  const call = async (path: string, init: { method?: string; body?: unknown; authorization?: string } = {}) => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: init.authorization ?? auth, ...(init.body !== undefined && { 'content-type': 'application/json' }) },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    sandbox = createZendeskSandbox(createWorld({ seed: 1, scale: 1 }));
    server = await SandboxServer.start(sandbox);
    auth = `Basic ${Buffer.from(`${sandbox.credentials.email}/token:${sandbox.credentials.apiToken}`).toString('base64')}`;
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  it('lists every number in both paging envelopes and in minimal mode', async () => {
    for (const page of [1, 2, 3]) expect(violations('PhoneNumberOffsetList', (await call(`/api/v2/channels/voice/phone_numbers?page=${page}`)).body)).toEqual([]);
    let next: string | null = '/api/v2/channels/voice/phone_numbers?page[size]=100';
    while (next) {
      const { body } = await call(next);
      expect(violations('PhoneNumberCursorList', body)).toEqual([]);
      next = body.meta.has_more ? new URL(body.links.next).pathname + new URL(body.links.next).search : null;
    }
    expect(violations('MinimalPhoneNumberList', (await call('/api/v2/channels/voice/phone_numbers.json?minimal_mode=true')).body)).toEqual([]);
  });

  it('shows, searches, provisions and updates numbers in the documented shapes', async () => {
    const [first] = (await call('/api/v2/channels/voice/phone_numbers?per_page=1')).body.phone_numbers;
    expect(violations('PhoneNumberEnvelope', (await call(`/api/v2/channels/voice/phone_numbers/${first.id}`)).body)).toEqual([]);

    for (const query of ['country=US&area_code=212', 'country=CA', 'country=GB', 'country=GB&toll_free=true', 'country=US&toll_free=true&contains=FLOWERS']) {
      expect(violations('SearchResults', (await call(`/api/v2/channels/voice/phone_numbers/search?${query}`)).body)).toEqual([]);
    }
    const offer = (await call('/api/v2/channels/voice/phone_numbers/search?country=GB')).body.phone_numbers[0];
    const created = await call('/api/v2/channels/voice/phone_numbers', { method: 'POST', body: { phone_number: { token: offer.token } } });
    expect(created.status).toBe(201);
    expect(violations('PhoneNumberEnvelope', created.body)).toEqual([]);

    const groups = (await call('/api/v2/groups?exclude_deleted=true')).body.groups;
    const updated = await call(`/api/v2/channels/voice/phone_numbers/${created.body.phone_number.id}`, {
      method: 'PUT',
      body: { phone_number: { nickname: 'London overflow', group_ids: [groups[8].id], failover_number: '+442071234567', priority: 1 } },
    });
    expect(updated.status).toBe(200);
    expect(violations('PhoneNumberEnvelope', updated.body)).toEqual([]);
  });

  it('lists groups and IVRs in the documented shapes', async () => {
    expect(violations('GroupOffsetList', (await call('/api/v2/groups.json')).body)).toEqual([]);
    expect(violations('GroupCursorList', (await call('/api/v2/groups?page[size]=4')).body)).toEqual([]);
    expect(violations('IvrList', (await call('/api/v2/channels/voice/ivr')).body)).toEqual([]);
  });

  it('answers every refusal in Zendesk’s error shapes', async () => {
    const [first] = (await call('/api/v2/channels/voice/phone_numbers?per_page=1')).body.phone_numbers;
    const errors = [
      await call('/api/v2/channels/voice/phone_numbers/1'),
      await call('/api/v2/channels/voice/phone_numbers?page=101'),
      await call('/api/v2/channels/voice/phone_numbers/search'),
      await call('/api/v2/channels/voice/phone_numbers', { method: 'POST', body: { phone_number: { token: 'nope' } } }),
      await call(`/api/v2/channels/voice/phone_numbers/${first.id}`, { method: 'PUT', body: { nickname: 'unwrapped' } }),
      await call(`/api/v2/channels/voice/phone_numbers/${first.id}`, { method: 'PUT', body: { phone_number: { ivr_id: 1, priority: -1 } } }),
      await call('/api/v2/channels/voice/greetings'),
    ];
    expect(errors.map((e) => e.status)).toEqual([404, 400, 400, 422, 400, 422, 404]);
    for (const { body } of errors) expect(violations('Error', body)).toEqual([]);

    expect(violations('AuthError', (await call('/api/v2/groups', { authorization: 'Basic Zm9vOmJhcg==' })).body)).toEqual([]);
    await injectFaults(server.baseUrl, { rules: [{ match: 'GET /api/v2/groups', error: { status: 503 } }] });
    expect(violations('Error', (await call('/api/v2/groups')).body)).toEqual([]);
  });

  it('would catch a drifted body', () => {
    expect(violations('PhoneNumberEnvelope', { phone_number: { id: '123' } })).toContain('/phone_number must have required property \'number\'');
    expect(violations('Error', { error: { title: 'Forbidden' } })).toEqual(['(root) must have required property \'description\'', '/error must be string']);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ValidateFunction } from 'ajv';
import { SandboxServer } from '../../sandbox/core/server.js';
import { createRingyoSandbox, type RingyoSandbox } from '../../sandbox/ringyo/index.js';
import { createWorld } from '../../sandbox/seed/world.js';
import { createValidator } from '../support/openapi.js';
import { injectFaults } from '../support/sandbox.js';


/**
 * Ringyo publishes no spec file, only three doc pages, so these schemas are
 * written from SUMMARY §4: the phone-number object, the list page's
 * `{data, has_more, next_cursor, total}`, the bare single object, and the
 * introduction's envelopes (`{data, pagination}`, `{data, meta}`, errors).
 */
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const timestamp = { type: 'string', format: 'date-time' };
const count = { type: 'integer', minimum: 0 };
const requestMeta = {
  type: 'object',
  additionalProperties: false,
  required: ['request_id'],
  properties: { request_id: { type: 'string', minLength: 1 } },
};

const definitions = {
  PhoneNumber: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'phone_number', 'friendly_name', 'country', 'region', 'capabilities', 'status', 'default_agent_id', 'created_at'],
    properties: {
      id: { type: 'string', pattern: '^pn_[A-Za-z0-9]+$' },
      phone_number: { type: 'string', pattern: '^\\+[1-9]\\d{6,14}$' },
      friendly_name: { type: 'string' },
      country: { type: 'string', pattern: '^[A-Z]{2}$' },
      region: { type: 'string' },
      capabilities: {
        type: 'object',
        additionalProperties: false,
        required: ['voice', 'sms'],
        properties: { voice: { type: 'boolean' }, sms: { type: 'boolean' } },
      },
      status: { enum: ['active', 'pending', 'inactive'] },
      default_agent_id: nullable({ type: 'string', pattern: '^agent_[A-Za-z0-9]+$' }),
      created_at: timestamp,
      updated_at: timestamp,
      stats: {
        type: 'object',
        additionalProperties: false,
        required: ['total_calls', 'total_minutes', 'calls_this_month', 'minutes_this_month'],
        properties: { total_calls: count, total_minutes: count, calls_this_month: count, minutes_this_month: count },
      },
      // Named by the docs but never shown: only "an array of objects with an id" is checked.
      recent_calls: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
    },
  },
  Error: {
    type: 'object',
    additionalProperties: false,
    required: ['error', 'meta'],
    properties: {
      error: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'message', 'details'],
        properties: { code: { type: 'string', pattern: '^[a-z_]+$' }, message: { type: 'string' }, details: { type: 'object' } },
      },
      meta: requestMeta,
    },
  },
};

const page = { type: 'array', items: { $ref: '#/definitions/PhoneNumber' } };
const responses = {
  List: {
    type: 'object',
    additionalProperties: false,
    required: ['data', 'has_more', 'next_cursor', 'total'],
    properties: { data: page, has_more: { type: 'boolean' }, next_cursor: nullable({ type: 'string' }), total: count },
  },
  IntroList: {
    type: 'object',
    additionalProperties: false,
    required: ['data', 'pagination'],
    properties: {
      data: page,
      pagination: {
        type: 'object',
        additionalProperties: false,
        required: ['total', 'limit', 'offset', 'has_more'],
        properties: { total: count, limit: { type: 'integer', minimum: 1, maximum: 100 }, offset: count, has_more: { type: 'boolean' } },
      },
    },
  },
  PhoneNumber: { $ref: '#/definitions/PhoneNumber' },
  IntroPhoneNumber: {
    type: 'object',
    additionalProperties: false,
    required: ['data', 'meta'],
    properties: { data: { $ref: '#/definitions/PhoneNumber' }, meta: requestMeta },
  },
  Error: { $ref: '#/definitions/Error' },
};

const ajv = createValidator();
const validators = Object.fromEntries(
  Object.entries(responses).map(([name, schema]) => [name, ajv.compile({ ...schema, definitions })]),
) as Record<keyof typeof responses, ValidateFunction>;

function violations(name: keyof typeof responses, body: unknown): string[] {
  const validate = validators[name];
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim());
}

describe.each<'endpoint' | 'intro'>(['endpoint', 'intro'])('Ringyo sandbox (%s envelopes) conforms to the documented contract', (envelopes) => {
  let sandbox: RingyoSandbox;
  let server: SandboxServer;

  const call = async (path: string, authorization?: string) => {
    const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: authorization ?? `Bearer ${sandbox.credentials.apiKey}` } });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const list = envelopes === 'endpoint' ? 'List' : 'IntroList';
  const one = envelopes === 'endpoint' ? 'PhoneNumber' : 'IntroPhoneNumber';

  beforeAll(async () => {
    // Showing all 100 numbers three ways is 300+ calls: the Agency plan's limit covers it.
    sandbox = createRingyoSandbox(createWorld({ seed: 1, scale: 1 }), { envelopes, rateLimitPerMinute: 1_000 });
    server = await SandboxServer.start(sandbox);
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  it('lists numbers, filtered or not, in the documented list shape', async () => {
    for (const query of ['', '?limit=100', '?status=pending', '?status=inactive&country=US', '?country=GB&limit=3']) {
      expect(violations(list, (await call(`/v1/phone-numbers${query}`)).body)).toEqual([]);
    }
  });

  it('shows every number, with and without includes, in the documented shape', async () => {
    const { body } = await call('/v1/phone-numbers?limit=100');
    for (const n of body.data as { id: string }[]) {
      for (const include of ['', '?include=stats', '?include=stats,recent_calls']) {
        expect(violations(one, (await call(`/v1/phone-numbers/${n.id}${include}`)).body)).toEqual([]);
      }
    }
  });

  it('answers every refusal in the error envelope', async () => {
    const refusals = [
      await call('/v1/phone-numbers', 'Bearer vb_live_wrong'),
      await call('/v1/phone-numbers?limit=500'),
      await call('/v1/phone-numbers?status=archived'),
      await call('/v1/phone-numbers?country=ZZ'),
      await call('/v1/phone-numbers/pn_missing'),
      await call('/v1/phone-numbers/pn_missing?include=everything'),
      await call('/v1/calls'),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 400, 400, 400, 404, 400, 404]);
    for (const { body } of refusals) expect(violations('Error', body)).toEqual([]);

    await injectFaults(server.baseUrl, { rateLimits: { api: { limit: 0, windowSeconds: 60 } } });
    const limited = await call('/v1/phone-numbers');
    expect(limited.status).toBe(429);
    expect(violations('Error', limited.body)).toEqual([]);
    await injectFaults(server.baseUrl, { rules: [{ match: 'GET /v1/phone-numbers', error: { status: 500 } }] });
    expect(violations('Error', (await call('/v1/phone-numbers')).body)).toEqual([]);
  });

  it('would catch a drifted body', () => {
    expect(violations(list, { data: [{ id: 7 }] })).not.toEqual([]);
    expect(violations('Error', { error: 'not_found' })).toEqual(["(root) must have required property 'meta'", '/error must be object']);
  });
});

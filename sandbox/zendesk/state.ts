import { normalizePhoneNumber } from '../../src/domain/phone-number.js';
import type { World } from '../seed/world.js';
import { findAvailableNumbers, tokenFor, type SearchQuery } from './available.js';
import { ZendeskApiError, type FieldProblem } from './errors.js';
import { zendeskTimestamp } from './format.js';
import type { AvailableNumber, GroupRecord, IvrRecord, TalkNumberRecord, ZendeskSeed } from './model.js';
import { buildZendeskSeed } from './seed.js';

const DEFAULT_GREETING_IDS = ['voicemail_en', 'available_en', 'wait_en', 'hold_en', 'callback_en', 'callback-confirmation_en'];
const CATEGORISED_GREETINGS = {
  '1': 'voicemail_en',
  '2': 'available_en',
  '3': 'wait_en',
  '4': 'hold_en',
  '6': 'callback_en',
  '7': 'callback-confirmation_en',
};
const CATEGORISED_WITH_SUB_SETTINGS = {
  '1': {
    voicemail_on_outside_business_hours: 'voicemail_en',
    voicemail_on_inside_business_hours: 'voicemail_en',
    voicemail_off_inside_business_hours: 'voicemail_en_voicemail_config',
    voicemail_off_outside_business_hours: 'voicemail_en_voicemail_config',
  },
  '2': { voicemail_on: 'available_en', voicemail_off: 'available_en' },
  '3': 'wait_en',
  '4': 'hold_en',
  '6': 'callback_en',
  '7': 'callback-confirmation_en',
};
const CONSENT = ['always', 'opt_in', 'opt_out', 'never'];
const MAX_PRIORITY = 10;

/**
 * The Talk account in memory: numbers (kept sorted by id, which is also
 * creation order, so cursors are stable), Support groups, IVRs, and the
 * provisioning tokens search has handed out.
 */
export class ZendeskState {
  private seed!: ZendeskSeed;
  private numbers: TalkNumberRecord[] = [];
  private issued = new Map<string, AvailableNumber>();
  private nextId = 0;
  /** Every number some sandbox provider holds: search never offers these. */
  private readonly held: Set<string>;

  constructor(private readonly world: World) {
    this.held = new Set(
      [
        ...world.ringcx.pool,
        ...world.ringcentral.own,
        world.ringcentral.mainNumber,
        ...world.ringcentral.sharedWithRingCx,
        ...world.ringcentral.sharedWithZendesk,
        ...world.ringcentral.sharedWithRingyo,
        ...world.ringcentral.forwarding,
        ...world.zendesk.numbers,
        ...world.ringyo.numbers,
      ].map((n) => n.e164),
    );
    this.reset();
  }

  /** Back to the seed account, rebuilt from the world. */
  reset(): void {
    this.seed = buildZendeskSeed(this.world);
    this.numbers = [...this.seed.numbers];
    this.issued = new Map();
    const last = this.numbers[this.numbers.length - 1];
    this.nextId = (last?.id ?? 21_646_232_175_257) + 1_048_583;
  }

  /** Numbers in id order. */
  listNumbers(): readonly TalkNumberRecord[] {
    return this.numbers;
  }

  getNumber(rawId: string): TalkNumberRecord {
    const id = parseId(rawId);
    const found = id === null ? undefined : this.numbers.find((n) => n.id === id);
    if (!found) throw ZendeskApiError.notFound();
    return found;
  }

  groups(excludeDeleted: boolean): readonly GroupRecord[] {
    return excludeDeleted ? this.seed.groups.filter((g) => !g.deleted) : this.seed.groups;
  }

  ivrs(): readonly IvrRecord[] {
    return this.seed.ivrs;
  }

  /** The IVR as Zendesk shows it, with the numbers currently routed to it. */
  serializeIvr(ivr: IvrRecord): Record<string, unknown> {
    const routed = this.numbers.filter((n) => n.ivr_id === ivr.id);
    return {
      id: ivr.id,
      name: ivr.name,
      menus: ivr.menus,
      phone_number_ids: routed.map((n) => n.id),
      phone_number_names: routed.map((n) => n.nickname ?? n.display_number),
    };
  }

  search(query: SearchQuery): AvailableNumber[] {
    const random = this.world.random('zendesk');
    const found = findAvailableNumbers(
      random,
      query,
      (e164) => this.held.has(e164) || this.numbers.some((n) => n.number === e164),
      (e164) => tokenFor(random, e164),
    );
    for (const number of found) this.issued.set(number.token, number);
    return found;
  }

  /** `POST /phone_numbers`: provisions the number a search token stands for. */
  provision(body: unknown, now: number): TalkNumberRecord {
    const input = wrapped(body);
    const token = input.token;
    if (token === undefined || token === null || token === '') {
      throw ZendeskApiError.invalid({ token: [{ description: "Token can't be blank", error: 'BlankValue' }] });
    }
    const offer = typeof token === 'string' ? this.issued.get(token) : undefined;
    if (!offer) {
      throw ZendeskApiError.invalid({ token: [{ description: 'Token is invalid or has expired; search again', error: 'InvalidValue' }] });
    }
    if (this.numbers.some((n) => n.number === offer.number)) {
      throw ZendeskApiError.invalid({ token: [{ description: `Number ${offer.display_number} has already been provisioned`, error: 'TakenValue' }] });
    }
    const uk = offer.country_code === 'GB';
    const record: TalkNumberRecord = {
      id: this.nextId,
      number: offer.number,
      display_number: offer.display_number,
      nickname: null,
      country_code: offer.country_code,
      location: offer.location,
      toll_free: offer.toll_free,
      external: false,
      created_at: zendeskTimestamp(now),
      capabilities: {
        sms: !uk,
        mms: !uk && !offer.toll_free,
        voice: true,
        emergency_address: !offer.toll_free,
      },
      sms_enabled: false,
      voice_enabled: true,
      outbound_enabled: true,
      recorded: true,
      transcription: false,
      call_recording_consent: 'always',
      group_ids: [],
      default_group_id: null,
      sms_group_id: null,
      greeting_ids: [],
      ivr_id: null,
      schedule_id: null,
      priority: 0,
      line_type: 'phone',
      failover_number: null,
      brand_id: this.seed.brandIds[0] ?? null,
      token: offer.token,
    };
    this.nextId += 1_048_583;
    // The token stays known, so reusing it says "already provisioned"
    // rather than "invalid"; once the number is released it works again.
    this.numbers.push(record);
    return record;
  }

  /**
   * `PUT /phone_numbers/{id}`: applies the writable attributes of the wrapped
   * body. Read-only and unknown attributes are ignored, as Rails strong
   * parameters do; every bad writable value is reported, each under its field.
   */
  update(rawId: string, body: unknown): TalkNumberRecord {
    const record = this.getNumber(rawId);
    const input = wrapped(body);
    const problems: Record<string, FieldProblem[]> = {};
    const fail = (field: string, description: string, error = 'InvalidValue') => {
      (problems[field] ??= []).push({ description, error });
    };
    const live = new Set(this.seed.groups.filter((g) => !g.deleted).map((g) => g.id));
    const next: TalkNumberRecord = structuredClone(record);

    if ('nickname' in input) {
      const value = input.nickname;
      if (value === null || value === '') next.nickname = null;
      else if (typeof value !== 'string') fail('nickname', 'Nickname must be a string');
      else if (value.length > 255) fail('nickname', 'Nickname is too long (maximum is 255 characters)', 'TooLong');
      else next.nickname = value;
    }
    if ('group_ids' in input) {
      const ids = idList(input.group_ids);
      if (ids === null) fail('group_ids', 'Group ids must be a list of group ids');
      else {
        const unknown = ids.filter((id) => !live.has(id));
        if (unknown.length > 0) fail('group_ids', `Group ids ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a valid group' : 'are not valid groups'}`);
        else next.group_ids = [...new Set(ids)];
      }
    }
    if ('default_group_id' in input) {
      const id = optionalId(input.default_group_id);
      if (id === undefined) fail('default_group_id', 'Default group must be a group id or null');
      else if (id !== null && !live.has(id)) fail('default_group_id', `Default group ${id} is not a valid group`);
      else next.default_group_id = id;
    } else if (next.default_group_id !== null && !next.group_ids.includes(next.default_group_id)) {
      // The groups changed under the default: the first remaining group takes over.
      next.default_group_id = next.group_ids[0] ?? null;
    }
    if (next.default_group_id !== null && !next.group_ids.includes(next.default_group_id) && !problems.default_group_id && !problems.group_ids) {
      fail('default_group_id', `Default group ${next.default_group_id} must be one of the number's groups`);
    }
    if ('sms_group_id' in input) {
      const id = optionalId(input.sms_group_id);
      if (id === undefined || (id !== null && !live.has(id))) fail('sms_group_id', `Sms group ${String(input.sms_group_id)} is not a valid group`);
      else next.sms_group_id = id;
    }
    if ('greeting_ids' in input) {
      const ids = idList(input.greeting_ids);
      const unknown = ids?.filter((id) => !this.seed.greetingIds.includes(id)) ?? [];
      if (ids === null || unknown.length > 0) fail('greeting_ids', `Greeting ids ${ids === null ? 'must be a list of greeting ids' : `${unknown.join(', ')} not found`}`);
      else next.greeting_ids = [...new Set(ids)];
    }
    if ('ivr_id' in input) {
      const id = optionalId(input.ivr_id);
      if (id === undefined || (id !== null && !this.seed.ivrs.some((ivr) => ivr.id === id))) fail('ivr_id', `IVR ${String(input.ivr_id)} not found`);
      else next.ivr_id = id;
    }
    if ('schedule_id' in input) {
      const id = optionalId(input.schedule_id);
      if (id === undefined || (id !== null && !this.seed.scheduleIds.includes(id))) fail('schedule_id', `Schedule ${String(input.schedule_id)} not found`);
      else next.schedule_id = id;
    }
    if ('brand_id' in input) {
      const id = optionalId(input.brand_id);
      if (id === undefined || id === null || !this.seed.brandIds.includes(id)) fail('brand_id', `Brand ${String(input.brand_id)} not found`);
      else next.brand_id = id;
    }
    for (const field of ['recorded', 'transcription'] as const) {
      if (!(field in input)) continue;
      const value = input[field];
      if (typeof value !== 'boolean') fail(field, `${field === 'recorded' ? 'Recorded' : 'Transcription'} must be true or false`);
      else next[field] = value;
    }
    if ('priority' in input) {
      const value = integer(input.priority);
      if (value === null || value < 0 || value > MAX_PRIORITY) fail('priority', `Priority must be an integer from 0 to ${MAX_PRIORITY}`);
      else next.priority = value;
    }
    if ('failover_number' in input) {
      const value = input.failover_number;
      if (value === null || value === '') next.failover_number = null;
      else {
        const parsed = typeof value === 'string' ? normalizePhoneNumber(value) : null;
        if (!parsed?.ok) fail('failover_number', `Failover number ${String(value)} is not a valid phone number`);
        else if (parsed.e164 === record.number) fail('failover_number', 'Failover number cannot be the number itself');
        else next.failover_number = parsed.e164;
      }
    }
    if ('call_recording_consent' in input) {
      const value = input.call_recording_consent;
      if (typeof value !== 'string' || !CONSENT.includes(value)) fail('call_recording_consent', `Call recording consent must be one of ${CONSENT.join(', ')}`);
      else next.call_recording_consent = value;
    }
    if ('line_type' in input && input.line_type !== 'phone') {
      fail('line_type', 'Line type of a phone number must be phone; digital lines are managed under /digital_lines');
    }

    if (Object.keys(problems).length > 0) throw ZendeskApiError.invalid(problems);
    Object.assign(record, next);
    return record;
  }

  remove(rawId: string): void {
    const record = this.getNumber(rawId);
    this.numbers = this.numbers.filter((n) => n !== record);
  }
}

/** A number as `GET /phone_numbers/{id}` shows it. */
export function serializeNumber(n: TalkNumberRecord): Record<string, unknown> {
  return {
    id: n.id,
    number: n.number,
    display_number: n.display_number,
    name: n.nickname ?? n.display_number,
    nickname: n.nickname,
    country_code: n.country_code,
    location: n.location,
    toll_free: n.toll_free,
    external: n.external,
    created_at: n.created_at,
    capabilities: n.capabilities,
    sms_enabled: n.sms_enabled,
    voice_enabled: n.voice_enabled,
    outbound_enabled: n.outbound_enabled,
    recorded: n.recorded,
    transcription: n.transcription,
    call_recording_consent: n.call_recording_consent,
    group_ids: n.group_ids,
    default_group_id: n.default_group_id,
    sms_group_id: n.sms_group_id,
    greeting_ids: n.greeting_ids,
    default_greeting_ids: DEFAULT_GREETING_IDS,
    categorised_greetings: CATEGORISED_GREETINGS,
    categorised_greetings_with_sub_settings: CATEGORISED_WITH_SUB_SETTINGS,
    ivr_id: n.ivr_id,
    schedule_id: n.schedule_id,
    priority: n.priority,
    line_type: n.line_type,
    failover_number: n.failover_number,
    brand_id: n.brand_id,
    token: n.token,
  };
}

/** The reduced record `minimal_mode=true` returns (the observed field set). */
export function serializeMinimalNumber(n: TalkNumberRecord): Record<string, unknown> {
  return {
    id: n.id,
    country_code: n.country_code,
    external: n.external,
    nickname: n.nickname,
    display_number: n.display_number,
    capabilities: { sms: n.capabilities.sms, mms: n.capabilities.mms, voice: n.capabilities.voice },
    sms_enabled: n.sms_enabled,
    priority: n.priority,
    outbound_enabled: n.outbound_enabled,
    line_type: n.line_type,
  };
}

/** `{phone_number: {...}}`'s inner object; anything else is Rails' ParameterMissing. */
function wrapped(body: unknown): Record<string, unknown> {
  const inner = isObject(body) ? body.phone_number : undefined;
  if (!isObject(inner)) {
    throw new ZendeskApiError(400, 'ParameterMissing', 'param is missing or the value is empty: phone_number', {
      phone_number: [{ description: 'Phone number must be an object wrapping the attributes', error: 'BlankValue' }],
    });
  }
  return inner;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseId(raw: string): number | null {
  const id = raw.replace(/\.json$/, '');
  return /^\d{1,16}$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : null;
}

/**
 * A JSON integer. The docs type every id and `priority` as integer; the
 * sandbox holds clients to that rather than guessing at Rails coercion, so a
 * client that sends ids as strings is caught here, not in production.
 */
function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

/** An id, `null`, or `undefined` when the value is neither. */
function optionalId(value: unknown): number | null | undefined {
  if (value === null) return null;
  return integer(value) ?? undefined;
}

function idList(value: unknown): number[] | null {
  if (!Array.isArray(value)) return null;
  const ids = value.map(integer);
  return ids.every((id): id is number => id !== null) ? ids : null;
}

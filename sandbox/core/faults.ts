import { Random } from './random.js';

/** One injected misbehaviour, applied to requests whose `METHOD /template` matches. */
export interface FaultRule {
  /** Glob over `METHOD /path/{template}`; `*` matches anything. Default: every route. */
  match: string;
  /** Added delay before anything else happens. */
  latencyMs: number;
  /** Uniform extra delay in [0, jitterMs]. */
  jitterMs: number;
  /** Answer with this status and the provider's own error body. */
  error?: { status: number; message?: string; code?: string; retryAfterSeconds?: number };
  /** Accept the request and never answer. */
  hang: boolean;
  /** Destroy the connection without an answer. */
  reset: boolean;
  /**
   * Handle the request (state changes apply), then destroy the connection
   * instead of answering: the client cannot tell whether its write happened.
   */
  drop: boolean;
  /** Fraction of matching requests affected (seeded, so runs repeat). */
  rate: number;
  /**
   * Lets the first N matching requests pass untouched and fires from the
   * next one on: "the third read fails", for an outage that starts mid-way.
   */
  after?: number;
  /** Fires for the next N matching requests only; unlimited when absent. */
  times?: number;
}

/** A rate limit that replaces a provider's default for one group. */
export interface RateLimitOverride {
  limit: number;
  windowSeconds: number;
}

export type FaultAction =
  | { kind: 'pass' }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'drop' }
  | { kind: 'error'; status: number; message: string; code?: string; retryAfterSeconds?: number };

/** Thrown for a control-plane body we cannot accept; names the field. */
export class FaultConfigError extends Error {}

/**
 * The faults currently injected into one sandbox server, set through
 * `POST /__sandbox/faults`. Tests use them to make a provider slow, failing,
 * hanging, resetting connections, losing answers to requests it applied, or
 * stricter about rate limits.
 */
export class Faults {
  private rules: (FaultRule & { regex: RegExp })[] = [];
  private overrides: Record<string, RateLimitOverride> = {};
  private random = new Random(0xfa17);

  /** `groups`: the provider's rate-limit groups, the only ones `rateLimits` may name (besides `*`). */
  constructor(private readonly groups: readonly string[]) {}

  /** Replaces the whole fault set with a validated copy of `body`. */
  configure(body: unknown): void {
    const config = parseFaultConfig(body, this.groups);
    this.rules = config.rules.map((rule) => ({ ...rule, regex: globToRegExp(rule.match) }));
    this.overrides = config.rateLimits;
    this.random = new Random(0xfa17);
  }

  clear(): void {
    this.configure({});
  }

  /** The rate limit to enforce for `group`: an override if set, else the provider default. */
  rateLimit(group: string, fallback: RateLimitOverride): RateLimitOverride {
    // A group the provider did not declare could never be overridden, since
    // configure() refuses it: fail loudly so the declared list stays true.
    if (!this.groups.includes(group)) throw new Error(`rate-limit group "${group}" is missing from the provider's rateLimitGroups`);
    return this.overrides[group] ?? this.overrides['*'] ?? fallback;
  }

  /**
   * Latency to add for this request, in ms. A rule that only delays counts
   * its `after`, `times` and `rate` like an action would ("the second read is
   * slow"); a rule that also acts delays every request it matches.
   */
  delayFor(route: string): number {
    let ms = 0;
    for (const rule of this.rules) {
      if ((rule.latencyMs === 0 && rule.jitterMs === 0) || !rule.regex.test(route)) continue;
      if (!hasAction(rule) && !this.fires(rule)) continue;
      ms += rule.latencyMs + this.random.next() * rule.jitterMs;
    }
    return ms;
  }

  /** Whether a rule fires for a request it matches, counting down its `after` and `times`. */
  private fires(rule: FaultRule): boolean {
    if (rule.after !== undefined && rule.after > 0) {
      rule.after -= 1;
      return false;
    }
    if (rule.times !== undefined && rule.times <= 0) return false;
    if (rule.rate < 1 && !this.random.chance(rule.rate)) return false;
    if (rule.times !== undefined) rule.times -= 1;
    return true;
  }

  /** The first hang/reset/drop/error rule that fires for this request. */
  actionFor(route: string): FaultAction {
    for (const rule of this.rules) {
      if (!hasAction(rule) || !rule.regex.test(route) || !this.fires(rule)) continue;
      if (rule.hang) return { kind: 'hang' };
      if (rule.reset) return { kind: 'reset' };
      if (rule.drop) return { kind: 'drop' };
      const error = rule.error!;
      return {
        kind: 'error',
        status: error.status,
        message: error.message ?? `Injected fault: ${error.status}`,
        ...(error.code !== undefined && { code: error.code }),
        ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
      };
    }
    return { kind: 'pass' };
  }

  describe(): { rules: FaultRule[]; rateLimits: Record<string, RateLimitOverride> } {
    return { rules: this.rules.map(({ regex: _regex, ...rule }) => rule), rateLimits: this.overrides };
  }
}

function hasAction(rule: FaultRule): boolean {
  return rule.hang || rule.reset || rule.drop || rule.error !== undefined;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

function parseFaultConfig(body: unknown, groups: readonly string[]): { rules: FaultRule[]; rateLimits: Record<string, RateLimitOverride> } {
  const root = body ?? {};
  if (!isObject(root)) throw new FaultConfigError('body must be a JSON object');
  const known = new Set(['rules', 'rateLimits']);
  for (const key of Object.keys(root)) if (!known.has(key)) throw new FaultConfigError(`unknown field "${key}" (expected rules, rateLimits)`);

  const rulesIn = root.rules ?? [];
  if (!Array.isArray(rulesIn)) throw new FaultConfigError('rules must be an array');
  const rules = rulesIn.map((raw, i) => parseRule(raw, `rules[${i}]`));

  const limitsIn = root.rateLimits ?? {};
  if (!isObject(limitsIn)) throw new FaultConfigError('rateLimits must be an object keyed by rate-limit group');
  const rateLimits: Record<string, RateLimitOverride> = {};
  for (const [group, raw] of Object.entries(limitsIn)) {
    const where = `rateLimits.${group}`;
    if (group !== '*' && !groups.includes(group)) {
      throw new FaultConfigError(`${where}: unknown rate-limit group (expected ${[...groups, '*'].join(', ')})`);
    }
    if (!isObject(raw)) throw new FaultConfigError(`${where} must be an object`);
    rateLimits[group] = {
      limit: integer(raw.limit, `${where}.limit`, 0, 1_000_000),
      windowSeconds: raw.windowSeconds === undefined ? 60 : number(raw.windowSeconds, `${where}.windowSeconds`, 0.001, 86_400),
    };
  }
  return { rules, rateLimits };
}

function parseRule(raw: unknown, where: string): FaultRule {
  if (!isObject(raw)) throw new FaultConfigError(`${where} must be an object`);
  const known = new Set(['match', 'latencyMs', 'jitterMs', 'error', 'hang', 'reset', 'drop', 'rate', 'after', 'times']);
  for (const key of Object.keys(raw)) if (!known.has(key)) throw new FaultConfigError(`${where}: unknown field "${key}"`);
  if (raw.match !== undefined && typeof raw.match !== 'string') throw new FaultConfigError(`${where}.match must be a string`);
  const rule: FaultRule = {
    match: (raw.match as string | undefined) ?? '*',
    latencyMs: raw.latencyMs === undefined ? 0 : number(raw.latencyMs, `${where}.latencyMs`, 0, 600_000),
    jitterMs: raw.jitterMs === undefined ? 0 : number(raw.jitterMs, `${where}.jitterMs`, 0, 600_000),
    hang: raw.hang === undefined ? false : boolean(raw.hang, `${where}.hang`),
    reset: raw.reset === undefined ? false : boolean(raw.reset, `${where}.reset`),
    drop: raw.drop === undefined ? false : boolean(raw.drop, `${where}.drop`),
    rate: raw.rate === undefined ? 1 : number(raw.rate, `${where}.rate`, 0, 1),
  };
  if (raw.times !== undefined) rule.times = integer(raw.times, `${where}.times`, 1, 1_000_000);
  if (raw.after !== undefined) rule.after = integer(raw.after, `${where}.after`, 0, 1_000_000);
  if (raw.error !== undefined) {
    if (!isObject(raw.error)) throw new FaultConfigError(`${where}.error must be an object`);
    const e = raw.error;
    rule.error = { status: integer(e.status, `${where}.error.status`, 400, 599) };
    if (e.message !== undefined) rule.error.message = String(e.message);
    if (e.code !== undefined) rule.error.code = String(e.code);
    if (e.retryAfterSeconds !== undefined) {
      rule.error.retryAfterSeconds = number(e.retryAfterSeconds, `${where}.error.retryAfterSeconds`, 0, 86_400);
    }
  }
  const actions = [rule.hang, rule.reset, rule.drop, rule.error !== undefined].filter(Boolean).length;
  if (actions > 1) throw new FaultConfigError(`${where} sets more than one of hang, reset, drop and error`);
  if (actions === 0 && rule.latencyMs === 0 && rule.jitterMs === 0) {
    throw new FaultConfigError(`${where} does nothing: set latencyMs, jitterMs, error, hang, reset or drop`);
  }
  return rule;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new FaultConfigError(`${where} must be a boolean`);
  return value;
}

function number(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new FaultConfigError(`${where} must be a number between ${min} and ${max}`);
  }
  return value;
}

function integer(value: unknown, where: string, min: number, max: number): number {
  const n = number(value, where, min, max);
  if (!Number.isInteger(n)) throw new FaultConfigError(`${where} must be an integer`);
  return n;
}

import { DOCUMENTED_RATE_LIMITS, type RateLimit } from './sync/budget.js';
import type { ProviderName } from './providers/index.js';

/**
 * The one place that reads the environment. Everything else receives a typed
 * {@link Config}. Bad or partial settings fail at start with every problem
 * listed, each naming its variable, rather than surfacing later as a provider
 * 401 in the middle of a query.
 */

export interface RingCxSettings {
  enabled: boolean;
  /** Host root, e.g. `https://ringcx.ringcentral.com`; undefined means the embedded sandbox. */
  baseUrl?: string;
  /** Permanent API token (`X-Auth-Token`); without it we exchange the RingCentral token. */
  apiToken?: string;
  /** Sub-accounts to read; undefined means every account the credentials can see. */
  accountIds?: string[];
}

export interface RingCentralSettings {
  enabled: boolean;
  baseUrl?: string;
  clientId?: string;
  clientSecret?: string;
  jwt?: string;
}

export interface ZendeskSettings {
  enabled: boolean;
  baseUrl?: string;
  email?: string;
  apiToken?: string;
}

export interface RingyoSettings {
  enabled: boolean;
  baseUrl?: string;
  apiKey?: string;
}

export interface UploadLimits {
  /** Largest CSV accepted, in bytes. */
  maxBytes: number;
  /** Most data rows accepted. */
  maxRows: number;
}

export interface SandboxSettings {
  /**
   * Whether providers without a base URL run on the embedded sandbox
   * (`SWITCHBOARD_SANDBOX=true`, which `npm start` sets). Never by default:
   * a production start with a provider left unconfigured must fail, not
   * serve seeded fake numbers beside the real ones.
   */
  enabled: boolean;
  /** PRNG seed for the embedded providers' data; the sandbox's own default when absent. */
  seed?: number;
  /** Multiplies the seed data's sizes (1 = 2,000 RingCX DNIS, 150 extensions…). */
  scale: number;
  /** First port of the four sandbox servers; undefined means ephemeral ports. */
  port?: number;
}

/**
 * How callers are authenticated. In `jwt` mode every request needs a token
 * signed by the configured keys, from the configured issuer, for the
 * configured audience; scopes in it decide what it may do. `none` is for
 * the embedded sandbox, or an explicit choice the server warns about.
 */
export interface AuthSettings {
  mode: 'jwt' | 'none';
  /** The key set to verify tokens with (fetched and cached, rotation honoured). */
  jwksUrl?: string;
  /** Or one public key, PEM (SPKI). */
  publicKeyPem?: string;
  issuer?: string;
  audience?: string;
  /** Allowed clock difference for `exp` and `nbf`. */
  clockToleranceSeconds: number;
  /** `AUTH_MODE=none` was set although real providers are configured: warned about on every start. */
  unprotected: boolean;
}

export interface Config {
  /** Port of the GraphQL server. */
  port: number;
  /** Interface the GraphQL server listens on (loopback unless `HOST` says otherwise). */
  host: string;
  /** Whether introspection is answered; off by default when NODE_ENV=production. */
  introspection: boolean;
  /** Whether browsers opening /graphql get the GraphiQL playground; off by default when NODE_ENV=production. */
  playground: boolean;
  /** Origins allowed cross-origin access (CORS); none by default. */
  corsOrigins: string[];
  /** Per-attempt timeout of every provider call. */
  providerTimeoutMs: number;
  /** Retries of an idempotent provider call after the first attempt (429, 5xx, network errors). */
  providerRetries: number;
  /** How long reference data and number inventories are reused before providers are asked again. */
  cacheTtlMs: number;
  /** Signs pagination cursors; replicas behind one router must share it. */
  cursorSecret: string;
  /** The SQLite file holding the change journal, the history and upload results. */
  databasePath: string;
  /** PostgreSQL instead (`DATABASE_URL`): one store shared by every replica. */
  databaseUrl?: string;
  /** How long a replica holds an open change without renewing it; after that, another replica's recovery takes it. */
  journalLeaseMs: number;
  /** How often each replica looks for open changes to recover. */
  recoverySweepMs: number;
  /** Limits on one `uploadPhoneNumbers` request. */
  upload: UploadLimits;
  /** The inventory index's background sync. */
  sync: SyncSettings;
  /** Memory for answers of index-only queries, kept while the index is unchanged (`RESPONSE_CACHE_MB`; 0: off). */
  responseCacheBytes: number;
  sandbox: SandboxSettings;
  ringcx: RingCxSettings;
  ringcentral: RingCentralSettings;
  zendesk: ZendeskSettings;
  ringyo: RingyoSettings;
  auth: AuthSettings;
}

/** The inventory sync: how often, how fresh, and how much of each provider's rate limits it may use. */
export interface SyncSettings {
  /** Time between full passes of each provider (`SYNC_INTERVAL_SECONDS`). */
  intervalMs: number;
  /** Age after which answers warn that a provider's data is stale (`SYNC_STALE_AFTER_SECONDS`). */
  staleAfterMs: number;
  /** How long the syncing replica holds the sync without renewing (`SYNC_LEASE_SECONDS`). */
  leaseMs: number;
  /** How long a read waits for a provider's first pass on an empty index (`SYNC_FIRST_WAIT_SECONDS`). */
  firstSyncWaitMs: number;
  /** The sync's share of each rate-limit group, 0–1 (`SYNC_RATE_SHARE_PERCENT`). */
  share: number;
  /** Each provider's rate limits per group: the documented ones, overridden by `PROVIDER_RATE_LIMITS`. */
  limits: Record<ProviderName, Record<string, RateLimit>>;
}

/** Thrown when the environment cannot be used; `problems` each name a variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const PROVIDER_NAMES: ProviderName[] = ['ringcx', 'ringcentral', 'zendesk', 'ringyo'];

/**
 * The documented rate limits, with `PROVIDER_RATE_LIMITS` overrides: a
 * comma-separated list of `provider[.group]=limit/windowSeconds`, e.g.
 * `zendesk=700/60,ringcentral.Heavy=10/60` (an account on a bigger plan).
 */
function readRateLimits(value: string | undefined, problems: string[]): Record<ProviderName, Record<string, RateLimit>> {
  const limits = Object.fromEntries(PROVIDER_NAMES.map((p) => [p, { ...DOCUMENTED_RATE_LIMITS[p] }])) as Record<ProviderName, Record<string, RateLimit>>;
  for (const item of (value ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    const match = /^([a-z]+)(?:\.([A-Za-z]+))?=(\d+)\/(\d+)$/.exec(item);
    const provider = match?.[1] as ProviderName | undefined;
    if (!match || !provider || !PROVIDER_NAMES.includes(provider) || Number(match[3]) < 1 || Number(match[4]) < 1) {
      problems.push(`PROVIDER_RATE_LIMITS: "${item.slice(0, 60)}" is not provider[.group]=limit/windowSeconds with provider one of ${PROVIDER_NAMES.join(', ')} (e.g. zendesk=700/60)`);
      continue;
    }
    const group = match[2] ?? 'default';
    if (!(group in limits[provider])) {
      problems.push(`PROVIDER_RATE_LIMITS: ${provider} has no rate-limit group "${group}" (it has ${Object.keys(limits[provider]).join(', ')})`);
      continue;
    }
    limits[provider][group] = { limit: Number(match[3]), windowSeconds: Number(match[4]) };
  }
  return limits;
}

/** Reads and validates the configuration from `env` (default: `process.env`). */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new Reader(env, problems);
  const production = env.NODE_ENV === 'production';
  const sandbox: SandboxSettings = { enabled: read.boolean('SWITCHBOARD_SANDBOX', false), ...readSandboxSettings(read) };

  const config: Config = {
    port: read.port('PORT', 4000),
    host: read.string('HOST') ?? '127.0.0.1',
    introspection: read.boolean('INTROSPECTION_ENABLED', !production),
    playground: read.boolean('PLAYGROUND_ENABLED', !production),
    corsOrigins: readOrigins(read, problems),
    providerTimeoutMs: read.integer('PROVIDER_TIMEOUT_MS', 10_000, 100, 600_000),
    providerRetries: read.integer('PROVIDER_RETRIES', 2, 0, 5),
    cacheTtlMs: read.integer('CACHE_TTL_SECONDS', 60, 0, 86_400) * 1000,
    // A known secret would let anyone forge cursors; only the sandbox has a default.
    cursorSecret: read.string('CURSOR_SECRET') ?? (sandbox.enabled ? 'switchboard-sandbox-cursors' : ''),
    databasePath: read.string('SWITCHBOARD_DB_PATH') ?? './data/switchboard.db',
    ...readDatabaseUrl(read, problems),
    journalLeaseMs: read.integer('JOURNAL_LEASE_SECONDS', 30, 1, 3_600) * 1000,
    recoverySweepMs: read.integer('RECOVERY_SWEEP_SECONDS', 15, 1, 3_600) * 1000,
    responseCacheBytes: read.integer('RESPONSE_CACHE_MB', 32, 0, 4_096) * 2 ** 20,
    sync: {
      intervalMs: read.integer('SYNC_INTERVAL_SECONDS', 300, 1, 86_400) * 1000,
      staleAfterMs: read.integer('SYNC_STALE_AFTER_SECONDS', 900, 1, 7 * 86_400) * 1000,
      leaseMs: read.integer('SYNC_LEASE_SECONDS', 30, 1, 3_600) * 1000,
      firstSyncWaitMs: read.integer('SYNC_FIRST_WAIT_SECONDS', 20, 0, 600) * 1000,
      share: read.integer('SYNC_RATE_SHARE_PERCENT', 50, 1, 100) / 100,
      limits: readRateLimits(read.string('PROVIDER_RATE_LIMITS'), problems),
    },
    upload: {
      maxBytes: read.integer('UPLOAD_MAX_BYTES', 20 * 1024 * 1024, 1, 1024 * 1024 * 1024),
      maxRows: read.integer('UPLOAD_MAX_ROWS', 200_000, 1, 10_000_000),
    },
    sandbox,
    ringcx: {
      enabled: read.boolean('RINGCX_ENABLED', true),
      baseUrl: read.url('RINGCX_BASE_URL'),
      apiToken: read.string('RINGCX_API_TOKEN'),
      accountIds: read.list('RINGCX_ACCOUNT_IDS'),
    },
    ringcentral: {
      enabled: read.boolean('RINGCENTRAL_ENABLED', true),
      baseUrl: read.url('RINGCENTRAL_BASE_URL'),
      clientId: read.string('RINGCENTRAL_CLIENT_ID'),
      clientSecret: read.string('RINGCENTRAL_CLIENT_SECRET'),
      jwt: read.string('RINGCENTRAL_JWT'),
    },
    zendesk: {
      enabled: read.boolean('ZENDESK_ENABLED', true),
      baseUrl: read.url('ZENDESK_BASE_URL'),
      email: read.string('ZENDESK_EMAIL'),
      apiToken: read.string('ZENDESK_API_TOKEN'),
    },
    ringyo: {
      enabled: read.boolean('RINGYO_ENABLED', true),
      baseUrl: read.url('RINGYO_BASE_URL'),
      apiKey: read.string('RINGYO_API_KEY'),
    },
    auth: { mode: 'none', clockToleranceSeconds: read.integer('AUTH_CLOCK_TOLERANCE_SECONDS', 30, 0, 600), unprotected: false },
  };
  config.auth = readAuth(read, config, problems);
  if (!sandbox.enabled) {
    if (config.cursorSecret === '') problems.push('CURSOR_SECRET is required (at least 16 characters; replicas behind one router share it)');
    else if (config.cursorSecret.length < 16) problems.push('CURSOR_SECRET must be at least 16 characters');
    for (const name of PROVIDERS) {
      if (config[name].enabled && config[name].baseUrl === undefined) {
        problems.push(`${PREFIX[name]}_BASE_URL and its credentials are required (or ${PREFIX[name]}_ENABLED=false); SWITCHBOARD_SANDBOX=true runs unconfigured providers on the embedded sandbox, for development`);
      }
    }
  }

  checkPair(problems, config.ringcentral, 'RINGCENTRAL', {
    RINGCENTRAL_CLIENT_ID: config.ringcentral.clientId,
    RINGCENTRAL_CLIENT_SECRET: config.ringcentral.clientSecret,
    RINGCENTRAL_JWT: config.ringcentral.jwt,
  });
  checkPair(problems, config.zendesk, 'ZENDESK', {
    ZENDESK_EMAIL: config.zendesk.email,
    ZENDESK_API_TOKEN: config.zendesk.apiToken,
  });
  checkPair(problems, config.ringyo, 'RINGYO', { RINGYO_API_KEY: config.ringyo.apiKey });

  // RingCX authenticates with its own permanent token, or by exchanging a
  // RingCentral access token; the latter needs a RingCentral we can log in to.
  const rcx = config.ringcx;
  if (rcx.enabled && rcx.baseUrl === undefined && rcx.apiToken !== undefined) {
    problems.push('RINGCX_API_TOKEN is set but RINGCX_BASE_URL is not: set both, or neither to use the sandbox');
  }
  if (rcx.enabled && rcx.baseUrl !== undefined && rcx.apiToken === undefined) {
    if (!config.ringcentral.enabled) {
      problems.push('RINGCX_BASE_URL is set without RINGCX_API_TOKEN, so RingCX needs RingCentral login, but RINGCENTRAL_ENABLED=false');
    } else if (config.ringcentral.baseUrl === undefined) {
      problems.push('RINGCX_BASE_URL is set without RINGCX_API_TOKEN, so RingCX needs a real RingCentral login: set RINGCENTRAL_BASE_URL and its credentials, or RINGCX_API_TOKEN');
    }
  }
  if (rcx.accountIds !== undefined && rcx.baseUrl === undefined) {
    problems.push('RINGCX_ACCOUNT_IDS is set but RINGCX_BASE_URL is not: the sandbox has its own accounts');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const PROVIDERS = ['ringcx', 'ringcentral', 'zendesk', 'ringyo'] as const;
const PREFIX = { ringcx: 'RINGCX', ringcentral: 'RINGCENTRAL', zendesk: 'ZENDESK', ringyo: 'RINGYO' } as const;

/** The embedded sandbox's own settings (also read by `npm run sandbox`, which runs it standalone). */
export function loadSandboxSettings(env: Env = process.env): Omit<SandboxSettings, 'enabled'> {
  const problems: string[] = [];
  const settings = readSandboxSettings(new Reader(env, problems));
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

function readSandboxSettings(read: Reader): Omit<SandboxSettings, 'enabled'> {
  const seed = read.string('SANDBOX_SEED') === undefined ? undefined : read.integer('SANDBOX_SEED', 0, 0, 2 ** 32 - 1);
  return {
    ...(seed !== undefined && { seed }),
    scale: read.number('SANDBOX_SCALE', 1, 0.01, 100),
    port: read.optionalPort('SANDBOX_PORT'),
  };
}

/** `DATABASE_URL`: a PostgreSQL URL, when set (the store is then shared by replicas). */
function readDatabaseUrl(read: Reader, problems: string[]): { databaseUrl?: string } {
  const url = read.string('DATABASE_URL');
  if (url === undefined) return {};
  if (!/^postgres(ql)?:\/\/[^/]/.test(url)) {
    problems.push('DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database)');
    return {};
  }
  return { databaseUrl: url };
}

/** `CORS_ORIGINS`: exact origins (`https://admin.example.com`), comma-separated. */
function readOrigins(read: Reader, problems: string[]): string[] {
  const origins = read.list('CORS_ORIGINS') ?? [];
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) problems.push(`CORS_ORIGINS entries must be origins like https://admin.example.com, got "${origin}"`);
  }
  return origins;
}

/**
 * Authentication defaults to `jwt` as soon as any provider is real: real
 * routing is never open to whoever reaches the port. Only a server whose
 * providers all run on the embedded sandbox defaults to `none`.
 */
function readAuth(read: Reader, config: Config, problems: string[]): AuthSettings {
  const providers = [config.ringcx, config.ringcentral, config.zendesk, config.ringyo].filter((p) => p.enabled);
  const allSandboxed = config.sandbox.enabled && providers.every((p) => p.baseUrl === undefined);
  const mode = read.string('AUTH_MODE') ?? (allSandboxed ? 'none' : 'jwt');
  const base = { clockToleranceSeconds: config.auth.clockToleranceSeconds };
  if (mode === 'none') return { mode: 'none', ...base, unprotected: !allSandboxed };
  if (mode !== 'jwt') {
    problems.push(`AUTH_MODE must be jwt or none, not "${mode}"`);
    return { mode: 'none', ...base, unprotected: false };
  }
  const jwksUrl = read.url('AUTH_JWKS_URL');
  const publicKeyPem = read.string('AUTH_JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n');
  const issuer = read.string('AUTH_ISSUER');
  const audience = read.string('AUTH_AUDIENCE');
  const why = allSandboxed ? 'with AUTH_MODE=jwt' : 'with a real provider (AUTH_MODE is jwt by default then)';
  if (jwksUrl === undefined && publicKeyPem === undefined) problems.push(`AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY is required ${why}`);
  if (jwksUrl !== undefined && publicKeyPem !== undefined) problems.push('AUTH_JWKS_URL and AUTH_JWT_PUBLIC_KEY are both set: set one');
  if (publicKeyPem !== undefined && !publicKeyPem.includes('BEGIN PUBLIC KEY')) problems.push('AUTH_JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
  if (issuer === undefined) problems.push(`AUTH_ISSUER is required ${why}`);
  if (audience === undefined) problems.push(`AUTH_AUDIENCE is required ${why}`);
  return {
    mode: 'jwt',
    ...base,
    unprotected: false,
    ...(jwksUrl !== undefined && { jwksUrl }),
    ...(publicKeyPem !== undefined && { publicKeyPem }),
    ...(issuer !== undefined && { issuer }),
    ...(audience !== undefined && { audience }),
  };
}

/** A real provider needs every credential; the sandbox needs none of them. */
function checkPair(
  problems: string[],
  settings: { enabled: boolean; baseUrl?: string },
  prefix: string,
  credentials: Record<string, string | undefined>,
): void {
  if (!settings.enabled) return;
  const missing = Object.entries(credentials).filter(([, v]) => v === undefined).map(([k]) => k);
  const present = Object.keys(credentials).filter((k) => !missing.includes(k));
  if (settings.baseUrl !== undefined) {
    for (const name of missing) problems.push(`${name} is required when ${prefix}_BASE_URL is set`);
  } else {
    for (const name of present) problems.push(`${name} is set but ${prefix}_BASE_URL is not: set both, or neither to use the sandbox`);
  }
}

class Reader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  list(name: string): string[] | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) this.problems.push(`${name} must be a comma-separated list, got "${value}"`);
    return items;
  }

  url(name: string): string | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
      return value.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be an http(s) URL, got "${value}"`);
      return undefined;
    }
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.string(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false, got "${this.env[name]}"`);
    return fallback;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problems.push(`${name} must be a number between ${min} and ${max}, got "${value}"`);
      return fallback;
    }
    return n;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
      return fallback;
    }
    return n;
  }

  port(name: string, fallback: number): number {
    return this.integer(name, fallback, 0, 65535);
  }

  optionalPort(name: string): number | undefined {
    return this.string(name) === undefined ? undefined : this.integer(name, 0, 1, 65532);
  }
}

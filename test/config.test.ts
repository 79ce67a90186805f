import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../src/config.js';
import { DOCUMENTED_RATE_LIMITS } from '../src/sync/budget.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('runs every provider on the embedded sandbox only when asked (SWITCHBOARD_SANDBOX=true)', () => {
    expect(loadConfig({ SWITCHBOARD_SANDBOX: 'true' })).toEqual({
      port: 4000,
      host: '127.0.0.1',
      introspection: true,
      playground: true,
      corsOrigins: [],
      providerTimeoutMs: 10_000,
      providerRetries: 2,
      cacheTtlMs: 60_000,
      cursorSecret: 'switchboard-sandbox-cursors',
      databasePath: './data/switchboard.db',
      journalLeaseMs: 30_000,
      recoverySweepMs: 15_000,
      upload: { maxBytes: 20 * 1024 * 1024, maxRows: 200_000 },
      responseCacheBytes: 32 * 2 ** 20,
      sync: { intervalMs: 300_000, staleAfterMs: 900_000, leaseMs: 30_000, firstSyncWaitMs: 20_000, share: 0.5, limits: DOCUMENTED_RATE_LIMITS },
      sandbox: { enabled: true, scale: 1, port: undefined },
      ringcx: { enabled: true, baseUrl: undefined, apiToken: undefined, accountIds: undefined },
      ringcentral: { enabled: true, baseUrl: undefined, clientId: undefined, clientSecret: undefined, jwt: undefined },
      zendesk: { enabled: true, baseUrl: undefined, email: undefined, apiToken: undefined },
      ringyo: { enabled: true, baseUrl: undefined, apiKey: undefined },
      // Every provider on the sandbox: no real routing to protect.
      auth: { mode: 'none', clockToleranceSeconds: 30, unprotected: false },
    });
  });

  it('refuses a start without SWITCHBOARD_SANDBOX that leaves providers unconfigured, naming each, instead of serving fake data', () => {
    expect(problemsOf({ RINGCENTRAL_BASE_URL: 'https://platform.ringcentral.com', RINGCENTRAL_CLIENT_ID: 'id', RINGCENTRAL_CLIENT_SECRET: 's', RINGCENTRAL_JWT: 'j', AUTH_MODE: 'none', CURSOR_SECRET: 'a-long-enough-secret' })).toEqual([
      'RINGCX_BASE_URL and its credentials are required (or RINGCX_ENABLED=false); SWITCHBOARD_SANDBOX=true runs unconfigured providers on the embedded sandbox, for development',
      'ZENDESK_BASE_URL and its credentials are required (or ZENDESK_ENABLED=false); SWITCHBOARD_SANDBOX=true runs unconfigured providers on the embedded sandbox, for development',
      'RINGYO_BASE_URL and its credentials are required (or RINGYO_ENABLED=false); SWITCHBOARD_SANDBOX=true runs unconfigured providers on the embedded sandbox, for development',
    ]);
  });

  it('requires a cursor secret outside the sandbox, and turns introspection and the playground off in production', () => {
    const real = { RINGYO_BASE_URL: 'https://api.ringyo.ai', RINGYO_API_KEY: 'k', RINGCX_ENABLED: 'false', RINGCENTRAL_ENABLED: 'false', ZENDESK_ENABLED: 'false', AUTH_MODE: 'none' };
    expect(problemsOf(real)).toEqual(['CURSOR_SECRET is required (at least 16 characters; replicas behind one router share it)']);
    expect(problemsOf({ ...real, CURSOR_SECRET: 'short' })).toEqual(['CURSOR_SECRET must be at least 16 characters']);
    const production = loadConfig({ ...real, CURSOR_SECRET: 'a-long-enough-secret', NODE_ENV: 'production' });
    expect([production.introspection, production.playground, production.corsOrigins, production.host]).toEqual([false, false, [], '127.0.0.1']);
    const opened = loadConfig({ ...real, CURSOR_SECRET: 'a-long-enough-secret', NODE_ENV: 'production', INTROSPECTION_ENABLED: 'true', CORS_ORIGINS: 'https://admin.example.com' });
    expect([opened.introspection, opened.corsOrigins]).toEqual([true, ['https://admin.example.com']]);
    const limited = loadConfig({ SWITCHBOARD_SANDBOX: 'true', PROVIDER_RATE_LIMITS: 'zendesk=700/60, ringcentral.Heavy=20/60', SYNC_RATE_SHARE_PERCENT: '25' }).sync;
    expect([limited.limits.zendesk.default, limited.limits.ringcentral.Heavy, limited.limits.ringcentral.Light, limited.share]).toEqual([
      { limit: 700, windowSeconds: 60 },
      { limit: 20, windowSeconds: 60 },
      { limit: 50, windowSeconds: 60 },
      0.25,
    ]);
    expect(problemsOf({ SWITCHBOARD_SANDBOX: 'true', PROVIDER_RATE_LIMITS: 'zendesk=700, ringcentral.Huge=1/60, acme=1/1' })).toEqual([
      'PROVIDER_RATE_LIMITS: "zendesk=700" is not provider[.group]=limit/windowSeconds with provider one of ringcx, ringcentral, zendesk, ringyo (e.g. zendesk=700/60)',
      'PROVIDER_RATE_LIMITS: ringcentral has no rate-limit group "Huge" (it has Light, Medium, Heavy, Auth)',
      'PROVIDER_RATE_LIMITS: "acme=1/1" is not provider[.group]=limit/windowSeconds with provider one of ringcx, ringcentral, zendesk, ringyo (e.g. zendesk=700/60)',
    ]);
    expect(problemsOf({ SWITCHBOARD_SANDBOX: 'true', DATABASE_URL: 'mysql://x' })).toEqual(['DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database)']);
    expect(loadConfig({ SWITCHBOARD_SANDBOX: 'true', DATABASE_URL: 'postgres://u:p@db:5432/sb' }).databaseUrl).toBe('postgres://u:p@db:5432/sb');
    expect(problemsOf({ SWITCHBOARD_SANDBOX: 'true', CORS_ORIGINS: 'https://admin.example.com/path, *' })).toEqual([
      'CORS_ORIGINS entries must be origins like https://admin.example.com, got "https://admin.example.com/path"',
      'CORS_ORIGINS entries must be origins like https://admin.example.com, got "*"',
    ]);
  });

  it('reads a complete set of real-provider settings', () => {
    const config = loadConfig({
      PORT: '8080',
      CURSOR_SECRET: 'a-long-enough-secret',
      RINGCX_BASE_URL: 'https://ringcx.ringcentral.com/',
      RINGCX_ACCOUNT_IDS: '15290001, 15290002',
      RINGCENTRAL_BASE_URL: 'https://platform.ringcentral.com',
      RINGCENTRAL_CLIENT_ID: 'id',
      RINGCENTRAL_CLIENT_SECRET: 'secret',
      RINGCENTRAL_JWT: 'jwt',
      ZENDESK_ENABLED: 'false',
      RINGYO_BASE_URL: 'https://api.ringyo.ai',
      RINGYO_API_KEY: 'vb_live_x',
      AUTH_JWKS_URL: 'https://login.example.com/.well-known/jwks.json',
      AUTH_ISSUER: 'https://login.example.com/',
      AUTH_AUDIENCE: 'switchboard',
    });
    expect(config.port).toBe(8080);
    expect(config.auth).toEqual({
      mode: 'jwt',
      jwksUrl: 'https://login.example.com/.well-known/jwks.json',
      issuer: 'https://login.example.com/',
      audience: 'switchboard',
      clockToleranceSeconds: 30,
      unprotected: false,
    });
    expect(config.ringcx).toEqual({
      enabled: true,
      baseUrl: 'https://ringcx.ringcentral.com',
      apiToken: undefined,
      accountIds: ['15290001', '15290002'],
    });
    expect(config.zendesk.enabled).toBe(false);
    expect(config.ringyo).toEqual({ enabled: true, baseUrl: 'https://api.ringyo.ai', apiKey: 'vb_live_x' });
  });

  it('turns authentication on by default as soon as a provider is real, and names what it needs', () => {
    // The others on the sandbox: one real provider is enough to turn authentication on.
    const real = { SWITCHBOARD_SANDBOX: 'true', RINGYO_BASE_URL: 'https://api.ringyo.ai', RINGYO_API_KEY: 'k' };
    expect(problemsOf(real)).toEqual([
      'AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY is required with a real provider (AUTH_MODE is jwt by default then)',
      'AUTH_ISSUER is required with a real provider (AUTH_MODE is jwt by default then)',
      'AUTH_AUDIENCE is required with a real provider (AUTH_MODE is jwt by default then)',
    ]);
    expect(loadConfig({ ...real, AUTH_MODE: 'none' }).auth).toEqual({ mode: 'none', clockToleranceSeconds: 30, unprotected: true });
    expect(problemsOf({ SWITCHBOARD_SANDBOX: 'true', AUTH_MODE: 'maybe' })).toEqual(['AUTH_MODE must be jwt or none, not "maybe"']);
    expect(problemsOf({ SWITCHBOARD_SANDBOX: 'true', AUTH_MODE: 'jwt', AUTH_JWT_PUBLIC_KEY: 'not a key', AUTH_JWKS_URL: 'https://x.example/jwks', AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' })).toEqual([
      'AUTH_JWKS_URL and AUTH_JWT_PUBLIC_KEY are both set: set one',
      'AUTH_JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)',
    ]);
  });

  it('lists every problem at once, each naming its variable', () => {
    expect(
      problemsOf({
        PORT: 'eighty',
        SWITCHBOARD_SANDBOX: 'true',
        AUTH_MODE: 'none',
        RINGCENTRAL_BASE_URL: 'https://platform.ringcentral.com',
        RINGCENTRAL_CLIENT_ID: 'id',
        ZENDESK_API_TOKEN: 'tok',
        RINGYO_BASE_URL: 'ftp://api.ringyo.ai',
        RINGCX_ENABLED: 'maybe',
        SANDBOX_SCALE: '0',
      }),
    ).toEqual([
      'SANDBOX_SCALE must be a number between 0.01 and 100, got "0"',
      'PORT must be an integer between 0 and 65535, got "eighty"',
      'RINGCX_ENABLED must be true or false, got "maybe"',
      'RINGYO_BASE_URL must be an http(s) URL, got "ftp://api.ringyo.ai"',
      'RINGCENTRAL_CLIENT_SECRET is required when RINGCENTRAL_BASE_URL is set',
      'RINGCENTRAL_JWT is required when RINGCENTRAL_BASE_URL is set',
      'ZENDESK_API_TOKEN is set but ZENDESK_BASE_URL is not: set both, or neither to use the sandbox',
    ]);
  });

  it('requires a way for a real RingCX to authenticate', () => {
    const noAuth = { AUTH_MODE: 'none', SWITCHBOARD_SANDBOX: 'true' };
    expect(problemsOf({ ...noAuth, RINGCX_BASE_URL: 'https://ringcx.ringcentral.com' })).toEqual([
      'RINGCX_BASE_URL is set without RINGCX_API_TOKEN, so RingCX needs a real RingCentral login: set RINGCENTRAL_BASE_URL and its credentials, or RINGCX_API_TOKEN',
    ]);
    expect(problemsOf({ ...noAuth, RINGCX_BASE_URL: 'https://ringcx.ringcentral.com', RINGCENTRAL_ENABLED: 'false' })).toEqual([
      'RINGCX_BASE_URL is set without RINGCX_API_TOKEN, so RingCX needs RingCentral login, but RINGCENTRAL_ENABLED=false',
    ]);
    expect(loadConfig({ ...noAuth, RINGCX_BASE_URL: 'https://ringcx.ringcentral.com', RINGCX_API_TOKEN: 't' }).ringcx.apiToken).toBe('t');
  });

  it('refuses settings that only make sense for a real provider when on the sandbox', () => {
    expect(problemsOf({ SWITCHBOARD_SANDBOX: 'true', RINGCX_API_TOKEN: 't', RINGCX_ACCOUNT_IDS: '1' })).toEqual([
      'RINGCX_API_TOKEN is set but RINGCX_BASE_URL is not: set both, or neither to use the sandbox',
      'RINGCX_ACCOUNT_IDS is set but RINGCX_BASE_URL is not: the sandbox has its own accounts',
    ]);
  });

  it('ignores the credentials of a disabled provider', () => {
    expect(loadConfig({ SWITCHBOARD_SANDBOX: 'true', ZENDESK_ENABLED: 'false', ZENDESK_EMAIL: 'a@b.c' }).zendesk).toEqual({
      enabled: false,
      baseUrl: undefined,
      email: 'a@b.c',
      apiToken: undefined,
    });
  });
});

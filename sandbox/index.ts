import { SandboxServer } from './core/server.js';
import { createWorld, DEFAULT_SANDBOX_SEED } from './seed/world.js';
import { createRingCxSandbox } from './ringcx/index.js';
import { createRingCentralSandbox } from './ringcentral/index.js';
import { createZendeskSandbox } from './zendesk/index.js';
import { createRingyoSandbox } from './ringyo/index.js';

export { SandboxServer } from './core/server.js';

/** Everything a client needs to reach the four sandbox providers: the JSON `npm run sandbox` prints. */
export interface SandboxEndpoints {
  ringcx: { baseUrl: string; apiToken: string };
  ringcentral: { baseUrl: string; clientId: string; clientSecret: string; jwt: string };
  zendesk: { baseUrl: string; email: string; apiToken: string };
  ringyo: { baseUrl: string; apiKey: string };
}

/**
 * The environment that points Switchboard at a standalone sandbox, as at
 * real providers: every base URL and credential variable.
 */
export function sandboxEnv(e: SandboxEndpoints): Record<string, string> {
  return {
    RINGCX_BASE_URL: e.ringcx.baseUrl,
    RINGCX_API_TOKEN: e.ringcx.apiToken,
    RINGCENTRAL_BASE_URL: e.ringcentral.baseUrl,
    RINGCENTRAL_CLIENT_ID: e.ringcentral.clientId,
    RINGCENTRAL_CLIENT_SECRET: e.ringcentral.clientSecret,
    RINGCENTRAL_JWT: e.ringcentral.jwt,
    ZENDESK_BASE_URL: e.zendesk.baseUrl,
    ZENDESK_EMAIL: e.zendesk.email,
    ZENDESK_API_TOKEN: e.zendesk.apiToken,
    RINGYO_BASE_URL: e.ringyo.baseUrl,
    RINGYO_API_KEY: e.ringyo.apiKey,
  };
}

export interface SandboxOptions {
  /** PRNG seed; the same seed gives the same data. */
  seed?: number;
  /** Multiplies the seed data's sizes. */
  scale?: number;
  /** First of four consecutive ports (RingCX, RingCentral, Zendesk, Ringyo); ephemeral when absent. */
  port?: number;
  /** RingCX requests per minute per credential (default 120). */
  ringcxRateLimitPerMinute?: number;
  /** Lifetime of RingCX access tokens (default 300 s, as documented). */
  ringcxTokenTtlSeconds?: number;
  /** Lifetime of RingCentral access tokens (default 3600 s). */
  ringcentralTokenTtlSeconds?: number;
}

/** The four running servers and their endpoints. */
export interface Sandbox {
  endpoints: SandboxEndpoints;
  servers: { ringcx: SandboxServer; ringcentral: SandboxServer; zendesk: SandboxServer; ringyo: SandboxServer };
  /** Resets all four to the seed state, counters and faults. */
  reset(): void;
  close(): Promise<void>;
}


/**
 * Starts the four embedded providers over real HTTP on loopback. RingCX only
 * accepts access tokens that this RingCentral issued, as the real RingCX only
 * accepts real RingCentral tokens, so the two share a token verifier.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const world = createWorld({ seed: options.seed ?? DEFAULT_SANDBOX_SEED, scale: options.scale ?? 1 });
  const port = (offset: number) => (options.port === undefined ? 0 : options.port + offset);

  const ringcentral = createRingCentralSandbox(world, { tokenTtlSeconds: options.ringcentralTokenTtlSeconds });
  const ringcx = createRingCxSandbox(world, {
    verifyRingCentralToken: (token) => ringcentral.verifyAccessToken(token),
    rateLimitPerMinute: options.ringcxRateLimitPerMinute,
    tokenTtlSeconds: options.ringcxTokenTtlSeconds,
  });
  const zendesk = createZendeskSandbox(world);
  const ringyo = createRingyoSandbox(world);

  const servers = {
    ringcx: await SandboxServer.start(ringcx, { port: port(0) }),
    ringcentral: await SandboxServer.start(ringcentral, { port: port(1) }),
    zendesk: await SandboxServer.start(zendesk, { port: port(2) }),
    ringyo: await SandboxServer.start(ringyo, { port: port(3) }),
  };

  return {
    servers,
    endpoints: {
      ringcx: { baseUrl: servers.ringcx.baseUrl, ...ringcx.credentials },
      ringcentral: { baseUrl: servers.ringcentral.baseUrl, ...ringcentral.credentials },
      zendesk: { baseUrl: servers.zendesk.baseUrl, ...zendesk.credentials },
      ringyo: { baseUrl: servers.ringyo.baseUrl, ...ringyo.credentials },
    },
    reset() {
      for (const server of Object.values(servers)) server.reset();
    },
    async close() {
      await Promise.all(Object.values(servers).map((server) => server.close()));
    },
  };
}

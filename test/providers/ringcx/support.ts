import { RingCxClient, type RingCxClientOptions } from '../../../src/providers/ringcx/index.js';
import { SandboxServer } from '../../../sandbox/core/server.js';
import { createRingCxSandbox, type RingCxSandbox } from '../../../sandbox/ringcx/index.js';
import { createWorld } from '../../../sandbox/seed/world.js';

/** The one RingCentral token the fake verifier accepts (the RingCentral sandbox is not started here). */
export const RC_TOKEN = 'rc-access-token-1';
export const RC_OWNER = { ownerId: '62001001', accountId: '37439510' };

export const ACCOUNTS = ['15300001', '15300002', '15300003'] as const;
export const TNM = '/voice/api/v1/admin/utilities/tnManager';

export interface RingCxHarness {
  server: SandboxServer;
  sandbox: RingCxSandbox;
  baseUrl: string;
  apiToken: string;
  /** A client with test-sized timeouts and backoffs. */
  client(overrides?: Partial<RingCxClientOptions>): RingCxClient;
  /** A client that exchanges {@link RC_TOKEN}; counts how often it was asked for it. */
  rcClient(overrides?: Partial<RingCxClientOptions>): { client: RingCxClient; rcTokenCalls: () => number };
  /** Raw HTTP with the API token, for reading state independently of the client. */
  raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; headers: Headers }>;
  close(): Promise<void>;
}

/** Starts the RingCX sandbox alone, on an ephemeral port, with seed 1. */
export async function startRingCx(options: { rateLimitPerMinute?: number; tokenTtlSeconds?: number } = {}): Promise<RingCxHarness> {
  const sandbox = createRingCxSandbox(createWorld({ seed: 1, scale: 1 }), {
    verifyRingCentralToken: (token) => (token === RC_TOKEN ? RC_OWNER : null),
    ...options,
  });
  const server = await SandboxServer.start(sandbox);
  const baseUrl = server.baseUrl;
  const apiToken = sandbox.credentials.apiToken;
  const base = (overrides: Partial<RingCxClientOptions>): RingCxClientOptions => ({
    baseUrl,
    auth: { kind: 'apiToken', token: apiToken },
    timeoutMs: 1000,
    retry: { limit: 2, backoffLimitMs: 20, maxRetryAfterMs: 1000, fallbackRetryAfterMs: 30 },
    ...overrides,
  });
  return {
    server,
    sandbox,
    baseUrl,
    apiToken,
    client: (overrides = {}) => new RingCxClient(base(overrides)),
    rcClient: (overrides = {}) => {
      let calls = 0;
      const client = new RingCxClient(
        base({
          auth: {
            kind: 'ringcentral',
            ringCentralAccessToken: async () => {
              calls += 1;
              return RC_TOKEN;
            },
          },
          ...overrides,
        }),
      );
      return { client, rcTokenCalls: () => calls };
    },
    raw: async (method, path, body) => {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { 'x-auth-token': apiToken, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // plain-text bodies stay text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    close: () => server.close(),
  };
}

/** Collects an async iterator. */
export async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterator) out.push(item);
  return out;
}

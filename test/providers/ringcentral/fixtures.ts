import { RingCentralClient, type RingCentralClientOptions } from '../../../src/providers/ringcentral/index.js';
import { SandboxServer } from '../../../sandbox/core/server.js';
import { createRingCentralSandbox, type RingCentralSandbox } from '../../../sandbox/ringcentral/index.js';
import { createWorld } from '../../../sandbox/seed/world.js';

/** A running RingCentral sandbox (seed 1, scale 1) and helpers to talk to it. */
export interface RingCentralFixture {
  server: SandboxServer;
  sandbox: RingCentralSandbox;
  baseUrl: string;
  /** A client with short timeouts and backoffs, so failure tests stay fast. */
  client(overrides?: Partial<RingCentralClientOptions>): RingCentralClient;
  /** A fresh access token obtained with a raw JWT grant. */
  rawToken(): Promise<string>;
  /** A raw authenticated GET: status, headers and parsed JSON (or text). */
  rawGet(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: unknown }>;
  /** `GET /__sandbox/tokens`: the grant types issued since the last reset. */
  grantTypes(): Promise<string[]>;
  /** `POST /__sandbox/tokens/expire`. */
  expireTokens(): Promise<void>;
  close(): Promise<void>;
}

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export async function startRingCentral(options: { tokenTtlSeconds?: number } = {}): Promise<RingCentralFixture> {
  const sandbox = createRingCentralSandbox(createWorld({ seed: 1, scale: 1 }), options);
  const server = await SandboxServer.start(sandbox);
  const baseUrl = server.baseUrl;
  let token: string | undefined;

  const rawToken = async () => {
    const response = await fetch(`${baseUrl}/restapi/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sandbox.credentials.clientId}:${sandbox.credentials.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: JWT_GRANT, assertion: sandbox.credentials.jwt }),
    });
    if (response.status !== 200) throw new Error(`token failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { access_token: string }).access_token;
  };

  return {
    server,
    sandbox,
    baseUrl,
    client: (overrides = {}) =>
      new RingCentralClient({
        baseUrl,
        ...sandbox.credentials,
        timeoutMs: 300,
        retry: { limit: 2, backoffLimitMs: 20, maxRetryAfterMs: 2_000, fallbackRetryAfterMs: 50 },
        ...overrides,
      }),
    rawToken,
    async rawGet(path, headers = {}) {
      // One token for all raw reads of a file; re-obtained if a test expired it.
      token ??= await rawToken();
      let response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
      if (response.status === 401) {
        token = await rawToken();
        response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
      }
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // multipart and empty bodies stay text
      }
      return { status: response.status, headers: response.headers, body };
    },
    async grantTypes() {
      const response = await fetch(`${baseUrl}/__sandbox/tokens`);
      return ((await response.json()) as { grants: { grantType: string }[] }).grants.map((g) => g.grantType);
    },
    async expireTokens() {
      const response = await fetch(`${baseUrl}/__sandbox/tokens/expire`, { method: 'POST' });
      if (!response.ok) throw new Error(`expire failed: ${response.status}`);
    },
    close: () => server.close(),
  };
}

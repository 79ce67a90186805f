import type { Config, SandboxSettings } from './config.js';
import { createProviderClients, type ProviderClients, type ProviderEndpoints } from './providers/index.js';

/**
 * What the embedded sandbox (`sandbox/`, development and tests only) gives
 * the server: where its four providers listen and their credentials.
 * Production code never imports the sandbox; the development start and the
 * tests pass its starter in.
 */
export interface EmbeddedSandbox {
  endpoints: {
    ringcx: { baseUrl: string; apiToken: string };
    ringcentral: { baseUrl: string; clientId: string; clientSecret: string; jwt: string };
    zendesk: { baseUrl: string; email: string; apiToken: string };
    ringyo: { baseUrl: string; apiKey: string };
  };
  close(): Promise<void>;
}

/** Starts the embedded sandbox with the configured seed, scale and port. */
export type SandboxStarter<S extends EmbeddedSandbox> = (settings: Omit<SandboxSettings, 'enabled'>) => Promise<S>;

/** The providers Switchboard talks to, and the embedded sandbox if any of them run on it. */
export interface Backends<S extends EmbeddedSandbox = EmbeddedSandbox> {
  clients: ProviderClients;
  endpoints: ProviderEndpoints;
  /** Which enabled providers run on the embedded sandbox. */
  sandboxed: (keyof ProviderEndpoints)[];
  /** The embedded sandbox, when at least one enabled provider has no base URL. */
  sandbox?: S;
  close(): Promise<void>;
}

/**
 * Resolves the configuration into provider clients. With
 * `SWITCHBOARD_SANDBOX=true`, every enabled provider without a base URL runs
 * on the embedded sandbox, started here through `startSandbox`; the clients
 * cannot tell the difference. The production start passes no starter, so it
 * can never serve fake data.
 */
export async function connectBackends<S extends EmbeddedSandbox = EmbeddedSandbox>(config: Config, startSandbox?: SandboxStarter<S>): Promise<Backends<S>> {
  const enabled = (['ringcx', 'ringcentral', 'zendesk', 'ringyo'] as const).filter((p) => config[p].enabled);
  const sandboxed = enabled.filter((p) => config[p].baseUrl === undefined);
  if (sandboxed.length > 0 && (!config.sandbox.enabled || !startSandbox)) {
    throw new Error(`${sandboxed.join(', ')}: no base URL, and the embedded sandbox is not part of this start. Configure the provider, or use npm start (SWITCHBOARD_SANDBOX=true) for development`);
  }
  const { enabled: _enabled, ...sandboxSettings } = config.sandbox;
  const sandbox = sandboxed.length > 0 ? await startSandbox!(sandboxSettings) : undefined;
  const embedded = sandbox?.endpoints;

  const endpoints: ProviderEndpoints = {};
  const rc = config.ringcentral;
  if (rc.enabled) {
    endpoints.ringcentral = rc.baseUrl
      ? { baseUrl: rc.baseUrl, clientId: rc.clientId!, clientSecret: rc.clientSecret!, jwt: rc.jwt! }
      : embedded!.ringcentral;
  }
  const rcx = config.ringcx;
  if (rcx.enabled) {
    if (rcx.baseUrl) {
      endpoints.ringcx = { baseUrl: rcx.baseUrl, auth: rcx.apiToken ? { kind: 'apiToken', token: rcx.apiToken } : { kind: 'ringcentral' } };
    } else {
      // The sandbox RingCX accepts only tokens the sandbox RingCentral issued:
      // exchange them when that RingCentral is in use, else use its API token.
      const viaRingCentral = rc.enabled && rc.baseUrl === undefined;
      endpoints.ringcx = {
        baseUrl: embedded!.ringcx.baseUrl,
        auth: viaRingCentral ? { kind: 'ringcentral' } : { kind: 'apiToken', token: embedded!.ringcx.apiToken },
      };
    }
  }
  const zd = config.zendesk;
  if (zd.enabled) endpoints.zendesk = zd.baseUrl ? { baseUrl: zd.baseUrl, email: zd.email!, apiToken: zd.apiToken! } : embedded!.zendesk;
  const ry = config.ringyo;
  if (ry.enabled) endpoints.ringyo = ry.baseUrl ? { baseUrl: ry.baseUrl, apiKey: ry.apiKey! } : embedded!.ringyo;

  return {
    clients: createProviderClients(endpoints, { timeoutMs: config.providerTimeoutMs, retry: { limit: config.providerRetries } }),
    endpoints,
    sandboxed: [...sandboxed],
    ...(sandbox && { sandbox }),
    close: async () => {
      await sandbox?.close();
    },
  };
}

import type { Config } from './config.js';
import { createProviderClients, type ProviderClients, type ProviderEndpoints } from './providers/index.js';
import { startSandbox, type Sandbox, type SandboxOptions } from './sandbox/index.js';

/** The providers Switchboard talks to, and the embedded sandbox if any of them run on it. */
export interface Backends {
  clients: ProviderClients;
  endpoints: ProviderEndpoints;
  /** Which enabled providers run on the embedded sandbox. */
  sandboxed: (keyof ProviderEndpoints)[];
  /** The embedded sandbox, when at least one enabled provider has no base URL. */
  sandbox?: Sandbox;
  close(): Promise<void>;
}

/**
 * Resolves the configuration into provider clients. Every enabled provider
 * without a base URL runs on the embedded sandbox, started here in-process;
 * the clients cannot tell the difference.
 */
export async function connectBackends(config: Config, sandboxOptions: SandboxOptions = {}): Promise<Backends> {
  const enabled = (['ringcx', 'ringcentral', 'zendesk', 'ringyo'] as const).filter((p) => config[p].enabled);
  const sandboxed = enabled.filter((p) => config[p].baseUrl === undefined);
  const sandbox = sandboxed.length > 0
    ? await startSandbox({ seed: config.sandbox.seed, scale: config.sandbox.scale, port: config.sandbox.port, ...sandboxOptions })
    : undefined;
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

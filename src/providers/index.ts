import type { RetryPolicy } from './core/http.js';
import { RingCentralClient, type RingCentralApi } from './ringcentral/index.js';
import { RingCxClient, type RingCxApi } from './ringcx/index.js';
import { RingyoClient, type RingyoApi } from './ringyo/index.js';
import { ZendeskClient, type ZendeskApi } from './zendesk/index.js';

export type { ProviderName } from './core/errors.js';
export { ProviderError, unavailability } from './core/errors.js';

/**
 * The provider clients the graph works with, as interfaces only (resolvers
 * never see got). A provider that is switched off is simply absent.
 */
export interface ProviderClients {
  ringcx?: RingCxApi;
  ringcentral?: RingCentralApi;
  zendesk?: ZendeskApi;
  ringyo?: RingyoApi;
}

/** Where each enabled provider lives and how to log in to it. */
export interface ProviderEndpoints {
  ringcx?: { baseUrl: string; auth: { kind: 'apiToken'; token: string } | { kind: 'ringcentral' } };
  ringcentral?: { baseUrl: string; clientId: string; clientSecret: string; jwt: string };
  zendesk?: { baseUrl: string; email: string; apiToken: string };
  ringyo?: { baseUrl: string; apiKey: string };
}

export interface ClientSettings {
  timeoutMs: number;
  retry?: Partial<RetryPolicy>;
}

/**
 * Builds one client per configured provider. RingCX without an API token
 * logs in by exchanging the RingCentral client's access token, so the two
 * share RingCentral's token cache (and its Auth rate limit).
 */
export function createProviderClients(endpoints: ProviderEndpoints, settings: ClientSettings): ProviderClients {
  const common = { timeoutMs: settings.timeoutMs, ...(settings.retry && { retry: settings.retry }) };
  const clients: ProviderClients = {};
  if (endpoints.ringcentral) clients.ringcentral = new RingCentralClient({ ...endpoints.ringcentral, ...common });
  if (endpoints.ringcx) {
    const { baseUrl, auth } = endpoints.ringcx;
    const ringcentral = clients.ringcentral;
    if (auth.kind === 'ringcentral' && !ringcentral) {
      throw new Error('RingCX is set to log in through RingCentral, but RingCentral is not enabled');
    }
    clients.ringcx = new RingCxClient({
      baseUrl,
      auth: auth.kind === 'apiToken' ? auth : { kind: 'ringcentral', ringCentralAccessToken: () => ringcentral!.accessToken() },
      ...common,
    });
  }
  if (endpoints.zendesk) clients.zendesk = new ZendeskClient({ ...endpoints.zendesk, ...common });
  if (endpoints.ringyo) clients.ringyo = new RingyoClient({ ...endpoints.ringyo, ...common });
  return clients;
}

import type { Backends } from './backends.js';
import { asProviderError } from './graph/catalog.js';
import type { ProviderName } from './providers/index.js';

export interface ProviderReadiness {
  status: 'up' | 'down';
  /** Whether the provider runs on the embedded sandbox. */
  sandbox: boolean;
  error?: { code: string; message: string };
}

export interface ReadinessReport {
  /** True when at least one enabled provider answers: the graph can serve (partial) data. */
  ready: boolean;
  providers: Partial<Record<ProviderName, ProviderReadiness>>;
}

/** Probes are cached this long: readiness is polled often and providers' rate limits are small. */
const PROBE_TTL_MS = 10_000;
const PROBE_TIMEOUT_MS = 3_000;

/**
 * Whether the server can answer queries: one cheap authenticated call per
 * enabled provider. The server stays ready while any provider answers,
 * because the graph serves partial data by design; taking every replica out
 * of rotation when one provider is down would turn a partial outage into a
 * total one. The report says which providers are down.
 */
export class ReadinessProbe {
  private last: { at: number; report: Promise<ReadinessReport> } | undefined;

  constructor(private readonly backends: Backends) {}

  check(): Promise<ReadinessReport> {
    if (this.last && Date.now() - this.last.at < PROBE_TTL_MS) return this.last.report;
    const report = this.probeAll();
    this.last = { at: Date.now(), report };
    return report;
  }

  private async probeAll(): Promise<ReadinessReport> {
    const { clients, sandboxed } = this.backends;
    const probes: [ProviderName, (() => Promise<unknown>) | undefined][] = [
      ['ringcx', clients.ringcx && (() => clients.ringcx!.listAccounts())],
      ['ringcentral', clients.ringcentral && (() => clients.ringcentral!.getAccount())],
      ['zendesk', clients.zendesk && (() => clients.zendesk!.listIvrs())],
      ['ringyo', clients.ringyo && (() => clients.ringyo!.listPhoneNumbers()[Symbol.asyncIterator]().next())],
    ];
    const providers: ReadinessReport['providers'] = {};
    await Promise.all(
      probes.map(async ([name, probe]) => {
        if (!probe) return;
        const sandbox = sandboxed.includes(name);
        try {
          await withTimeout(probe(), PROBE_TIMEOUT_MS, name);
          providers[name] = { status: 'up', sandbox };
        } catch (error) {
          const failure = asProviderError(name, error);
          providers[name] = { status: 'down', sandbox, error: { code: failure.code, message: failure.message } };
        }
      }),
    );
    return { ready: Object.values(providers).some((p) => p.status === 'up'), providers };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, provider: ProviderName): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${provider} did not answer the readiness probe within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

import type { Pacer } from '../providers/core/pacing.js';
import type { ProviderName } from '../providers/index.js';

/** A rate-limit group's allowance: `limit` requests in any `windowSeconds`. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/**
 * Each provider's documented limits, per rate-limit group (`default` where
 * the provider has one limit). Zendesk's depends on the plan; the lowest
 * (Team, 200 a minute) is assumed unless configured (`PROVIDER_RATE_LIMITS`).
 */
export const DOCUMENTED_RATE_LIMITS: Record<ProviderName, Record<string, RateLimit>> = {
  ringcx: { default: { limit: 120, windowSeconds: 60 } },
  ringcentral: {
    Light: { limit: 50, windowSeconds: 60 },
    Medium: { limit: 40, windowSeconds: 60 },
    Heavy: { limit: 10, windowSeconds: 60 },
    Auth: { limit: 5, windowSeconds: 60 },
  },
  zendesk: { default: { limit: 200, windowSeconds: 60 } },
  ringyo: { default: { limit: 300, windowSeconds: 60 } },
};

/**
 * The sync's share of each rate-limit group: at most `share` of the group's
 * limit in any window (a sliding log of the calls sent), leaving the rest to
 * mutations, requests and other applications on the same credentials.
 * Waits are cancelled by `stop()`, so a stopping server is not held by a
 * sync waiting a minute for Heavy calls.
 */
export class SyncBudget implements Pacer {
  private readonly sent = new Map<string, number[]>();
  private readonly waits = new Set<{ timer: NodeJS.Timeout; reject: (error: Error) => void }>();
  private stopped = false;
  /** Calls sent per provider, for the sync's report. */
  readonly calls = new Map<ProviderName, number>();

  constructor(
    private readonly limits: Record<ProviderName, Record<string, RateLimit>>,
    private readonly share: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The calls the sync may send to `provider`'s `group` in one window. */
  allowance(provider: ProviderName, group: string): { calls: number; windowMs: number } | undefined {
    const limit = this.limits[provider]?.[group] ?? this.limits[provider]?.default;
    if (!limit) return undefined;
    return { calls: Math.max(1, Math.floor(limit.limit * this.share)), windowMs: limit.windowSeconds * 1000 };
  }

  async take(provider: ProviderName, group: string): Promise<void> {
    const allowance = this.allowance(provider, group);
    const key = `${provider}.${group}`;
    for (;;) {
      if (this.stopped) throw new Error('the sync is stopping');
      if (!allowance) break;
      const now = this.now();
      const log = (this.sent.get(key) ?? []).filter((at) => at > now - allowance.windowMs);
      this.sent.set(key, log);
      if (log.length < allowance.calls) break;
      await this.sleep(log[0]! + allowance.windowMs - now);
    }
    if (allowance) this.sent.get(key)!.push(this.now());
    this.calls.set(provider, (this.calls.get(provider) ?? 0) + 1);
  }

  /** Forgets the calls sent so far (the provider's windows were reset: a test sandbox's reset). */
  reset(): void {
    this.sent.clear();
  }

  stop(): void {
    this.stopped = true;
    for (const wait of this.waits) {
      clearTimeout(wait.timer);
      wait.reject(new Error('the sync is stopping'));
    }
    this.waits.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const wait = {
        timer: setTimeout(() => {
          this.waits.delete(wait);
          resolve();
        }, Math.max(1, ms)),
        reject,
      };
      this.waits.add(wait);
    });
  }
}

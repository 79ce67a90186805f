import type { FaultRule, RateLimitOverride } from '../../sandbox/core/faults.js';

/** What `GET /__sandbox/stats` returns. */
export interface SandboxStats {
  total: number;
  byRoute: Record<string, number>;
  /** Requests the provider's rate limiter refused (429). */
  rateLimited: number;
}

/** Reads a sandbox server's request counters. */
export async function sandboxStats(baseUrl: string): Promise<SandboxStats> {
  const response = await fetch(`${baseUrl}/__sandbox/stats`);
  if (!response.ok) throw new Error(`stats failed: ${response.status}`);
  return (await response.json()) as SandboxStats;
}

/** Replaces a sandbox server's faults. */
export async function injectFaults(
  baseUrl: string,
  config: { rules?: Partial<FaultRule>[]; rateLimits?: Record<string, Partial<RateLimitOverride>> },
): Promise<void> {
  const response = await fetch(`${baseUrl}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
  });
  if (!response.ok) throw new Error(`faults failed: ${response.status} ${await response.text()}`);
}

/** Restores a sandbox server's seed state and zeroes its counters. */
export async function resetSandbox(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/__sandbox/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`reset failed: ${response.status}`);
}

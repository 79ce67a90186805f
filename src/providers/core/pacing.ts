import { AsyncLocalStorage } from 'node:async_hooks';
import type { ProviderName } from './errors.js';

/**
 * Pacing for background work. A {@link Pacer} decides when the next call
 * to a provider's rate-limit group may be sent; work run inside
 * {@link withPacer} has every one of its HTTP calls (retries and follow-up
 * pages included) wait for it, while calls made for requests and changes
 * are not held back. The HTTP layer asks {@link currentPacer}, so clients
 * need no knowledge of who calls them.
 */
export interface Pacer {
  /** Resolves when one more call to `provider`'s `group` fits the budget. */
  take(provider: ProviderName, group: string): Promise<void>;
}

const scope = new AsyncLocalStorage<Pacer>();

export function withPacer<T>(pacer: Pacer, work: () => Promise<T>): Promise<T> {
  return scope.run(pacer, work);
}

export function currentPacer(): Pacer | undefined {
  return scope.getStore();
}

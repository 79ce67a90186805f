/**
 * Data every request needs and no request should pay for twice: queue and IVR
 * names, tracking groups, the extension directory, each provider's number
 * inventory. Providers allow very few calls (RingCX 120 a minute, RingCentral's
 * Heavy group 10), so this cache is what keeps a busy graph inside its rate
 * limits by design.
 *
 * - TTL: an entry is reused until it is `ttlMs` old.
 * - Single flight: concurrent requests for a missing entry share one load.
 * - Invalidation: our own mutations drop the entries they change. A load that
 *   was already running when its key was invalidated may hold pre-mutation
 *   data, so its result is handed to the callers that were waiting on it but is
 *   never stored, and later callers start a fresh load.
 * - Failures are remembered briefly (`failureTtlMs`): while a provider is
 *   down, requests get its error at once instead of each waiting out a
 *   timeout and adding load to a provider that is already failing.
 */
export class SharedCache {
  private readonly entries = new Map<string, { value: unknown; storedAt: number }>();
  private readonly failures = new Map<string, { error: unknown; failedAt: number }>();
  private readonly inflight = new Map<string, { promise: Promise<unknown>; generation: number }>();
  private readonly generations = new Map<string, number>();
  private readonly now: () => number;
  private counters = { hits: 0, misses: 0, loads: 0 };

  constructor(private readonly options: { ttlMs: number; failureTtlMs?: number; now?: () => number }) {
    this.now = options.now ?? Date.now;
  }

  /** The cached value for `key`, loading it with `load` if missing or expired. */
  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.storedAt < this.options.ttlMs) {
      this.counters.hits += 1;
      return entry.value as T;
    }
    const failure = this.failures.get(key);
    if (failure && this.now() - failure.failedAt < (this.options.failureTtlMs ?? 0)) {
      this.counters.hits += 1;
      throw failure.error;
    }
    this.counters.misses += 1;
    const running = this.inflight.get(key);
    if (running) return running.promise as Promise<T>;

    const generation = this.generations.get(key) ?? 0;
    this.counters.loads += 1;
    const current = () => (this.generations.get(key) ?? 0) === generation;
    const promise = load().then(
      (value) => {
        if (current()) {
          this.entries.set(key, { value, storedAt: this.now() });
          this.failures.delete(key);
        }
        return value;
      },
      (error: unknown) => {
        if (current()) this.failures.set(key, { error, failedAt: this.now() });
        throw error;
      },
    );
    const flight = { promise, generation };
    this.inflight.set(key, flight);
    const clear = () => {
      if (this.inflight.get(key) === flight) this.inflight.delete(key);
    };
    promise.then(clear, clear);
    return promise;
  }

  /** How old the stored value of `key` is, in ms; undefined when none is stored. */
  age(key: string): number | undefined {
    const entry = this.entries.get(key);
    return entry && this.now() - entry.storedAt;
  }

  /** Drops every entry whose key starts with `prefix`, and detaches running loads for them. */
  invalidate(prefix: string): void {
    const keys = new Set([...this.entries.keys(), ...this.failures.keys(), ...this.inflight.keys(), ...this.generations.keys()]);
    for (const key of keys) {
      if (!key.startsWith(prefix)) continue;
      this.entries.delete(key);
      this.failures.delete(key);
      this.inflight.delete(key);
      this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    }
  }

  /** Empties the cache. */
  clear(): void {
    this.invalidate('');
  }

  /** Hit, miss and load counts since start, for diagnostics and tests. */
  stats(): { hits: number; misses: number; loads: number; entries: number } {
    return { ...this.counters, entries: this.entries.size };
  }
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** Seconds until the caller may send again (window end, or penalty end). */
  retryAfterSeconds: number;
  /** Epoch seconds at which the current window resets. */
  resetAtSeconds: number;
}

export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
  /**
   * RingCentral-style penalty: once over the limit the key is blocked for this
   * long, and every request made while blocked restarts the penalty.
   */
  penaltySeconds?: number;
}

/**
 * Fixed-window request counters keyed by whatever a provider limits on
 * (credential, credential × group). Providers turn a decision into their own
 * headers and 429 bodies.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  private penalties = new Map<string, number>();
  /** Requests refused since the last reset: what a client's pacing is judged by. */
  refused = 0;

  constructor(private readonly now: () => number = Date.now) {}

  take(key: string, rule: RateLimitRule): RateDecision {
    const now = this.now();
    const windowMs = rule.windowSeconds * 1000;
    let window = this.windows.get(key);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    const resetAtSeconds = Math.ceil((window.start + windowMs) / 1000);
    const penaltyMs = (rule.penaltySeconds ?? 0) * 1000;

    const blockedUntil = this.penalties.get(key);
    if (blockedUntil !== undefined && now < blockedUntil) {
      this.refused += 1;
      // Sending during the penalty restarts it: clients must go quiet.
      this.penalties.set(key, now + penaltyMs);
      return { allowed: false, limit: rule.limit, remaining: 0, retryAfterSeconds: Math.ceil(penaltyMs / 1000), resetAtSeconds };
    }

    if (window.count >= rule.limit) {
      this.refused += 1;
      if (penaltyMs > 0) {
        this.penalties.set(key, now + penaltyMs);
        return { allowed: false, limit: rule.limit, remaining: 0, retryAfterSeconds: Math.ceil(penaltyMs / 1000), resetAtSeconds };
      }
      const retryAfterSeconds = Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
      return { allowed: false, limit: rule.limit, remaining: 0, retryAfterSeconds, resetAtSeconds };
    }
    window.count += 1;
    const remaining = rule.limit - window.count;
    return { allowed: true, limit: rule.limit, remaining, retryAfterSeconds: 0, resetAtSeconds };
  }

  reset(): void {
    this.windows = new Map();
    this.penalties = new Map();
    this.refused = 0;
  }
}

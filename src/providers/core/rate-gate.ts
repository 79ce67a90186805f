/**
 * Holds requests back while a provider has told us to stop sending.
 *
 * RingCentral puts a rate-limit group into a penalty window after a 429, and
 * every request sent during the penalty restarts it; the only way out is
 * silence. So after a 429 (or a response saying no requests remain) the whole
 * group waits, not just the request that was refused. Groups are independent:
 * a Heavy penalty does not stop Light calls.
 */
export class RateGate {
  private readonly blockedUntil = new Map<string, number>();

  /** Keeps `group` quiet for `ms` from now (never shortens an existing block). */
  block(group: string, ms: number): void {
    const until = Date.now() + ms;
    if (until > (this.blockedUntil.get(group) ?? 0)) this.blockedUntil.set(group, until);
  }

  /** Milliseconds until `group` may send again; 0 when it may now. */
  remainingMs(group: string): number {
    return Math.max(0, (this.blockedUntil.get(group) ?? 0) - Date.now());
  }

  /**
   * Waits until `group` may send. If that is more than `maxWaitMs` away, throws
   * the error `tooLong` makes instead of waiting: the caller gets a fast,
   * typed RATE_LIMITED rather than a request that hangs.
   */
  async wait(group: string, maxWaitMs: number, tooLong: () => Error): Promise<void> {
    const ms = this.remainingMs(group);
    if (ms === 0) return;
    if (ms > maxWaitMs) throw tooLong();
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

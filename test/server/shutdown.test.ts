import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from '@jest/globals';
import { injectFaults, sandboxStats } from '../support/sandbox.js';

const root = new URL('../../', import.meta.url);

/** The URL from the server's "ready at" line (its only stdout line). */
async function readyUrl(stdout: NodeJS.ReadableStream): Promise<string> {
  for await (const line of createInterface({ input: stdout })) {
    const match = /ready at (http:\/\/\S+)/.exec(line);
    if (match) return match[1]!;
  }
  throw new Error('the server exited before printing its URL');
}

/** `npm start`'s program (the development start), from sources: SIGTERM lets in-flight requests finish, then exits 0. */
describe('graceful shutdown', () => {
  it('finishes the request in flight, refuses new ones, and exits 0 on SIGTERM', async () => {
    // The embedded sandbox on known ports, so the test can slow one provider down.
    const sandboxPort = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/dev-server.ts'], {
      cwd: root,
      // Only what the test sets: an inherited DATABASE_URL or store path must not leak in.
      env: { PATH: process.env.PATH!, PORT: '0', SWITCHBOARD_DB_PATH: ':memory:', SANDBOX_PORT: String(sandboxPort), SANDBOX_SCALE: '0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    try {
      const url = await readyUrl(child.stdout!);

      // Available numbers are searched at Zendesk live (reads of the inventory come from the index): make that search slow.
      const zendesk = `http://127.0.0.1:${sandboxPort + 2}`;
      const SEARCH = 'GET /api/v2/channels/voice/phone_numbers/search';
      await injectFaults(zendesk, { rules: [{ match: SEARCH, latencyMs: 1500 }] });
      const inFlight = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ availablePhoneNumbers(country: "US") { e164 } }' }),
      });
      // Once the request has reached Zendesk (the server is now waiting on it), stop the server.
      while (((await sandboxStats(zendesk)).byRoute[SEARCH] ?? 0) === 0) await new Promise((resolve) => setImmediate(resolve));
      child.kill('SIGTERM');

      const response = await inFlight;
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: { availablePhoneNumbers: unknown[] }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(body.data.availablePhoneNumbers.length).toBeGreaterThan(0);

      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});

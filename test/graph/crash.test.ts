import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RingCxClient } from '../../src/providers/ringcx/index.js';
import { sandboxEnv, type SandboxEndpoints } from '../../sandbox/index.js';
import { startProgram, stopAll } from '../support/processes.js';
import { injectFaults, sandboxStats } from '../support/sandbox.js';

const GATE_PUT = 'PUT /voice/api/v1/admin/utilities/tnManager/assignedDnis/gates/{gateId}';
const DNIS_DELETE = 'DELETE /voice/api/v1/admin/utilities/tnManager/assignedDnis/{dnis}';

const start = (children: ChildProcess[], script: string, env: Record<string, string>, ready: RegExp) => startProgram(children, ['--import', 'tsx', script], env, ready);

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The journal's reason to exist: the server dies (SIGKILL) between removing
 * a DNIS's old assignment and adding the new one. The sandbox runs as its own
 * process, so the provider's state outlives the server. On restart, recovery
 * must leave the number routed (to the new destination: the move is finished)
 * and the journal closed.
 */
describe('a reassign interrupted by a crash', () => {
  let endpoints: SandboxEndpoints;
  let dir: string;
  let serverEnv: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const started = await start(children, 'sandbox/cli.ts', { SANDBOX_SCALE: '0.1' }, /^\{/);
    endpoints = JSON.parse(started.line) as SandboxEndpoints;
    dir = mkdtempSync(join(tmpdir(), 'switchboard-crash-'));
    serverEnv = {
      PORT: '0',
      // The standalone sandbox looks like real providers to the server; this test is not about authentication.
      AUTH_MODE: 'none',
      CURSOR_SECRET: 'crash-test-cursor-secret',
      HOST: '127.0.0.1',
      SWITCHBOARD_DB_PATH: join(dir, 'switchboard.db'),
      // Long enough that the hung call is still waiting when the process is killed.
      PROVIDER_TIMEOUT_MS: '60000',
      ...sandboxEnv(endpoints),
    };
  }, 30_000);

  afterAll(async () => {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
  });

  it('routes the number again after restart, and closes the journal', async () => {
    const ringcx = new RingCxClient({ baseUrl: endpoints.ringcx.baseUrl, auth: { kind: 'apiToken', token: endpoints.ringcx.apiToken } });
    const records = (await ringcx.searchDnis()).records;
    const dnis = records.find((r) => r.assignedDnis?.gate)!;
    const from = dnis.assignedDnis!.gate!;
    const target = records.find((r) => r.assignedDnis?.gate && r.assignedDnis.gate.gateId !== from.gateId && r.accountId === dnis.accountId)!.assignedDnis!.gate!;
    const gid = (...parts: string[]) => Buffer.from(parts.join(':')).toString('base64url');

    // 1. The server, with the add-the-new-assignment call hanging at RingCX.
    const first = await start(children, 'src/index.ts', serverEnv, /ready at/);
    const url = /at (http:\/\/\S+)/.exec(first.line)![1]!;
    await injectFaults(endpoints.ringcx.baseUrl, { rules: [{ match: GATE_PUT, hang: true }] });
    const mutation = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchboard-actor': 'crash-test' },
      body: JSON.stringify({
        query: 'mutation($input: ReassignPhoneNumberInput!) { reassignPhoneNumber(input: $input) { userErrors { code } } }',
        variables: { input: { phoneNumber: dnis.dnis, destination: { queue: gid('Queue', target.accountId!, target.gateId) } } },
      }),
    }).catch((error: unknown) => error);
    await until(async () => ((await sandboxStats(endpoints.ringcx.baseUrl)).byRoute[GATE_PUT] ?? 0) >= 1, 'the hung PUT');

    // 2. Killed between the two steps: RingCX has the old assignment removed and no new one.
    const killed = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    await killed;
    expect(await mutation).toMatchObject({ message: 'fetch failed' });
    expect((await sandboxStats(endpoints.ringcx.baseUrl)).byRoute[DNIS_DELETE]).toBe(1);
    expect(await ringcx.getAssignedDnis(dnis.dnis)).toBeNull();
    const journal = new Database(serverEnv.SWITCHBOARD_DB_PATH!, { readonly: true });
    expect(journal.prepare(`SELECT phone_number, operation, step, status, actor FROM intents WHERE status = 'open'`).all()).toEqual([
      { phone_number: `+${dnis.dnis}`, operation: 'reassignPhoneNumber', step: 'removed', status: 'open', actor: 'crash-test' },
    ]);
    journal.close();

    // 3. Restarted: recovery finishes the move before the server takes requests.
    await injectFaults(endpoints.ringcx.baseUrl, {});
    const second = await start(children, 'src/index.ts', serverEnv, /ready at/);
    expect(await ringcx.getAssignedDnis(dnis.dnis)).toMatchObject({ gate: { gateId: target.gateId }, dnisDescription: dnis.assignedDnis!.dnisDescription, isActive: dnis.assignedDnis!.isActive !== false });
    const after = new Database(serverEnv.SWITCHBOARD_DB_PATH!, { readonly: true });
    expect(after.prepare(`SELECT count(*) AS open FROM intents WHERE status = 'open'`).get()).toEqual({ open: 0 });
    expect(after.prepare(`SELECT status, detail FROM intents`).all()).toEqual([{ status: 'done', detail: 'recovered: the interrupted move was finished' }]);
    after.close();

    // 4. The history says what happened, through the API.
    const url2 = /at (http:\/\/\S+)/.exec(second.line)![1]!;
    const history = await fetch(url2, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($n: String!) { phoneNumber(e164: $n) { history { nodes { actor operation outcome detail } } } }', variables: { n: dnis.dnis } }),
    });
    // `extensions` carries the index's freshness, not what this test is about.
    const { extensions: _freshness, ...answer } = (await history.json()) as Record<string, unknown>;
    expect(answer).toEqual({
      data: { phoneNumber: { history: { nodes: [{ actor: 'crash-test', operation: 'reassignPhoneNumber', outcome: 'RECOVERY_FINISHED', detail: 'the interrupted move was finished' }] } } },
    });
  }, 60_000);
});

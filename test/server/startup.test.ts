import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const root = new URL('../../', import.meta.url);

/**
 * Start-up refusals, as an operator meets them: the real entry points run as
 * processes, and each mistake ends in exit code 1 with lines naming the
 * setting, never a stack trace, and never a server that serves.
 */
describe('start-up refusals', () => {
  const children: ChildProcess[] = [];
  let dir: string;
  let blocker: Server;

  /** Runs an entry point to its exit (it must refuse, so it must exit). */
  const runToExit = async (script: string, env: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    // Libraries' own notices (Apollo's inline tracing) are not ours to judge.
    const lines = stderr.split('\n').filter((l) => l !== '' && !l.startsWith('Enabling inline tracing'));
    return { code, stdout, lines };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-startup-'));
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await new Promise((resolve) => blocker.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a production start with only RingCentral configured, naming every missing setting, instead of serving fake data', async () => {
    const { code, stdout, lines } = await runToExit('src/index.ts', {
      RINGCENTRAL_BASE_URL: 'https://platform.ringcentral.com',
      RINGCENTRAL_CLIENT_ID: 'id',
      RINGCENTRAL_CLIENT_SECRET: 'secret',
      RINGCENTRAL_JWT: 'jwt',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(lines).toEqual([
      'Invalid configuration:',
      '  - AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY is required with a real provider (AUTH_MODE is jwt by default then)',
      '  - AUTH_ISSUER is required with a real provider (AUTH_MODE is jwt by default then)',
      '  - AUTH_AUDIENCE is required with a real provider (AUTH_MODE is jwt by default then)',
      '  - CURSOR_SECRET is required (at least 16 characters; replicas behind one router share it)',
      '  - RINGCX_BASE_URL and its credentials are required (or RINGCX_ENABLED=false); SWITCHBOARD_SANDBOX=true runs unconfigured providers on the embedded sandbox, for development',
      '  - ZENDESK_BASE_URL and its credentials are required (or ZENDESK_ENABLED=false); SWITCHBOARD_SANDBOX=true runs unconfigured providers on the embedded sandbox, for development',
      '  - RINGYO_BASE_URL and its credentials are required (or RINGYO_ENABLED=false); SWITCHBOARD_SANDBOX=true runs unconfigured providers on the embedded sandbox, for development',
    ]);
  }, 30_000);

  it('warns on every start that runs real providers with AUTH_MODE=none', async () => {
    // No provider at all is the smallest "not the sandbox" start; it still serves, unprotected.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH!, PORT: '0', AUTH_MODE: 'none', CURSOR_SECRET: 'startup-test-cursor-secret', SWITCHBOARD_DB_PATH: join(dir, 'w.db'), RINGCX_ENABLED: 'false', RINGCENTRAL_ENABLED: 'false', ZENDESK_ENABLED: 'false', RINGYO_ENABLED: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    for await (const line of createInterface({ input: child.stdout! })) if (/ready at/.test(line)) break;
    expect(stderr).toContain('WARNING: AUTH_MODE=none with real providers: anyone who can reach this server can read and change routing.');
    child.kill('SIGTERM');
    expect(((await once(child, 'exit')) as [number | null])[0]).toBe(0);
  }, 30_000);

  it('names PORT in one line when the port is taken', async () => {
    const { port } = blocker.address() as AddressInfo;
    const { code, lines } = await runToExit('sandbox/dev-server.ts', { PORT: String(port), SANDBOX_SCALE: '0.05', SWITCHBOARD_DB_PATH: join(dir, 'a.db') });
    expect(code).toBe(1);
    expect(lines).toEqual([`PORT=${port} is already in use on 127.0.0.1: set PORT to a free port`]);
  }, 30_000);

  it('names SWITCHBOARD_DB_PATH in one line when the file cannot be created', async () => {
    const notADirectory = join(dir, 'plain-file');
    writeFileSync(notADirectory, 'x');
    const { code, lines } = await runToExit('sandbox/dev-server.ts', { PORT: '0', SANDBOX_SCALE: '0.05', SWITCHBOARD_DB_PATH: join(notADirectory, 'switchboard.db') });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^SWITCHBOARD_DB_PATH: ${join(notADirectory, 'switchboard.db')} cannot be opened: E[A-Z]+: `));
  }, 30_000);
});

/**
 * `node --import tsx scripts/production-start.ts <dir>`: checks a production
 * start as an operator makes it. `<dir>` holds the built `dist/`, `schema/`
 * and a `node_modules` installed with `npm ci --omit=dev` (.ci/run makes it).
 * The providers are a standalone sandbox, given by URL and credentials like
 * real ones, and authentication is on (a key made here). It checks that the
 * server starts with no dev dependency, refuses a request without a token,
 * answers one with a token, and keeps introspection and the playground off
 * under NODE_ENV=production. Exits 1 on any failure.
 */
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT } from 'jose';
import { sandboxEnv, type SandboxEndpoints } from '../sandbox/index.js';
import { startProgram, stopAll } from '../test/support/processes.js';

const prodDir = resolve(process.argv[2] ?? '');
const repo = new URL('../', import.meta.url);
const children: ChildProcess[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-prod-'));

/** Resolves with the program's ready line (see startProgram). */
async function start(args: string[], cwd: string | URL, env: Record<string, string>, ready: RegExp): Promise<string> {
  return (await startProgram(children, args, env, ready, cwd)).line;
}

function check(ok: boolean, what: string): void {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  if (!ok) process.exitCode = 1;
}

try {
  const endpoints = JSON.parse(await start(['--import', 'tsx', 'sandbox/cli.ts'], repo, { SANDBOX_SCALE: '0.05' }, /^\{/)) as SandboxEndpoints;
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const line = await start(['dist/index.js'], prodDir, {
    NODE_ENV: 'production',
    PORT: '0',
    SWITCHBOARD_DB_PATH: join(dataDir, 'switchboard.db'),
    CURSOR_SECRET: 'production-start-check-secret',
    AUTH_JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    AUTH_ISSUER: 'https://login.example.test/',
    AUTH_AUDIENCE: 'switchboard',
    ...sandboxEnv(endpoints),
  }, /ready at/);
  const url = /at (http:\/\/\S+)/.exec(line)![1]!;
  check(url.startsWith('http://127.0.0.1:'), `listens on loopback by default (${url})`);
  const token = await new SignJWT({ scope: 'numbers:read' })
    .setProtectedHeader({ alg: 'RS256' })
    .setSubject('ci')
    .setIssuer('https://login.example.test/')
    .setAudience('switchboard')
    .setExpirationTime('5m')
    .sign(privateKey);
  const post = (query: string, bearer?: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) }, body: JSON.stringify({ query }) });

  check((await post('{ phoneNumbers(first: 1) { totalCount } }')).status === 401, 'refuses a request without a token (401)');
  const answered = (await (await post('{ phoneNumbers(first: 1) { totalCount } }', token)).json()) as { data?: { phoneNumbers: { totalCount: number } } };
  check((answered.data?.phoneNumbers.totalCount ?? 0) > 0, `answers a query with a token (${answered.data?.phoneNumbers.totalCount} numbers)`);
  const introspection = (await (await post('{ __schema { queryType { name } } }', token)).json()) as { errors?: unknown[] };
  check(Array.isArray(introspection.errors), 'refuses introspection under NODE_ENV=production');
  const page = await fetch(url, { headers: { accept: 'text/html' } });
  check(!(page.headers.get('content-type') ?? '').includes('text/html'), 'serves no playground under NODE_ENV=production');
} finally {
  await stopAll(children);
  rmSync(dataDir, { recursive: true, force: true });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxEndpoints } from '../../sandbox/index.js';

const root = new URL('../../', import.meta.url);

/** `npm run sandbox`'s program, run the way the script runs it (from sources here, via tsx). */
describe('the standalone sandbox', () => {
  let child: ChildProcess;
  let firstLine: string;

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts'], {
      cwd: root,
      env: { ...process.env, SANDBOX_SCALE: '0.05' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout! });
    [firstLine] = (await once(lines, 'line')) as [string];
  });
  afterAll(async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('prints every endpoint and credential as one JSON object on its first line', () => {
    const endpoints = JSON.parse(firstLine) as SandboxEndpoints;
    expect(Object.keys(endpoints)).toEqual(['ringcx', 'ringcentral', 'zendesk', 'ringyo']);
    expect(Object.keys(endpoints.ringcx).sort()).toEqual(['apiToken', 'baseUrl']);
    expect(Object.keys(endpoints.ringcentral).sort()).toEqual(['baseUrl', 'clientId', 'clientSecret', 'jwt']);
    expect(Object.keys(endpoints.zendesk).sort()).toEqual(['apiToken', 'baseUrl', 'email']);
    expect(Object.keys(endpoints.ringyo).sort()).toEqual(['apiKey', 'baseUrl']);
    for (const { baseUrl } of Object.values(endpoints)) expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves each provider with the printed credentials, at the providers\' own paths', async () => {
    const e = JSON.parse(firstLine) as SandboxEndpoints;
    const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    const token = await fetch(`${e.ringcentral.baseUrl}/restapi/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(e.ringcentral.clientId, e.ringcentral.clientSecret) },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: e.ringcentral.jwt }),
    });
    expect(token.status).toBe(200);
    const answers = await Promise.all([
      fetch(`${e.ringcx.baseUrl}/voice/api/v1/admin/accounts`, { headers: { 'x-auth-token': e.ringcx.apiToken } }),
      fetch(`${e.zendesk.baseUrl}/api/v2/channels/voice/phone_numbers`, {
        headers: { authorization: basic(`${e.zendesk.email}/token`, e.zendesk.apiToken) },
      }),
      fetch(`${e.ringyo.baseUrl}/v1/phone-numbers`, { headers: { authorization: `Bearer ${e.ringyo.apiKey}` } }),
      fetch(`${e.ringyo.baseUrl}/v1/phone-numbers`, { headers: { authorization: 'Bearer vb_live_wrong' } }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 401]);
  });
});

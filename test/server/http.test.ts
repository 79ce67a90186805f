import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { injectFaults } from '../support/sandbox.js';
import { startGraph, type GraphHarness } from '../support/graph.js';

describe('HTTP endpoints', () => {
  let graph: GraphHarness;
  let origin: string;
  beforeAll(async () => {
    graph = await startGraph({ env: { PROVIDER_RETRIES: '0' } });
    origin = new URL(graph.url).origin;
  });
  afterAll(async () => graph.close());

  it('answers liveness without touching any provider', async () => {
    await graph.reset();
    const response = await fetch(`${origin}/healthz`);
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await graph.calls()).toEqual({ ringcx: 0, ringcentral: 0, zendesk: 0, ringyo: 0 });
  });

  it('serves the playground page from this server, with no CDN', async () => {
    const response = await fetch(graph.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual([
      '/playground/graphiql.min.css',
      '/playground/react.production.min.js',
      '/playground/react-dom.production.min.js',
      '/playground/graphiql.min.js',
    ]);
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of assets) {
      const file = await fetch(`${origin}${asset}`);
      expect([asset, file.status, file.headers.get('content-type')?.split(';')[0]]).toEqual([
        asset,
        200,
        asset.endsWith('.css') ? 'text/css' : 'text/javascript',
      ]);
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect((await fetch(`${origin}/playground/nope.js`)).status).toBe(404);
  });

  it('refuses a GET operation without a CSRF preflight header', async () => {
    const response = await fetch(`${graph.url}?query=${encodeURIComponent('{ account { status } }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
    const allowed = await fetch(`${graph.url}?query=${encodeURIComponent('{ account { status } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await allowed.json()).toMatchObject({ data: { account: { status: 'CONFIRMED' } } });
  });

  it('refuses operations past the depth and alias limits before running them', async () => {
    await graph.reset();
    // Depth 11: queue → numbers → routing → queue → numbers… (the limit is 10).
    const tooDeep = await graph.query(
      '{ phoneNumbers(first: 1) { nodes { assignments { destination { ... on Queue { phoneNumbers(first: 1) { nodes { assignments { destination { ... on Queue { phoneNumbers(first: 1) { nodes { e164 } } } } } } } } } } } } }',
    );
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors![0]!.message).toMatch(/depth/i);
    const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: account { status }`).join(' ');
    const tooMany = await graph.query(`{ ${aliases} }`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors![0]!.message).toMatch(/aliases/i);
    expect(await graph.calls()).toEqual({ ringcx: 0, ringcentral: 0, zendesk: 0, ringyo: 0 });
  });

  it('explains a malformed ID as BAD_USER_INPUT naming the argument', async () => {
    const { body } = await graph.query('{ queue(id: "not-an-id") { name } }');
    expect(body).toEqual({
      data: { queue: null },
      errors: [{ message: 'id is not a valid Queue ID: "not-an-id"', locations: [{ line: 1, column: 3 }], path: ['queue'], extensions: { code: 'BAD_USER_INPUT', argument: 'id' } }],
    });
  });
});

describe('readiness', () => {
  it('is ready with every provider up, and says which run on the sandbox', async () => {
    const graph = await startGraph();
    try {
      const response = await fetch(`${new URL(graph.url).origin}/readyz`);
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 200,
        body: {
          ready: true,
          providers: {
            ringcx: { status: 'up', sandbox: true },
            ringcentral: { status: 'up', sandbox: true },
            zendesk: { status: 'up', sandbox: true },
            ringyo: { status: 'up', sandbox: true },
          },
        },
      });
    } finally {
      await graph.close();
    }
  });

  it('stays ready while one provider is down, naming it; fails when all are', async () => {
    const graph = await startGraph({ env: { PROVIDER_RETRIES: '0' } });
    try {
      await injectFaults(graph.sandbox.servers.ringyo.baseUrl, { rules: [{ match: '*', error: { status: 503 } }] });
      const partly = await fetch(`${new URL(graph.url).origin}/readyz`);
      const body = (await partly.json()) as { ready: boolean; providers: Record<string, { status: string; error?: { code: string } }> };
      expect(partly.status).toBe(200);
      expect(body.ready).toBe(true);
      expect(body.providers.ringyo).toEqual({ status: 'down', sandbox: true, error: { code: 'UNAVAILABLE', message: 'ringyo GET /v1/phone-numbers failed with 503: Injected fault: 503' } });
      expect(body.providers.ringcx!.status).toBe('up');
    } finally {
      await graph.close();
    }

    const dark = await startGraph({ env: { PROVIDER_RETRIES: '0' } });
    try {
      for (const server of Object.values(dark.sandbox.servers)) await injectFaults(server.baseUrl, { rules: [{ match: '*', reset: true }] });
      const response = await fetch(`${new URL(dark.url).origin}/readyz`);
      const body = (await response.json()) as { ready: boolean; providers: Record<string, { status: string }> };
      expect(response.status).toBe(503);
      expect(body.ready).toBe(false);
      expect(Object.values(body.providers).map((p) => p.status)).toEqual(['down', 'down', 'down', 'down']);
    } finally {
      await dark.close();
    }
  });
});

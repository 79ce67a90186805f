import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGraph, type GraphHarness } from '../support/graph.js';

/**
 * What the endpoint exposes besides GraphQL follows the configuration: in
 * production, no introspection and no playground unless asked; cross-origin
 * access only for the listed origins.
 */
describe('endpoint exposure', () => {
  let production: GraphHarness;
  let development: GraphHarness;
  const INTROSPECT = '{ __schema { queryType { name } } }';

  beforeAll(async () => {
    production = await startGraph({ httpFromEnv: true, env: { NODE_ENV: 'production', CORS_ORIGINS: 'https://admin.example.test' } });
    development = await startGraph({ httpFromEnv: true, env: {} });
  });
  afterAll(async () => {
    await production?.close();
    await development?.close();
  });

  it('refuses introspection and serves no playground under NODE_ENV=production', async () => {
    const { body } = await production.query(INTROSPECT);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toContain('introspection');
    const page = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
  });

  it('answers introspection and serves the playground in development', async () => {
    const { body } = await development.query(INTROSPECT);
    expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const page = await fetch(development.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('allows cross-origin requests from listed origins only', async () => {
    const preflight = (server: GraphHarness, origin: string) =>
      fetch(server.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    const allowed = await preflight(production, 'https://admin.example.test');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example.test');
    const other = await preflight(production, 'https://evil.example.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // No list, no cross-origin access at all.
    expect((await preflight(development, 'https://admin.example.test')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

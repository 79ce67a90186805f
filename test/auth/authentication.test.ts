import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { startGraph, type GraphHarness } from '../support/graph.js';

const ISSUER = 'https://login.example.test/';
const AUDIENCE = 'switchboard';
const QUERY = '{ phoneNumbers(first: 1) { totalCount } }';
const REASSIGN = 'mutation($input: ReassignPhoneNumberInput!) { reassignPhoneNumber(input: $input) { userErrors { code } } }';
const UPDATE_GROUP = 'mutation($input: UpdateTrackingGroupInput!) { updateTrackingGroup(input: $input) { userErrors { code } } }';
const OPERATIONS: [string, string, Record<string, unknown> | undefined, string][] = [
  ['a query', QUERY, undefined, 'numbers:read'],
  ['a routing change', REASSIGN, { input: { phoneNumber: '+12062596533', destination: { queue: 'x' }, dryRun: true } }, 'routing:write'],
  ['an inventory change', UPDATE_GROUP, { input: { id: 'x', name: 'y' } }, 'inventory:write'],
];

/**
 * Authentication and scopes against a local key server: keys made here,
 * served as a JWKS over real HTTP, tokens signed here. Nothing is read or
 * changed without a valid token carrying the scope the SDL declares.
 */
describe('authentication and scopes', () => {
  let graph: GraphHarness;
  let jwks: HttpServer;
  let key: CryptoKey;
  let otherKey: CryptoKey;

  const token = (claims: JWTPayload = {}, options: { key?: CryptoKey; expiresIn?: string; issuer?: string; audience?: string } = {}) =>
    new SignJWT({ scope: 'numbers:read routing:write inventory:write', email: 'ana@example.test', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('user-123')
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? key);
  const send = (query: string, variables: Record<string, unknown> | undefined, bearer?: string, headers: Record<string, string> = {}) =>
    fetch(graph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }), ...headers },
      body: JSON.stringify({ query, variables }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] } }));

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    graph = await startGraph({ env: { AUTH_MODE: 'jwt', AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE } });
  });
  afterAll(async () => {
    await graph?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  const refusals: [string, () => Promise<string | undefined>, string][] = [
    ['no token', async () => undefined, 'Authentication required'],
    ['an expired token', () => token({}, { expiresIn: '-10m' }), 'The token has expired'],
    ['the wrong issuer', () => token({}, { issuer: 'https://evil.example.test/' }), "The token's iss claim is not accepted"],
    ['the wrong audience', () => token({}, { audience: 'someone-else' }), "The token's aud claim is not accepted"],
    ['a bad signature', () => token({}, { key: otherKey }), "The token's signature does not verify"],
    ['garbage', async () => 'not.a.jwt', 'The token is not a valid JWT'],
  ];

  for (const [label, query, variables] of OPERATIONS) {
    it.each(refusals)(`refuses ${label} with %s: 401 UNAUTHENTICATED, no data, no provider call`, async (_case, make, message) => {
      await graph.reset();
      const { status, body } = await send(query, variables, await make());
      expect(status).toBe(401);
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining(message) as unknown as string, extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
      expect(await graph.calls()).toEqual({ ringcx: 0, ringcentral: 0, zendesk: 0, ringyo: 0 });
    });
  }

  it.each(OPERATIONS)('refuses %s without its scope: 403 FORBIDDEN naming it, nothing read or changed', async (_label, query, variables, scope) => {
    await graph.reset();
    const others = ['numbers:read', 'routing:write', 'inventory:write'].filter((s) => s !== scope).join(' ');
    const { status, body } = await send(query, variables, await token({ scope: others }));
    expect(status).toBe(403);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining(`needs the ${scope} scope`) as unknown as string, extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    expect(await graph.calls()).toEqual({ ringcx: 0, ringcentral: 0, zendesk: 0, ringyo: 0 });
  });

  it('accepts scopes as an `scp` array too', async () => {
    const { status, body } = await send(QUERY, undefined, await token({ scope: undefined, scp: ['numbers:read'] }));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('records the verified subject as the actor, and the actor header only as on whose behalf', async () => {
    const { status, body } = await send(REASSIGN, OPERATIONS[1]![2], await token(), { 'x-switchboard-actor': 'someone-else@example.com' });
    expect([status, body.errors]).toEqual([200, undefined]);
    const [entry] = (await graph.server.services.store.audit.forNumber('+12062596533', { limit: 1 })).entries;
    expect(entry).toMatchObject({ operation: 'reassignPhoneNumber', actor: 'user-123 <ana@example.test> on behalf of someone-else@example.com' });
  });
});

describe('an identity provider whose key set cannot be fetched', () => {
  let graph: GraphHarness;
  let keys: HttpServer;
  let key: CryptoKey;

  beforeAll(async () => {
    key = (await generateKeyPair('RS256')).privateKey;
    // The key set answers 500: the identity provider is down.
    keys = createHttpServer((_req, res) => res.writeHead(500).end('down'));
    await new Promise<void>((resolve) => keys.listen(0, '127.0.0.1', resolve));
    const { port } = keys.address() as AddressInfo;
    graph = await startGraph({ env: { AUTH_MODE: 'jwt', AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE } });
  });
  afterAll(async () => {
    await graph?.close();
    await new Promise((resolve) => keys?.close(resolve));
  });

  it('answers 503 AUTH_UNAVAILABLE, not "bad token", and calls no provider', async () => {
    // The start-up sync made its calls; the request must make none.
    const before = await graph.calls();
    const token = await new SignJWT({ scope: 'numbers:read' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('u').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(key);
    const response = await fetch(graph.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: QUERY }) });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['AUTH_UNAVAILABLE']);
    expect(await graph.calls()).toEqual(before);
  });
});

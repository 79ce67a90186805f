import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxKit } from '../core/server.js';
import { oauthErrorBody, type RcApiError } from './errors.js';
import { takeRateLimit } from './limits.js';
import type { RingCentralCredentials } from './seed.js';
import type { TokenInfo, TokenStore } from './tokens.js';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** The app's permissions, returned as the token's scope. */
const APP_SCOPE = ['EditAccounts', 'EditExtensions', 'ReadAccounts'];

export interface OAuthContext {
  kit: SandboxKit;
  tokens: TokenStore;
  credentials: RingCentralCredentials;
  ownerId: string;
  accountId: () => string;
  /** Grants issued since the last reset, for `GET /__sandbox/tokens`. */
  grants: { grantType: string; sessionId: string; expiresIn: number }[];
}

/**
 * `POST /restapi/oauth/token` (JWT bearer and refresh grants, Basic client
 * authentication, form-encoded body), `POST /restapi/oauth/revoke`, and the
 * provider's control routes for tokens.
 */
export function registerOAuthRoutes(app: FastifyInstance, ctx: OAuthContext): void {
  app.post('/restapi/oauth/token', async (request, reply) => {
    const client = basicClient(request);
    if (!takeRateLimit(ctx.kit, reply, 'Auth', `client:${client?.clientId ?? 'anonymous'}`)) return reply;
    const form = formBody(request, reply);
    if (!form) return reply;
    if (!authenticateClient(client, ctx, reply)) return reply;

    const ttl = readTtls(form, reply);
    if (!ttl) return reply;

    const grantType = form.grant_type;
    let token: TokenInfo;
    if (grantType === JWT_GRANT) {
      if (!form.assertion) return oauthError(reply, 400, 'invalid_request', missing('assertion'));
      if (form.assertion !== ctx.credentials.jwt) {
        return oauthError(reply, 400, 'invalid_grant', { errorCode: 'OAU-140', message: 'Invalid resource owner credentials' });
      }
      const scope = readScope(form, reply);
      if (scope === undefined) return reply;
      token = ctx.tokens.issue({
        clientId: ctx.credentials.clientId,
        ownerId: ctx.ownerId,
        accountId: ctx.accountId(),
        scope,
        endpointId: form.endpoint_id || undefined,
        accessTtlSeconds: ttl.access,
        refreshTtlSeconds: ttl.refresh,
      });
    } else if (grantType === 'refresh_token') {
      if (!form.refresh_token) return oauthError(reply, 400, 'invalid_request', missing('refresh_token'));
      const result = ctx.tokens.refresh(ctx.credentials.clientId, form.refresh_token, ttl.access, ttl.refresh);
      if (!result.ok) return oauthError(reply, 400, 'invalid_grant', result.error);
      token = result.token;
    } else if (!grantType) {
      return oauthError(reply, 400, 'invalid_request', missing('grant_type'));
    } else {
      return oauthError(reply, 400, 'unsupported_grant_type', {
        errorCode: 'OAU-112',
        message: `The client is unauthorized for the required grant type: [${grantType}]`,
        parameterName: 'grant_type',
        parameterValue: grantType,
      });
    }
    ctx.grants.push({ grantType, sessionId: token.session_id, expiresIn: token.expires_in });
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(token);
  });

  app.post('/restapi/oauth/revoke', async (request, reply) => {
    const client = basicClient(request);
    if (!takeRateLimit(ctx.kit, reply, 'Auth', `client:${client?.clientId ?? 'anonymous'}`)) return reply;
    const form = formBody(request, reply);
    if (!form) return reply;
    if (!authenticateClient(client, ctx, reply)) return reply;
    if (!form.token) return oauthError(reply, 400, 'invalid_request', missing('token'));
    ctx.tokens.revoke(form.token);
    return reply.code(200).send();
  });

  // Control plane: lets tests expire tokens mid-run without waiting an hour,
  // and see which grants a client used.
  app.post('/__sandbox/tokens/expire', async () => ({ expired: ctx.tokens.expireAll() }));
  app.get('/__sandbox/tokens', async () => ({ grants: ctx.grants }));
}

function basicClient(request: FastifyRequest): { clientId: string; clientSecret: string } | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim()) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

function authenticateClient(client: ReturnType<typeof basicClient>, ctx: OAuthContext, reply: FastifyReply): boolean {
  if (!client) {
    oauthError(reply, 401, 'invalid_client', { errorCode: 'OAU-123', message: 'Client authentication is required' });
    return false;
  }
  if (client.clientId !== ctx.credentials.clientId || client.clientSecret !== ctx.credentials.clientSecret) {
    oauthError(reply, 401, 'invalid_client', { errorCode: 'OAU-146', message: 'Invalid client credentials' });
    return false;
  }
  return true;
}

/** The form-encoded body, or a 415 (RingCentral's token endpoint accepts nothing else). */
function formBody(request: FastifyRequest, reply: FastifyReply): Record<string, string> | undefined {
  const type = String(request.headers['content-type'] ?? '');
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    oauthError(reply, 415, 'invalid_request', {
      errorCode: 'CMN-104',
      message: 'Cannot parse request: Content-Type must be application/x-www-form-urlencoded',
    });
    return undefined;
  }
  return (request.body ?? {}) as Record<string, string>;
}

function readTtls(form: Record<string, string>, reply: FastifyReply): { access?: number; refresh?: number } | undefined {
  const read = (name: string, min: number, max: number): number | undefined | null => {
    const raw = form[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      oauthError(reply, 400, 'invalid_request', {
        errorCode: 'CMN-101',
        message: `Parameter [${name}] value is invalid: expected an integer between ${min} and ${max}`,
        parameterName: name,
        parameterValue: raw,
      });
      return null;
    }
    return value;
  };
  const access = read('access_token_ttl', 600, 3600);
  if (access === null) return undefined;
  const refresh = read('refresh_token_ttl', 1, 2_592_000);
  if (refresh === null) return undefined;
  return { access, refresh };
}

/** The requested scope (space separated), which may only narrow the app's permissions. */
function readScope(form: Record<string, string>, reply: FastifyReply): string | undefined {
  if (!form.scope) return APP_SCOPE.join(' ');
  const requested = form.scope.split(/\s+/).filter(Boolean);
  const unknown = requested.find((scope) => !APP_SCOPE.includes(scope));
  if (unknown) {
    oauthError(reply, 400, 'invalid_scope', {
      errorCode: 'OAU-117',
      message: `Requested scope [${unknown}] is not granted to the application`,
      parameterName: 'scope',
      parameterValue: unknown,
    });
    return undefined;
  }
  return requested.join(' ');
}

function missing(name: string): RcApiError {
  return { errorCode: 'CMN-101', message: `Parameter [${name}] is required`, parameterName: name };
}

function oauthError(reply: FastifyReply, status: number, error: string, entry: RcApiError): FastifyReply {
  return reply.code(status).type('application/json').send(oauthErrorBody(error, entry));
}

import { timingSafeEqual } from 'node:crypto';
import type { World } from '../seed/world.js';

/** The one agent the sandbox account knows: an email and its API token. */
export interface ZendeskCredentials {
  email: string;
  apiToken: string;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Deterministic credentials: a 40-character API token, like Zendesk's. */
export function sandboxCredentials(world: World): ZendeskCredentials {
  const r = world.random('zendesk').fork('credentials');
  const apiToken = Array.from({ length: 40 }, () => r.pick([...TOKEN_ALPHABET])).join('');
  return { email: 'talk.admin@acme-support.example', apiToken };
}

/**
 * Zendesk API-token auth: `Basic base64("{email}/token:{api_token}")`. Plain
 * `email:password` Basic is refused (password access is off by default), and
 * so is anything else; the email is matched case-insensitively, the token exactly.
 */
export function isAuthorized(header: string | undefined, credentials: ZendeskCredentials): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const separator = decoded.indexOf('/token:');
  if (separator === -1) return false;
  const email = decoded.slice(0, separator);
  const token = Buffer.from(decoded.slice(separator + '/token:'.length));
  const expected = Buffer.from(credentials.apiToken);
  return email.toLowerCase() === credentials.email.toLowerCase() && token.length === expected.length && timingSafeEqual(token, expected);
}

import { timingSafeEqual } from 'node:crypto';
import type { World } from '../seed/world.js';

/** The API key the sandbox account accepts. */
export interface RingyoCredentials {
  apiKey: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A deterministic live key: `vb_live_` and 32 characters, as the dashboard issues. */
export function sandboxCredentials(world: World): RingyoCredentials {
  const r = world.random('ringyo').fork('credentials');
  return { apiKey: `vb_live_${Array.from({ length: 32 }, () => r.pick([...ALPHABET])).join('')}` };
}

/** `Authorization: Bearer <key>`, the key compared in constant time. */
export function isAuthorized(header: string | undefined, credentials: RingyoCredentials): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const presented = Buffer.from(match[1]!);
  const expected = Buffer.from(credentials.apiKey);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

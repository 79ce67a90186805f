import { readFileSync } from 'node:fs';

/**
 * The package version, read once from package.json. Both `src/` and `dist/`
 * sit one level below the package root, so the same relative path works when
 * running from sources (tsx, jest) and from the build.
 */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * RingCX's API conventions ask integrators to identify themselves; we send the
 * same value to every provider so that their support teams can find our traffic.
 */
export const USER_AGENT = `Switchboard/${VERSION} (phone-number federation; node/${process.versions.node})`;

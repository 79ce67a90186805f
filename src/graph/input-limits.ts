import type { UserError } from '../__generated__/resolvers-types.js';

/**
 * How long a mutation's string inputs may be, by field name. Every string
 * field of every mutation input is capped: the named ones here, any other
 * (global IDs, names, keys) at `DEFAULT_LIMIT`. An inline CSV has its own
 * limit (the upload's byte limit), enforced by the upload pipeline.
 *
 * Oversize input is refused before anything else runs, so it costs no
 * provider call and no storage: a 5 MB "phone number" is not echoed into the
 * history or the logs.
 */
const LIMITS: Record<string, number> = {
  phoneNumber: 64,
  description: 500,
  name: 200,
  csv: Number.POSITIVE_INFINITY,
};
const DEFAULT_LIMIT = 256;

/** Deepest input nesting looked into; inputs are shallow, so this only bounds hostile ones. */
const MAX_DEPTH = 8;

/** INPUT_TOO_LONG for every string field of `args` over its limit, each naming the field. */
export function oversizeFields(args: Record<string, unknown>): UserError[] {
  const errors: UserError[] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (path.length > MAX_DEPTH) return;
    const field = path.at(-1)!;
    if (typeof value === 'string') {
      const limit = LIMITS[field] ?? DEFAULT_LIMIT;
      if (value.length > limit) {
        errors.push({ code: 'INPUT_TOO_LONG', field: path, message: `${field} is ${value.length} characters long; the limit is ${limit}` });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, String(i)]));
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    }
  };
  for (const [key, value] of Object.entries(args)) walk(value, [key]);
  return errors;
}

/** An input object (graphql-js builds them with or without a prototype); not an upload's promise. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

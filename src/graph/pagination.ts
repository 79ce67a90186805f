import { createHmac, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';

/** The largest page any connection returns. */
export const MAX_PAGE_SIZE = 500;

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/**
 * Keyset pagination over a list sorted by a unique key. A cursor names the
 * key of the last item seen, not a position, so a number added or removed
 * elsewhere between two pages never shifts the next page. Cursors are signed:
 * a tampered or foreign cursor is refused (BAD_USER_INPUT), never silently
 * read as "start over".
 */
export class Paginator {
  constructor(private readonly secret: string) {}

  page<T>(
    items: readonly T[],
    keyOf: (item: T) => string,
    args: { first?: number | null; after?: string | null },
    scope: string,
  ): Connection<T> {
    const first = this.limit(args.first, 50);
    let start = 0;
    if (args.after != null) {
      const afterKey = this.decode(args.after, scope);
      // Items are sorted by key: continue at the first key beyond the cursor.
      start = lowerBound(items, (item) => keyOf(item) > afterKey);
    }
    const slice = items.slice(start, start + first);
    const edges = slice.map((node) => ({ cursor: this.encode(keyOf(node), scope), node }));
    return {
      edges,
      nodes: slice,
      pageInfo: {
        hasNextPage: start + first < items.length,
        hasPreviousPage: start > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount: items.length,
    };
  }

  /** `first` checked against the cap; BAD_USER_INPUT naming it otherwise. */
  limit(first: number | null | undefined, fallback: number): number {
    const value = first ?? fallback;
    if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
      throw new GraphQLError(`first must be between 1 and ${MAX_PAGE_SIZE}, got ${value}`, {
        extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
      });
    }
    return value;
  }

  /** A cursor for `key` in the list named `scope` (so a queue's cursor is not valid for extensions). */
  encode(key: string, scope: string): string {
    const body = Buffer.from(JSON.stringify([scope, key]), 'utf8').toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /**
   * The key a cursor names, for lists paged where they are stored (the
   * history, upload rows); BAD_USER_INPUT when tampered or of another list.
   */
  decode(cursor: string, scope: string): string {
    const invalid = () =>
      new GraphQLError(`after is not a valid cursor for this list: "${cursor.slice(0, 80)}"`, {
        extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
      });
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined) throw invalid();
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (!Array.isArray(parsed) || parsed[0] !== scope || typeof parsed[1] !== 'string') throw invalid();
    return parsed[1];
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url').slice(0, 22);
  }
}

/** Index of the first item for which `beyond` holds, in a list where it holds for a suffix. */
function lowerBound<T>(items: readonly T[], beyond: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (beyond(items[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

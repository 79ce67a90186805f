import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ProviderError, unavailability, type ProviderErrorCode, type ProviderName, type UnavailableCode } from '../providers/core/errors.js';
import type { SyncState } from '../store/index.js';
import type { StoredSyncError } from '../sync/sync.js';

/** The provider's answers (it was asked and said no), by their GraphQL code. */
const ANSWERS: Record<Exclude<ProviderErrorCode, UnavailableCode>, string> = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BAD_REQUEST: 'BAD_USER_INPUT',
};

/**
 * The one place a provider failure becomes a GraphQL error code. Clients
 * branch on these codes and on `extensions.provider`, never on messages.
 * A provider that could not be asked (`unavailability`, the same rule the
 * routing changes use) is PROVIDER_RATE_LIMITED or PROVIDER_UNAVAILABLE.
 */
function codeOf(code: ProviderErrorCode): string {
  const kind = unavailability(code);
  return kind ? `PROVIDER_${kind}` : ANSWERS[code as Exclude<ProviderErrorCode, UnavailableCode>];
}

/** `extensions` of a provider failure: the stable code, the provider, and what a client needs to retry. */
export function providerExtensions(error: ProviderError): Record<string, unknown> {
  return {
    code: codeOf(error.code),
    provider: error.provider.toUpperCase(),
    reason: error.code,
    retryable: error.retryable,
    ...(error.status !== undefined && { providerStatus: error.status }),
    ...(error.providerCode !== undefined && { providerCode: error.providerCode }),
    ...(error.retryAfterMs !== undefined && { retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) }),
  };
}

/**
 * Apollo's `formatError`: provider failures get their typed extensions;
 * errors we raised on purpose (GraphQLError with a code) pass through; any
 * other error is a bug, so its message (which might carry internals) is
 * replaced and it is logged instead.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof ProviderError) {
    return { ...formatted, message: original.message, extensions: providerExtensions(original) };
  }
  if (original === undefined || original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  console.error('Unexpected error while resolving', formatted.path?.join('.'), original);
  return { message: 'Internal server error', ...(formatted.path && { path: formatted.path }), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * What an answer read from the index must say besides its data. Providers
 * with nothing in the index (their first sync failed, or has not finished)
 * are errors at the field whose data they are missing from, so clients know
 * a list is incomplete. Every answer says when each provider's part was
 * last confirmed (`extensions.inventory`), and warns (`extensions.warnings`,
 * code STALE_INVENTORY) when one is older than its freshness limit: data
 * kept while a provider is down, rather than blanks. An answer that had to
 * wait for a first sync says so (AWAITED_FIRST_SYNC).
 */
export class PartialResults {
  private readonly seen = new Set<string>();
  private readonly errors: GraphQLFormattedError[] = [];
  private missing: ProviderError[] = [];
  private freshness: Record<string, { syncedAt: string | null; ageSeconds: number | null }> | undefined;
  private readonly warnings: Record<string, unknown>[] = [];

  report(error: ProviderError, path: readonly (string | number)[]): void {
    const key = `${error.provider}|${path.join('.')}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.errors.push({
      message: `${error.message} (results from ${error.provider} are missing)`,
      path: [...path],
      extensions: providerExtensions(error),
    });
  }

  /** Records the index's state as this request read it. */
  noteFreshness(states: ReadonlyMap<ProviderName, SyncState | undefined>, staleAfterMs: number, waited: { providers: ProviderName[]; ms: number } | null = null): void {
    const now = Date.now();
    this.freshness = {};
    this.missing = [];
    if (waited) {
      // The one time a read waits on providers: the index had nothing of them yet.
      this.warnings.push({
        code: 'AWAITED_FIRST_SYNC',
        providers: waited.providers.map((p) => p.toUpperCase()),
        waitedMs: waited.ms,
        message: `the index held nothing of ${waited.providers.join(', ')} yet: this answer waited ${waited.ms} ms for the first sync`,
      });
    }
    for (const [provider, state] of states) {
      const syncedAt = state?.successAt ?? null;
      const age = syncedAt ? Math.max(0, Math.round((now - Date.parse(syncedAt)) / 1000)) : null;
      this.freshness[provider.toUpperCase()] = { syncedAt, ageSeconds: age };
      if (!syncedAt) {
        this.missing.push(notSynced(provider, state));
      } else if (age! * 1000 > staleAfterMs) {
        const failing = state?.error ? ` (its last sync failed: ${(JSON.parse(state.error) as { message: string }).message})` : '';
        this.warnings.push({
          code: 'STALE_INVENTORY',
          provider: provider.toUpperCase(),
          syncedAt,
          ageSeconds: age,
          message: `${provider} data was last synced ${age} s ago, past its freshness limit of ${Math.round(staleAfterMs / 1000)} s${failing}; it may have changed since`,
        });
      }
    }
  }

  /** Reports the providers (of `only`, when given) missing from the index at `path`. */
  reportMissing(path: readonly (string | number)[], only?: readonly ProviderName[]): void {
    for (const error of this.missing) if (!only || only.includes(error.provider)) this.report(error, path);
  }

  missingProviders(): readonly ProviderError[] {
    return this.missing;
  }

  list(): readonly GraphQLFormattedError[] {
    return this.errors;
  }

  /** What the response's `extensions` gain, when the request read the index. */
  extensions(): Record<string, unknown> | undefined {
    if (!this.freshness) return undefined;
    return { inventory: this.freshness, ...(this.warnings.length > 0 && { warnings: this.warnings }) };
  }
}

/** Why a provider has nothing in the index: its first sync failed (with the provider's error), or has not finished. */
function notSynced(provider: ProviderName, state: SyncState | undefined): ProviderError {
  if (state?.error) {
    const stored = JSON.parse(state.error) as StoredSyncError;
    const code = stored.code as ProviderErrorCode;
    return new ProviderError({
      provider,
      code,
      message: stored.message,
      retryable: unavailability(code) !== null,
      ...(stored.status !== undefined && { status: stored.status }),
      ...(stored.providerCode !== undefined && { providerCode: stored.providerCode }),
      ...(stored.retryAfterMs !== undefined && { retryAfterMs: stored.retryAfterMs }),
    });
  }
  return new ProviderError({ provider, code: 'UNAVAILABLE', message: `${provider} has not been synced yet: its first sync is still running`, retryable: true });
}

/** Appends the partial-result errors and the index's freshness to the response. */
export function partialResultsPlugin<C extends { partial: PartialResults }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }: GraphQLRequestContext<C>) {
          if (response.body?.kind !== 'single') return;
          const result = response.body.singleResult;
          const extra = contextValue.partial.list();
          if (extra.length > 0) result.errors = [...(result.errors ?? []), ...extra];
          const extensions = contextValue.partial.extensions();
          if (extensions) result.extensions = { ...result.extensions, ...extensions };
        },
      };
    },
  };
}

import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ProviderError, unavailability, type ProviderErrorCode, type UnavailableCode } from '../providers/core/errors.js';

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
 * Provider failures that did not stop a field from resolving. When RingCX is
 * down, `phoneNumbers` still lists what the other providers know; the
 * response then carries one error per missing provider, at the field whose
 * data it is missing from, so clients know the list is incomplete.
 */
export class PartialResults {
  private readonly seen = new Set<string>();
  private readonly errors: GraphQLFormattedError[] = [];

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

  list(): readonly GraphQLFormattedError[] {
    return this.errors;
  }
}

/** Appends the partial-result errors collected during execution to the response. */
export function partialResultsPlugin<C extends { partial: PartialResults }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }: GraphQLRequestContext<C>) {
          const extra = contextValue.partial.list();
          if (extra.length === 0 || response.body?.kind !== 'single') return;
          const result = response.body.singleResult;
          result.errors = [...(result.errors ?? []), ...extra];
        },
      };
    },
  };
}

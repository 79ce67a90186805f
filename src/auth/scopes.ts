import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type FragmentDefinitionNode } from 'graphql';
import type { Principal } from './tokens.js';

/**
 * What each root field needs, read from the schema's own Federation
 * `@requiresScopes` directives: the SDL is the one place scopes are declared,
 * so a router enforcing them and Switchboard enforcing them cannot disagree.
 * `@requiresScopes(scopes: [["a", "b"], ["c"]])` means (a and b) or c.
 */
export type ScopeRule = string[][];

/** Root fields every authenticated caller may use: the router's schema fetch and introspection. */
const OPEN_FIELDS = new Set(['_service', '__schema', '__type', '__typename']);

/** Entity fetches from a router read numbers (and what they route to). */
const ENTITY_RULE: ScopeRule = [['numbers:read']];

/** `Query.phoneNumbers` → its rule, for every root field that declares one. */
export function rootScopeRules(schema: GraphQLSchema): Map<string, ScopeRule> {
  const rules = new Map<string, ScopeRule>();
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const directive = field.astNode?.directives?.find((d) => d.name.value === 'requiresScopes');
      const arg = directive?.arguments?.find((a) => a.name.value === 'scopes')?.value;
      if (arg?.kind !== Kind.LIST) continue;
      rules.set(`${type.name}.${field.name}`, arg.values.map((alt) => (alt.kind === Kind.LIST ? alt.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : [])));
    }
  }
  return rules;
}

/**
 * Refuses an operation, before any resolver runs, when the caller's token
 * lacks a scope one of its root fields requires: `FORBIDDEN` naming the
 * scope, HTTP 403, nothing read or changed. A root field that declares no
 * scope is refused too (fail closed): a new field must say what it needs.
 */
export function scopePlugin<C extends { principal: Principal | null }>(schema: GraphQLSchema): ApolloServerPlugin<C> {
  const rules = rootScopeRules(schema);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          const principal = contextValue.principal;
          if (!principal || !operation) return; // authentication is off (AUTH_MODE=none); no operation is refused by validation
          const typeName = operation.operation === 'mutation' ? 'Mutation' : operation.operation === 'query' ? 'Query' : 'Subscription';
          const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
          for (const field of rootFields(operation, fragments)) {
            if (OPEN_FIELDS.has(field)) continue;
            const rule = field === '_entities' ? ENTITY_RULE : rules.get(`${typeName}.${field}`);
            if (!rule) throw forbidden(`${typeName}.${field} declares no scope, so no token may use it`);
            if (!rule.some((all) => all.every((scope) => principal.scopes.has(scope)))) {
              const needed = rule.map((all) => all.join(' and ')).join(' or ');
              throw forbidden(`${typeName}.${field} needs the ${needed} scope; the token has ${[...principal.scopes].join(', ') || 'none'}`);
            }
          }
        },
      };
    },
  };
}

/** The root field names an operation selects, through fragments too. */
function rootFields(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return names;
}

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

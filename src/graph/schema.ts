import { readFileSync, readdirSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { addResolversToSchema } from '@graphql-tools/schema';
import { parse, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';

/** `schema/` at the package root, one level above both `src/` and `dist/`. */
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

type SubgraphModule = Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>;

/** The SDL, one file per domain, in a stable order. */
export function readTypeDefs(): string {
  return readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(new URL(file, SCHEMA_DIR), 'utf8'))
    .join('\n');
}

/**
 * The Federation 2 subgraph schema with every resolver attached.
 *
 * `buildSubgraphSchema` attaches the resolvers, because only it knows where
 * Apollo looks for `__resolveReference`. graphql-tools first checks them
 * against the schema, strictly: a resolver for a field or type the SDL does
 * not have (a typo, a renamed field) and an abstract type without
 * `__resolveType` fail at start-up instead of resolving null at run time.
 */
export function buildSchema(): GraphQLSchema {
  const typeDefs = parse(readTypeDefs());
  addResolversToSchema({
    schema: buildSubgraphSchema({ typeDefs }),
    resolvers: resolvers as Record<string, never>,
    resolverValidationOptions: { requireResolversToMatchSchema: 'error', requireResolversForResolveType: 'error' },
  });
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as SubgraphModule['resolvers'] });
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { EXAMPLE_OPERATIONS, type ExampleOperation } from './examples.js';

const require = createRequire(import.meta.url);

/**
 * The browser bundles GraphiQL needs, served from node_modules so the
 * playground works on a machine with no internet (no CDN). GraphiQL 3 still
 * ships a UMD build, which runs on React 18's UMD builds without a bundler.
 */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

/** A file inside an installed package; packages' `exports` maps hide UMD builds from `require.resolve`. */
function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

export const PLAYGROUND_ASSET_PREFIX = '/playground/';

/** Whether a GET on the GraphQL path comes from a browser wanting a page rather than a GraphQL result. */
export function wantsPlayground(accept: string | undefined, hasQuery: boolean): boolean {
  return !hasQuery && typeof accept === 'string' && accept.includes('text/html');
}

/** Registers the asset routes; the page itself is answered by the GraphQL route's GET handler. */
export function registerPlaygroundAssets(app: FastifyInstance): void {
  const files = new Map(Object.entries(ASSETS).map(([name, asset]) => [name, { body: readFileSync(packageFile(asset.pkg, asset.file)), type: asset.type }]));
  app.get(`${PLAYGROUND_ASSET_PREFIX}:file`, async (request, reply) => {
    const file = files.get((request.params as { file: string }).file);
    if (!file) return reply.code(404).type('text/plain').send('Not found');
    return reply.type(file.type).header('cache-control', 'public, max-age=86400').send(file.body);
  });
}

/** The GraphiQL page, preloaded with the example operations as tabs. */
export function playgroundPage(graphqlPath: string, examples: readonly ExampleOperation[] = EXAMPLE_OPERATIONS): string {
  const tabs = examples.map((example) => ({ query: example.query, variables: example.variables }));
  // JSON inside <script>: escape "<" so an operation cannot close the tag.
  const config = JSON.stringify({ url: graphqlPath, tabs }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Switchboard GraphQL playground</title>
  <link rel="stylesheet" href="${PLAYGROUND_ASSET_PREFIX}graphiql.min.css" />
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading the playground…</div>
  <script src="${PLAYGROUND_ASSET_PREFIX}react.production.min.js"></script>
  <script src="${PLAYGROUND_ASSET_PREFIX}react-dom.production.min.js"></script>
  <script src="${PLAYGROUND_ASSET_PREFIX}graphiql.min.js"></script>
  <script>
    const config = ${config};
    const send = GraphiQL.createFetcher({ url: config.url });
    // GraphiQL can carry the previous tab's operation name into another tab's
    // document; drop a name the document does not define.
    const fetcher = (params, options) => {
      const defined = params.operationName &&
        new RegExp('\\b(query|mutation|subscription)\\s+' + params.operationName + '\\b').test(params.query);
      return send(defined || !params.operationName ? params : { ...params, operationName: undefined }, options);
    };
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultTabs: config.tabs, defaultEditorToolsVisibility: true })
    );
  </script>
</body>
</html>
`;
}

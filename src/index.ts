/**
 * `npm start`: the GraphQL server. Providers without a base URL run on the
 * embedded sandbox, started in-process.
 */
import { connectBackends } from './backends.js';
import { ConfigError, loadConfig } from './config.js';
import { createServer } from './server.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

if (config.auth.unprotected) {
  process.stderr.write('WARNING: AUTH_MODE=none with real providers: anyone who can reach this server can read and change routing.\n');
}
const backends = await connectBackends(config);
const server = await createServer({
  backends,
  cacheTtlMs: config.cacheTtlMs,
  cursorSecret: config.cursorSecret,
  databasePath: config.databasePath,
  uploadLimits: config.upload,
  auth: config.auth,
  ...(config.ringcx.accountIds && { ringcxAccountIds: config.ringcx.accountIds }),
});
const url = await server.listen(config.port, config.host);

const where = backends.sandboxed.length > 0 ? ` (embedded sandbox: ${backends.sandboxed.join(', ')})` : '';
process.stdout.write(`Switchboard GraphQL ready at ${url.replace('0.0.0.0', 'localhost')}${where}\n`);

/** SIGTERM/SIGINT: finish in-flight requests, close providers, exit. A second signal exits at once. */
let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) process.exit(1);
  stopping = true;
  process.stderr.write(`${signal}: shutting down\n`);
  void server
    .close()
    .then(() => backends.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

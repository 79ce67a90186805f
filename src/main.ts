import { connectBackends, type EmbeddedSandbox, type SandboxStarter } from './backends.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createServer } from './server.js';
import { DatabaseOpenError } from './store/index.js';

/**
 * Starts Switchboard from the environment and serves until SIGTERM/SIGINT.
 * Shared by the production start (`src/index.ts`, no sandbox) and the
 * development start (`sandbox/dev-server.ts`, which passes the sandbox in).
 *
 * Every way start-up can fail that an operator can fix ends in one line on
 * stderr naming the setting, and exit code 1: not a stack trace.
 */
export async function run<S extends EmbeddedSandbox>(env: NodeJS.ProcessEnv, startSandbox?: SandboxStarter<S>): Promise<void> {
  const config = configOrExit(env);
  if (config.auth.unprotected) {
    process.stderr.write('WARNING: AUTH_MODE=none with real providers: anyone who can reach this server can read and change routing.\n');
  }
  const backends = await connectBackends(config, startSandbox).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
  const server = await createServer({
    backends,
    cacheTtlMs: config.cacheTtlMs,
    cursorSecret: config.cursorSecret,
    databasePath: config.databaseUrl ?? config.databasePath,
    journalLeaseMs: config.journalLeaseMs,
    recoverySweepMs: config.recoverySweepMs,
    sync: config.sync,
    responseCacheBytes: config.responseCacheBytes,
    uploadLimits: config.upload,
    auth: config.auth,
    http: { introspection: config.introspection, playground: config.playground, corsOrigins: config.corsOrigins },
    ...(config.ringcx.accountIds && { ringcxAccountIds: config.ringcx.accountIds }),
  }).catch(async (error: unknown) => {
    await backends.close();
    if (error instanceof DatabaseOpenError) return fail(`${config.databaseUrl ? 'DATABASE_URL' : 'SWITCHBOARD_DB_PATH'}: ${error.message}`);
    throw error;
  });
  const url = await server.listen(config.port, config.host).catch(async (error: unknown) => {
    await server.close();
    await backends.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') return fail(`PORT=${config.port} is already in use on ${config.host}: set PORT to a free port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return fail(`HOST=${config.host} is not an address of this machine`);
    if (code === 'EACCES') return fail(`PORT=${config.port} needs privileges this process lacks: use a port above 1023`);
    throw error;
  });

  const where = backends.sandboxed.length > 0 ? ` (embedded sandbox: ${backends.sandboxed.join(', ')})` : '';
  process.stdout.write(`Switchboard GraphQL ready at ${url}${where}\n`);

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
}

function configOrExit(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
}

/** One line for the operator, then exit 1. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

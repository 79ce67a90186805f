/**
 * `npm run sandbox`: the four embedded providers, standalone. The first line
 * of stdout is one JSON object with every base URL and credential, so scripts
 * (and the crash test) can start it and read where to connect.
 */
import { loadSandboxSettings } from '../src/config.js';
import { startSandbox } from './index.js';

const sandbox = await startSandbox(loadSandboxSettings());
process.stdout.write(`${JSON.stringify(sandbox.endpoints)}\n`);
process.stderr.write('Sandbox providers running. Control plane: GET /__sandbox/stats, POST /__sandbox/reset, POST /__sandbox/faults. Ctrl-C stops.\n');

const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

/**
 * `npm start`: Switchboard for development, with every provider that has no
 * base URL running on the embedded sandbox (`SWITCHBOARD_SANDBOX=true`, set
 * here). The production start (`src/index.ts`) never imports this folder.
 */
import { run } from '../src/main.js';
import { startSandbox } from './index.js';

await run({ ...process.env, SWITCHBOARD_SANDBOX: process.env.SWITCHBOARD_SANDBOX ?? 'true' }, startSandbox);

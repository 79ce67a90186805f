/**
 * The production start (`npm run serve`, i.e. `node dist/index.js`): built
 * JavaScript, runtime dependencies only, and every provider configured. The
 * embedded sandbox is not part of this build; `npm start` is the
 * development start on it (`sandbox/dev-server.ts`).
 */
import { run } from './main.js';

await run(process.env);

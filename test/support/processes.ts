import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const root = new URL('../../', import.meta.url);

/**
 * Starts `node <args>` with exactly `env` (plus PATH: nothing inherited, so
 * an operator's DATABASE_URL or store path cannot leak in) and resolves with
 * its first stdout line matching `ready`. The child goes into `children` as
 * it is spawned, so {@link stopAll} ends it even when it never gets ready.
 * `args` is e.g. `['--import', 'tsx', 'src/index.ts']`; `cwd` defaults to the
 * repository.
 */
export async function startProgram(
  children: ChildProcess[],
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  cwd: string | URL = root,
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  for await (const line of createInterface({ input: child.stdout! })) if (ready.test(line)) return { child, line };
  throw new Error(`${args.join(' ')} exited before it was ready`);
}

/** SIGKILLs every child still running, and waits for each to exit. */
export async function stopAll(children: readonly ChildProcess[]): Promise<void> {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}

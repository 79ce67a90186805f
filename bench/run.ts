/**
 * `npm run bench`: runs every `bench/*.bench.ts`, one after another, each in
 * its own Node process (so one benchmark's memory does not colour the next
 * one's figures), with `--expose-gc` so a benchmark can start from a
 * collected heap. A file name given on the command line runs only the
 * benchmarks whose names contain it. Benchmarks print their figures; none
 * passes or fails on a threshold, but a benchmark that throws fails the run.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2];
const benches = readdirSync(dir)
  .filter((file) => file.endsWith('.bench.ts') && (!filter || file.includes(filter)))
  .sort();

if (benches.length === 0) {
  process.stderr.write(`no benchmark matches ${filter ?? 'bench/*.bench.ts'}\n`);
  process.exit(1);
}

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n== ${file}\n`);
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', `${dir}${file}`], { stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) {
    failed += 1;
    process.stderr.write(`${file} failed (exit ${code})\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);

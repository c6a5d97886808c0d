/**
 * `bun run bench`: runs every bench/*.bench.ts through `bun test` with explicit paths (the plain
 * `bun test` is rooted at ./tests and never picks them up). Builds dist/techbot first (two
 * seconds), so the start-up bench always measures the binary of the current code.
 *   bun run bench            all benches
 *   bun run bench health     only the files whose name contains "health"
 */
import { join } from 'node:path';

const root = join(import.meta.dir, '..');
const filters = process.argv.slice(2);

const files = [...new Bun.Glob('*.bench.ts').scanSync({ cwd: join(root, 'bench') })]
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort()
  .map((name) => `./bench/${name}`);

if (files.length === 0) {
  console.error(`no bench/*.bench.ts file matches ${filters.join(', ') || '(any)'}`);
  process.exit(1);
}

const run = async (cmd: string[]) => Bun.spawn(cmd, { cwd: root, stdio: ['inherit', 'inherit', 'inherit'] }).exited;

const built = await run([process.execPath, 'run', 'build']);
if (built !== 0) process.exit(built);

// Benches run for tens of seconds each; their own per-test timeouts are the real bound.
process.exit(await run([process.execPath, 'test', '--timeout', '300000', ...files]));

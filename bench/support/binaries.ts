/**
 * The two compiled servers the process benches compare (startup, connections): dist/techbot copied
 * alone into an empty temp dir, and the ceiling, a three-line Bun.serve compiled the same way and
 * answering /health's body.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BINARY = join(import.meta.dir, '../../dist/techbot');
export const HEALTH_BODY = '{"status":"ok"}';
// Same compile flags as `bun run build` minus what only applies to a large app (splitting, bytecode
// order, JIT policy), so the ceiling pays the same runtime start-up cost.
const COMPILE_FLAGS = ['--compile', '--minify', '--bytecode', '--format=esm', '--sourcemap=none'];
const HELLO = `Bun.serve({ port: Number(process.env.PORT), hostname: '127.0.0.1',
  fetch: () => new Response('${HEALTH_BODY}', { headers: { 'content-type': 'application/json;charset=utf-8' } }) });
process.on('SIGTERM', () => process.exit(0));
`;

export interface Binaries {
  /** The temp dir holding both (and whatever the bench puts there); `remove()` deletes it. */
  work: string;
  techbot: string;
  hello: string;
  remove(): void;
}

export async function prepareBinaries(name: string): Promise<Binaries> {
  if (!existsSync(BINARY))
    throw new Error(`${BINARY} is missing: run \`bun run build\` (bun run bench does it for you)`);
  const work = mkdtempSync(join(tmpdir(), `techbot-bench-${name}-`));
  mkdirSync(join(work, 'bin'));
  const techbot = join(work, 'bin/techbot');
  copyFileSync(BINARY, techbot);
  chmodSync(techbot, 0o755);
  await Bun.write(join(work, 'hello.ts'), HELLO);
  const hello = join(work, 'bin/hello');
  const build = Bun.spawnSync([process.execPath, 'build', ...COMPILE_FLAGS, 'hello.ts', '--outfile', hello], {
    cwd: work,
    stdout: 'pipe',
    stderr: 'pipe',
  });
  if (build.exitCode !== 0) throw new Error(`compiling the hello-world server failed: ${build.stderr.toString()}`);
  return { work, techbot, hello, remove: () => rmSync(work, { recursive: true, force: true }) };
}

export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port;
  probe.stop(true);
  if (port === undefined) throw new Error('no free port');
  return port;
}

import type { Subprocess } from 'bun';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dir, '../..');
export const mainEntry = join(repoRoot, 'src/main.ts');

export type Server = Subprocess<'ignore', 'pipe', 'pipe'>;

/** Runs a command to completion with a minimal environment; returns its exit code and output. */
export async function runCommand(command: string[], env: Record<string, string> = {}, cwd = repoRoot) {
  const proc = Bun.spawn(command, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

/** Runs the CLI (`bun src/main.ts ...`) to completion. */
export const runCli = (args: string[], env: Record<string, string>, cwd = repoRoot) =>
  runCommand([process.execPath, mainEntry, ...args], env, cwd);

/**
 * Starts `techbot serve` (the source entry, or a given binary) and resolves once it logs
 * the port it listens on. Output is collected for assertions.
 */
export async function startServer(command: string[], env: Record<string, string>, cwd = repoRoot) {
  const proc = Bun.spawn(command, {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  }) as Server;
  const output = { stdout: '', stderr: '' };
  const { promise: listening, resolve, reject } = Promise.withResolvers<number>();
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) {
      output.stdout += decoder.decode(chunk);
      const match = /"port":(\d+),[^\n]*"msg":"listening"/.exec(output.stdout);
      if (match) resolve(Number(match[1]));
    }
    reject(new Error(`server exited before listening:\n${output.stdout}`));
  })();
  void (async () => {
    output.stderr = await new Response(proc.stderr).text();
  })();
  const port = await listening;
  return { proc, port, output, url: `http://127.0.0.1:${port}` };
}

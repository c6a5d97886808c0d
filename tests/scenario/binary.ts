import { Glob } from 'bun';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startServer } from '../support/process.ts';

export const BINARY = join(repoRoot, 'dist/techbot');

/** Newest modification time of what goes into the binary (sources, migrations, locked dependencies). */
function newestInput(): number {
  let newest = 0;
  for (const pattern of ['src/**/*', 'migrations/**/*', 'package.json', 'bun.lock']) {
    for (const path of new Glob(pattern).scanSync({ cwd: repoRoot, dot: false })) {
      newest = Math.max(newest, statSync(join(repoRoot, path)).mtimeMs);
    }
  }
  return newest;
}

/** `bun run build` when dist/techbot is missing or older than its sources (takes a few seconds). */
export async function ensureBinary(): Promise<string> {
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= newestInput()) return BINARY;
  const build = Bun.spawn([process.execPath, 'run', 'build'], { cwd: repoRoot, stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, code] = await Promise.all([
    new Response(build.stdout).text(),
    new Response(build.stderr).text(),
    build.exited,
  ]);
  if (code !== 0) throw new Error(`bun run build failed (${code}):\n${stdout}\n${stderr}`);
  return BINARY;
}

export type RunningBinary = Awaited<ReturnType<typeof startServer>>;

/** Runs `dist/techbot serve` in `cwd` (an empty temp dir) and resolves once it listens. */
export function startBinary(cwd: string, env: Record<string, string>): Promise<RunningBinary> {
  return startServer([BINARY, 'serve'], env, cwd);
}

/** SIGTERM, then waits for the exit (a test's cleanup). */
export async function stopBinary(binary: RunningBinary): Promise<void> {
  binary.proc.kill('SIGTERM');
  await binary.proc.exited;
}

/** Resolves once the binary logged that it handled the update (`"msg":"telegram update"`, LOG_LEVEL=debug). */
export async function updateHandled(binary: RunningBinary, updateId: number, timeoutMs = 10_000): Promise<void> {
  const line = new RegExp(`"update_id":${updateId},[^\\n]*"msg":"telegram update"`);
  const deadline = Date.now() + timeoutMs;
  while (!line.test(binary.output.stdout)) {
    if (Date.now() > deadline) throw new Error(`the binary did not log handling update ${updateId}`);
    await Bun.sleep(10);
  }
}

/** An API call: a Uint8Array body goes as raw bytes (uploads), any other as JSON. */
export async function call<T = Record<string, unknown>>(
  url: string,
  method: string,
  path: string,
  key?: string,
  body?: Uint8Array | object,
) {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined && !(body instanceof Uint8Array)) headers['content-type'] = 'application/json';
  const payload = body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body);
  const response = await fetch(`${url}${path}`, { method, headers, body: payload });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

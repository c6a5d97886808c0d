/**
 * The chart renders inside a compiled binary: a tiny program importing src/lib/chart.ts is built
 * with the flags of `bun run build` and run in an empty directory. Its tree mirrors the product's
 * (the program and the chart worker as entry points under one src/, src/lib copied, node_modules
 * linked), so the worker is found where the binary's chart.ts looks for it. Where the machine allows a
 * private mount namespace (root, as in CI), the repository is hidden under an empty tmpfs while
 * it runs, so the WebAssembly and the font can only come from inside the binary. About 6 s.
 */
import { afterAll, expect, test } from 'bun:test';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pngSize } from './png.ts';
import { repoRoot, runCommand } from '../support/process.ts';

/** `unshare -m` with a tmpfs over the repository, when this machine permits it. */
const canHideRepo = Bun.which('unshare') !== null && Bun.spawnSync(['unshare', '-m', 'true']).exitCode === 0;
if (!canHideRepo)
  console.warn('chart binary test: cannot hide the repository (no `unshare -m` here); runs with it visible.');
const hidingRepo = (command: string[]) =>
  canHideRepo ? ['unshare', '-m', 'sh', '-c', 'mount -t tmpfs none "$0" && exec "$@"', repoRoot, ...command] : command;

const dir = mkdtempSync(join(tmpdir(), 'techbot-chart-binary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const program = `
import { renderChartPng } from './lib/chart.ts';
const input = {
  title: 'Ventes et chiffre d’affaires <b>&"', countLabel: 'Ventes', amountLabel: 'CA (€)', locale: 'fr',
  days: Array.from({ length: 30 }, (_, i) => ({ label: String(i + 1), count: i % 7, amount: i * 1234.5 })),
};
const png = await renderChartPng(input);
const untitled = await renderChartPng({ ...input, title: '' });
await Bun.write(process.argv[2], png);
console.log(JSON.stringify({ textDrawn: !Buffer.from(png).equals(Buffer.from(untitled)) }));
`;

test('a compiled binary renders the chart with its embedded WebAssembly and font, away from node_modules', async () => {
  cpSync(join(repoRoot, 'src/lib'), join(dir, 'src/lib'), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  await Bun.write(join(dir, 'src/entry.ts'), program);
  const binary = join(dir, 'chart-check');
  const build = await runCommand(
    [
      process.execPath,
      'build',
      join(dir, 'src/entry.ts'),
      join(dir, 'src/lib/chart-worker.ts'),
      '--compile',
      '--splitting',
      '--minify',
      '--bytecode',
      '--format=esm',
      '--outfile',
      binary,
    ],
    {},
    repoRoot,
  );
  expect(build.code, build.stderr).toBe(0);

  const runDir = mkdtempSync(join(dir, 'run-'));
  const run = await runCommand(hidingRepo([binary, join(runDir, 'chart.png')]), {}, runDir);
  expect(run.code, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ textDrawn: true });
  const png = new Uint8Array(await Bun.file(join(runDir, 'chart.png')).arrayBuffer());
  expect(pngSize(png)).toEqual({ width: 1000, height: 500 });
}, 120_000);

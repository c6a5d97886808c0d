/**
 * The deployment files as their own tools read them: `docker-compose config` (the Debian
 * package, no daemon needed) on compose.yml with a .env made from .env.example, and
 * `promtool check config` / `check rules` on monitoring/. Each skips with a reason when its
 * program is missing (.ci/run installs them).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { copyFileSync, existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/env.ts';
import { repoRoot, runCommand } from '../support/process.ts';

const compose = Bun.which('docker-compose');
const promtool = Bun.which('promtool');
if (!compose) console.warn('compose check skipped: no `docker-compose` on PATH (Debian package `docker-compose`).');
if (!promtool) console.warn('promtool checks skipped: no `promtool` on PATH (Debian package `prometheus`).');

describe.skipIf(!compose)('compose.yml', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  type Run = Awaited<ReturnType<typeof runCommand>>;
  let withPassword: Run;
  let withoutPassword: Run;
  // docker-compose (Python) takes seconds to start: both runs at once, once for the file.
  beforeAll(async () => {
    [withPassword, withoutPassword] = await Promise.all([
      config('GRAFANA_ADMIN_PASSWORD=a-long-admin-password\n'),
      config(''),
    ]);
  }, 60_000);
  afterAll(() => {
    for (const dir of dirs) dir.cleanup();
  });

  /** `docker-compose config` on compose.yml beside a .env from .env.example, the mounted folders linked in. */
  async function config(extraEnv: string) {
    const dir = tempDir('techbot-compose-');
    dirs.push(dir);
    copyFileSync(join(repoRoot, 'compose.yml'), join(dir.path, 'compose.yml'));
    await Bun.write(join(dir.path, '.env'), (await Bun.file(join(repoRoot, '.env.example')).text()) + extraEnv);
    for (const folder of ['deploy', 'monitoring']) symlinkSync(join(repoRoot, folder), join(dir.path, folder));
    return runCommand([compose!, '-f', 'compose.yml', 'config'], {}, dir.path);
  }
  const services = () =>
    (Bun.YAML.parse(withPassword.stdout) as { services: Record<string, Record<string, unknown>> }).services;

  test('is valid, and every file it mounts exists', () => {
    expect({ code: withPassword.code, stderr: withPassword.stderr }).toEqual({ code: 0, stderr: '' });
    expect(Object.keys(services()).sort()).toEqual(['grafana', 'prometheus', 'proxy', 'redis', 'techbot']);
    const mounts = Object.values(services())
      .flatMap((service) => (service.volumes as string[] | undefined) ?? [])
      .map((volume) => volume.split(':')[0]!)
      .filter((source) => source.startsWith('/'));
    expect(mounts.length).toBeGreaterThan(0);
    for (const source of mounts) expect({ source, exists: existsSync(source) }).toEqual({ source, exists: true });
  });

  test('techbot can be scaled: no fixed container name and no published port', () => {
    const techbot = services().techbot!;
    expect(techbot.container_name).toBeUndefined();
    expect(techbot.ports).toBeUndefined();
    expect(techbot.volumes).toEqual(['techbot-data:/data:rw']);
  });

  test('refuses to start Grafana without an admin password from .env', () => {
    expect(withoutPassword.code).not.toBe(0);
    expect(withoutPassword.stderr).toContain('set GRAFANA_ADMIN_PASSWORD in .env');
  });
});

describe.skipIf(!promtool)('monitoring/', () => {
  test('prometheus.yml passes `promtool check config` (with alerts.yml)', async () => {
    const { code, stdout, stderr } = await runCommand([promtool!, 'check', 'config', 'monitoring/prometheus.yml']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('SUCCESS: 1 rule files found');
  });

  test('alerts.yml passes `promtool check rules`', async () => {
    const { code, stdout, stderr } = await runCommand([promtool!, 'check', 'rules', 'monitoring/alerts.yml']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('SUCCESS: 5 rules found');
  });
});

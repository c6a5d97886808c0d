import { Database } from 'bun:sqlite';
import { afterEach, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pkg from '../package.json' with { type: 'json' };
import { openStore } from '../src/store/database.ts';
import { migrate } from '../src/store/migrate.ts';
import { embeddedMigrations } from '../src/store/migrations.gen.ts';
import { tempDir } from './support/env.ts';
import { mainEntry, runCli, startServer } from './support/process.ts';

// Each test starts the program in its own process (a second on a busy 2-core machine, several for `serve`).
setDefaultTimeout(20_000);

const dirs: { cleanup(): void }[] = [];
function dataDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir.path;
}
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('CLI exit codes', () => {
  test('version prints the package version and exits 0', async () => {
    const { code, stdout } = await runCli(['version'], {});
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(pkg.version);
  });

  test('an unknown command prints usage and exits 64', async () => {
    const { code, stderr } = await runCli(['frobnicate'], {});
    expect(code).toBe(64);
    expect(stderr).toContain('usage: techbot');
  });

  test('bad configuration exits 2 with one line per bad variable and no secret', async () => {
    const secret = 'do-not-print-me-123';
    const { code, stdout, stderr } = await runCli(['serve'], {
      PORT: 'abc',
      RATE_LIMIT_WINDOW: '-1',
      TELEGRAM_TOKEN: secret,
      SMTP_PASSWORD: 'valid-password-also-secret',
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('PORT='))).toContain('expected an integer');
    expect(lines.find((l) => l.startsWith('RATE_LIMIT_WINDOW='))).toContain('expected');
    expect(lines.find((l) => l.startsWith('TELEGRAM_TOKEN='))).toContain('(value hidden)');
    expect(stderr + stdout).not.toContain(secret);
    expect(stderr + stdout).not.toContain('valid-password-also-secret');
  });

  test('an http:// PUBLIC_URL with the official Bot API and a token exits 2 with one clear line', async () => {
    const token = '123456789:AAHfakeTokenValue_abcdefghijklmnop';
    const { code, stderr } = await runCli(['serve'], {
      TELEGRAM_TOKEN: token,
      PUBLIC_URL: 'http://shop.example.com',
      DATA_DIR: dataDir(),
    });
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^PUBLIC_URL="http:\/\/shop\.example\.com" is invalid: expected an https:\/\/ URL/),
    ]);
    expect(stderr).not.toContain(token);
  });

  test('migrate applies pending migrations once', async () => {
    const env = { DATA_DIR: dataDir() };
    const first = await runCli(['migrate'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('applied: 0000_init');
    const second = await runCli(['migrate'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('up to date');
  });

  test('a refused migration: migrate and serve say which and why in one line, exit 1, and change nothing', async () => {
    const dir = dataDir();
    const store = openStore(join(dir, 'techbot.db'));
    migrate(
      store.db,
      embeddedMigrations.slice(
        0,
        embeddedMigrations.findIndex((m) => m.tag === '0016_money_path_plain_rowids'),
      ),
    );
    store.sqlite.run('PRAGMA foreign_keys = OFF');
    store.sqlite.run(
      "INSERT INTO order_events (order_id, to_status, actor, created_at) VALUES ('ORD-GONE', 'paid', 'hand', 1)",
    );
    store.close();
    const refusal =
      'database migration 0016_money_path_plain_rowids failed, nothing was changed: FOREIGN KEY constraint failed';

    const migrating = await runCli(['migrate'], { DATA_DIR: dir });
    expect(migrating.code).toBe(1);
    expect(migrating.stderr.trim().split('\n')).toEqual([expect.stringContaining(refusal)]);
    const serving = await runCli(['serve'], { DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' });
    expect(serving.code).toBe(1);
    const fatal = serving.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; migration?: string; msg: string })
      .filter((line) => line.level === 60);
    expect(fatal).toEqual([
      expect.objectContaining({ migration: '0016_money_path_plain_rowids', msg: expect.stringContaining(refusal) }),
    ]);
    const after = new Database(join(dir, 'techbot.db'), { readonly: true });
    expect(after.query("SELECT COUNT(*) AS n FROM order_events WHERE order_id = 'ORD-GONE'").get()).toEqual({ n: 1 });
    after.close();
  });

  test('backup writes a database that opens; refuses a missing or existing target', async () => {
    const dir = dataDir();
    const target = join(dir, 'copy.db');
    const ok = await runCli(['backup', target], { DATA_DIR: dir });
    expect(ok.code).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.query('SELECT count(*) AS n FROM categories').get()).toEqual({ n: 7 });
    copy.close();
    expect((await runCli(['backup'], { DATA_DIR: dir })).code).toBe(64);
    const again = await runCli(['backup', target], { DATA_DIR: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  test('healthcheck exits 1 when nothing answers', async () => {
    const free = Bun.serve({ port: 0, fetch: () => new Response() });
    const port = String(free.port);
    await free.stop(true);
    expect((await runCli(['healthcheck'], { PORT: port, HOST: '127.0.0.1' })).code).toBe(1);
  });
});

describe('serve', () => {
  test('serves health and readiness, says which integrations are off, stops cleanly on SIGTERM', async () => {
    const dir = dataDir();
    const server = await startServer([process.execPath, mainEntry, 'serve'], { DATA_DIR: dir });
    expect(existsSync(join(dir, 'techbot.db'))).toBe(true);
    expect(server.output.stdout).toContain('integrations disabled');
    expect(server.output.stdout).toContain('TELEGRAM_TOKEN not set');
    expect(server.output.stdout).toContain('"msg":"database migrated"');

    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; components: Record<string, { status: string }> };
    expect(body.status).toBe('ready');
    expect(body.components.database?.status).toBe('up');
    expect(body.components.telegram?.status).toBe('disabled');

    const check = await runCli(['healthcheck'], { PORT: String(server.port), HOST: '127.0.0.1' });
    expect(check.code).toBe(0);

    server.proc.kill('SIGTERM');
    expect(await server.proc.exited).toBe(0);
    expect(server.output.stdout).toContain('"msg":"stopped"');
    // A clean close checkpoints the WAL and removes it.
    expect(existsSync(join(dir, 'techbot.db-wal'))).toBe(false);

    const restarted = await startServer([process.execPath, mainEntry], { DATA_DIR: dir });
    expect((await fetch(`${restarted.url}/health`)).status).toBe(200);
    restarted.proc.kill('SIGINT');
    expect(await restarted.proc.exited).toBe(0);
    expect(restarted.output.stdout).not.toContain('database migrated');
  });

  test('a SIGTERM as soon as /health answers, before start-up has finished, still stops cleanly', async () => {
    const dir = dataDir();
    const free = Bun.serve({ port: 0, fetch: () => new Response() });
    const port = free.port;
    await free.stop(true);
    const proc = Bun.spawn([process.execPath, mainEntry, 'serve'], {
      env: { ...process.env, DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    // As an orchestrator's probe does: the first 200, and the stop right behind it.
    for (let tries = 0; tries < 5000; tries++) {
      const health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      if (health?.status === 200) break;
      await Bun.sleep(1);
    }
    proc.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(await new Response(proc.stdout).text()).toContain('"msg":"stopped"');
  });
});

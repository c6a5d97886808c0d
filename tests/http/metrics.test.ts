import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { version } from '../../src/version.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Samples of the Prometheus text format (comments skipped). */
function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1]!, labels: labels as Record<string, string>, value: Number(match[3]) };
    });
}

const find = (all: Sample[], name: string, labels: Record<string, string>) =>
  all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

const promtool = Bun.which('promtool');
if (!promtool) console.warn('promtool check skipped: no `promtool` on PATH (Debian package `prometheus`).');

describe('/metrics', () => {
  let running: TestApp;
  let text: string;
  beforeAll(async () => {
    running = await startTestApp();
    for (const path of ['/api/categories', '/api/categories', '/nowhere/at/all', '/api/products/TBF-0000-AAAAAA']) {
      await (await running.call('GET', path)).arrayBuffer();
    }
    // Requests are counted once their response is sent: wait until the last one shows.
    for (let attempt = 0; ; attempt++) {
      const response = await running.call('GET', '/metrics');
      expect(response.headers.get('content-type')).toContain('text/plain');
      text = await response.text();
      if (find(samples(text), 'http_requests_total', { route: '/api/products/:id' }) || attempt === 50) break;
      await Bun.sleep(10);
    }
  });
  afterAll(() => running.stop());

  test('counts requests by route pattern, never by raw path', () => {
    const all = samples(text);
    expect(find(all, 'http_requests_total', { method: 'GET', route: '/api/categories', status: '200' })?.value).toBe(2);
    expect(find(all, 'http_requests_total', { method: 'GET', route: '/api/products/:id', status: '404' })?.value).toBe(
      1,
    );
    expect(find(all, 'http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })?.value).toBe(1);
    expect(find(all, 'http_request_duration_seconds_count', { route: '/api/products/:id' })?.value).toBe(1);
    expect(text).not.toContain('TBF-0000-AAAAAA');
    expect(text).not.toContain('/nowhere');
  });

  test('exposes cache hits and misses, build info and database timings', () => {
    const all = samples(text);
    expect(find(all, 'cache_hits_total', { cache: 'catalog' })?.value).toBeGreaterThanOrEqual(1);
    expect(find(all, 'cache_misses_total', { cache: 'catalog' })?.value).toBeGreaterThanOrEqual(1);
    expect(find(all, 'app_build_info', { version })?.value).toBe(1);
    expect(text).toContain(`app_build_info{version="${version}"} 1\n`);
    expect(text).toContain('# TYPE db_query_duration_seconds histogram\n');
  });

  test('leaves out the default gauges that promtool rejects', () => {
    for (const name of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ]) {
      expect(text).not.toContain(name);
    }
  });

  test.skipIf(!promtool)('passes `promtool check metrics` without a word', async () => {
    const proc = Bun.spawn([promtool!, 'check', 'metrics'], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
    proc.stdin.write(text);
    await proc.stdin.end();
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    expect({ code, output: stdout + stderr }).toEqual({ code: 0, output: '' });
  });
});

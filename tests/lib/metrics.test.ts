import { expect, spyOn, test } from 'bun:test';
import v8 from 'node:v8';
import { createMetrics } from '../../src/lib/metrics.ts';

test('a scrape never walks the heap: no V8 heap-space statistics, the process figures stay', async () => {
  // Under Bun each call walks every live object: hundreds of ms on a large heap, per scrape.
  const walk = spyOn(v8, 'getHeapSpaceStatistics');
  try {
    const { registry } = createMetrics({ version: 'test' });
    const text = await registry.metrics();
    expect(walk).not.toHaveBeenCalled();
    expect(text).not.toContain('nodejs_heap_space_size');
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_open_fds',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(text).toMatch(new RegExp(`^${name} \\d`, 'm'));
    }
  } finally {
    walk.mockRestore();
  }
});

test('process CPU counters: user plus system is the total, and each scrape adds the CPU spent since the last', async () => {
  const { registry } = createMetrics({ version: 'test' });
  const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  const first = await registry.metrics();
  const spin = process.cpuUsage();
  while (process.cpuUsage(spin).user < 20_000); // 20 ms of user CPU
  const second = await registry.metrics();
  const [user, system, total] = ['user_', 'system_', ''].map((part) =>
    value(second, `process_cpu_${part}seconds_total`),
  );
  expect(total).toBeCloseTo(user! + system!, 6);
  expect(user! - value(first, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0.02);
});

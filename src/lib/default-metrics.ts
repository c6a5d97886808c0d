import { Counter, type Registry } from './prom.ts';
import eventLoopLag from 'prom-client/lib/metrics/eventLoopLag.js';
import gc from 'prom-client/lib/metrics/gc.js';
import heapSizeAndUsed from 'prom-client/lib/metrics/heapSizeAndUsed.js';
import osMemoryHeap from 'prom-client/lib/metrics/osMemoryHeap.js';
import processHandles from 'prom-client/lib/metrics/processHandles.js';
import processMaxFileDescriptors from 'prom-client/lib/metrics/processMaxFileDescriptors.js';
import processOpenFileDescriptors from 'prom-client/lib/metrics/processOpenFileDescriptors.js';
import processRequests from 'prom-client/lib/metrics/processRequests.js';
import processResources from 'prom-client/lib/metrics/processResources.js';
import processStartTime from 'prom-client/lib/metrics/processStartTime.js';
import version from 'prom-client/lib/metrics/version.js';

/**
 * prom-client's `process_cpu_*` counters, the same three names and values, without its collector
 * module: that one loads @opentelemetry/api (for exemplars we do not enable) at every start.
 */
function processCpu(registry: Registry): void {
  let last = process.cpuUsage();
  const counter = (name: string, help: string, collect?: () => void) =>
    new Counter({ name, help, registers: [registry], collect });
  const user = counter('process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.', () => {
    const now = process.cpuUsage();
    const userSeconds = (now.user - last.user) / 1e6;
    const systemSeconds = (now.system - last.system) / 1e6;
    last = now;
    user.inc(userSeconds);
    system.inc(systemSeconds);
    total.inc(userSeconds + systemSeconds);
  });
  const system = counter('process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.');
  const total = counter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.');
}

/**
 * prom-client's default metrics without `nodejs_heap_space_size_*`: under Bun,
 * `v8.getHeapSpaceStatistics()` walks the whole JavaScript heap (270 ms with two million live
 * objects, at every scrape and once when the gauges are made) to report V8 spaces that JSC does
 * not have (11 of the 13 are always 0). The heap's size stays, from `process.memoryUsage()`.
 */
const COLLECTORS = [
  processCpu,
  processStartTime,
  osMemoryHeap,
  processOpenFileDescriptors,
  processMaxFileDescriptors,
  eventLoopLag,
  processResources,
  processHandles,
  processRequests,
  heapSizeAndUsed,
  version,
  gc,
];

/**
 * prom-client's defaults include three gauges named `*_total`; promtool rejects a `_total`
 * suffix on anything but a counter, and each duplicates a metric kept without the suffix.
 */
const REJECTED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** The process metrics (CPU, memory, file descriptors, event loop lag, GC) into `registry`. */
export function collectProcessMetrics(registry: Registry): void {
  for (const collect of COLLECTORS) collect(registry, { eventLoopMonitoringPrecision: 10 });
  for (const name of REJECTED_DEFAULTS) registry.removeSingleMetric(name);
}

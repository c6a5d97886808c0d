import type * as prom from 'prom-client';
import CounterClass from 'prom-client/lib/counter.js';
import GaugeClass from 'prom-client/lib/gauge.js';
import HistogramClass from 'prom-client/lib/histogram.js';
import RegistryClass from 'prom-client/lib/registry.js';

/**
 * prom-client's four classes the app uses, taken from their own files: its index also loads the
 * Pushgateway (node:http and node:https), the cluster aggregator and every default collector, ~25 ms
 * of CPU at each start for nothing we use. Import metric classes from here, not from 'prom-client'.
 */
export const Counter = CounterClass as typeof prom.Counter;
export const Gauge = GaugeClass as typeof prom.Gauge;
export const Histogram = HistogramClass as typeof prom.Histogram;
export const Registry = RegistryClass as typeof prom.Registry;
export type Counter<T extends string = string> = prom.Counter<T>;
export type Gauge<T extends string = string> = prom.Gauge<T>;
export type Histogram<T extends string = string> = prom.Histogram<T>;
export type Registry = prom.Registry;

/** prom-client's default collectors, one module each (lib/metrics/*.js): `(registry, config)`. */
declare module 'prom-client/lib/metrics/*' {
  const collect: (registry: import('prom-client').Registry, config?: { eventLoopMonitoringPrecision?: number }) => void;
  export default collect;
}

/** prom-client's classes, one module each (lib/*.js), re-exported with their types by lib/prom.ts. */
declare module 'prom-client/lib/counter.js' {
  const Counter: unknown;
  export default Counter;
}
declare module 'prom-client/lib/gauge.js' {
  const Gauge: unknown;
  export default Gauge;
}
declare module 'prom-client/lib/histogram.js' {
  const Histogram: unknown;
  export default Histogram;
}
declare module 'prom-client/lib/registry.js' {
  const Registry: unknown;
  export default Registry;
}

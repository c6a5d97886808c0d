/** prom-client's default collectors, one module each (lib/metrics/*.js): `(registry, config)`. */
declare module 'prom-client/lib/metrics/*' {
  const collect: (registry: import('prom-client').Registry, config?: { eventLoopMonitoringPrecision?: number }) => void;
  export default collect;
}

import { Elysia, t } from 'elysia';
import type { Metrics } from '../../lib/metrics.ts';

/**
 * Counts and times every request by route pattern (never the raw URL, whose ids would make
 * one series per product), and serves the registry on /metrics.
 */
export const metricsPlugin = (metrics: Metrics) => {
  const started = new WeakMap<Request, number>();
  return new Elysia({ name: 'metrics' })
    .onRequest(({ request }) => {
      started.set(request, performance.now());
    })
    .onAfterResponse({ as: 'global' }, ({ request, route, set }) => {
      const start = started.get(request);
      if (start === undefined) return;
      const labels = { method: request.method, route: route || 'unmatched' };
      const status = typeof set.status === 'number' ? set.status : 200;
      metrics.http.requests.inc({ ...labels, status: String(status) });
      metrics.http.duration.observe(labels, (performance.now() - start) / 1000);
    })
    .get(
      '/metrics',
      async () =>
        new Response(await metrics.registry.metrics(), {
          headers: { 'content-type': metrics.registry.contentType },
        }),
      {
        response: t.String({ description: 'Prometheus text exposition format' }),
        detail: { operationId: 'getMetrics', summary: 'Prometheus metrics', tags: ['Operations'], security: [] },
      },
    );
};

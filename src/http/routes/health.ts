import { Elysia, t } from 'elysia';

export interface ComponentState {
  /** degraded: serving without it (a fallback), readiness holds. */
  status: 'up' | 'starting' | 'degraded' | 'down' | 'disabled';
  detail?: string;
  /** When the component entered this status (ISO 8601), for those that track it. */
  since?: string;
  /** Down for less than its grace period: shown, but readiness still holds. */
  grace?: boolean;
}

export type ReadinessProbe = () => Record<string, ComponentState>;

const component = t.Object({
  status: t.Union([
    t.Literal('up'),
    t.Literal('starting'),
    t.Literal('degraded'),
    t.Literal('down'),
    t.Literal('disabled'),
  ]),
  detail: t.Optional(t.String()),
  since: t.Optional(t.String({ format: 'date-time' })),
  grace: t.Optional(t.Boolean({ description: 'Down for less than its grace period: readiness still holds.' })),
});

/**
 * Liveness for orchestrators, readiness with the state of each component: 503 while one is
 * down beyond its grace period; `starting` and `degraded` do not fail it.
 */
export const healthRoutes = (probe: ReadinessProbe) =>
  new Elysia({ name: 'health' })
    .get('/health', () => ({ status: 'ok' as const }), {
      response: t.Object({ status: t.Literal('ok') }),
      detail: { operationId: 'getHealth', summary: 'Liveness', tags: ['Operations'], security: [] },
    })
    .get(
      '/ready',
      ({ set }) => {
        const components = probe();
        const ready = Object.values(components).every((c) => c.status !== 'down' || c.grace === true);
        if (!ready) set.status = 503;
        return { status: ready ? ('ready' as const) : ('not_ready' as const), components };
      },
      {
        response: {
          200: t.Object({ status: t.Literal('ready'), components: t.Record(t.String(), component) }),
          503: t.Object({ status: t.Literal('not_ready'), components: t.Record(t.String(), component) }),
        },
        detail: {
          operationId: 'getReadiness',
          summary: 'Readiness: database open and migrated, integrations',
          tags: ['Operations'],
          security: [],
        },
      },
    );

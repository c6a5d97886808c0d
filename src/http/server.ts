import { Elysia } from 'elysia';
import { healthRoutes, type ReadinessProbe } from './routes/health.ts';

export interface HttpDeps {
  readiness: ReadinessProbe;
  maxRequestBodySize: number;
}

/** The HTTP face: builds the Elysia app; app.ts decides when it listens. */
export function createHttpServer(deps: HttpDeps) {
  return new Elysia({ serve: { maxRequestBodySize: deps.maxRequestBodySize } }).use(healthRoutes(deps.readiness));
}

export type HttpServer = ReturnType<typeof createHttpServer>;

import { Elysia, t } from 'elysia';
import { Type } from '@sinclair/typebox';
import type { Admin } from '../../modules/admin/index.ts';
import { JobsQuery, JobView } from '../../modules/admin/ops-model.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin } from '../plugins/auth.ts';
import { adminDetail } from './admin-detail.ts';
import { errors, integerParams, integerQuery } from './responses.ts';

const detail = adminDetail;
const params = t.Object({ id: Type.Integer({ minimum: 1 }) });

/** The job queue for the operator: dead jobs listed, retried or discarded (the same service as the bot). */
export const adminJobRoutes = (admin: Admin, apiKeys: ApiKeys) =>
  new Elysia({ name: 'admin-job-routes', prefix: '/api/admin' })
    .use(authPlugin(apiKeys))
    .get('/jobs', ({ query }) => ({ items: admin.jobs.list({ ...query, status: query.status ?? 'dead' }) }), {
      auth: 'admin',
      query: JobsQuery,
      transform: integerQuery('before', 'limit'),
      response: { 200: t.Object({ items: t.Array(JobView) }), ...errors(401, 403, 422, 429) },
      detail: detail(
        'listJobs',
        'Jobs of the queue, newest first (dead ones by default)',
        'Each with what it was for, its attempts and last error. Page with `before` = the last id of the previous page.',
      ),
    })
    .post('/jobs/:id/retry', ({ params, principal }) => admin.jobs.retry(`key:${principal.keyId}`, params.id), {
      auth: 'admin',
      params,
      transform: integerParams('id'),
      response: { 200: JobView, ...errors(401, 403, 404, 409, 422, 429) },
      detail: detail(
        'retryJob',
        'Send a dead job back to the queue: it runs again at once, with a fresh attempts budget',
        '409 when the job is not dead (already retried, or never failed).',
      ),
    })
    .post('/jobs/:id/discard', ({ params, principal }) => admin.jobs.discard(`key:${principal.keyId}`, params.id), {
      auth: 'admin',
      params,
      transform: integerParams('id'),
      response: { 200: JobView, ...errors(401, 403, 404, 409, 422, 429) },
      detail: detail(
        'discardJob',
        'Delete a dead job (the audit trail keeps what it was); it leaves the dead-jobs figures',
      ),
    });

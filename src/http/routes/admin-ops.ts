import { Elysia, t } from 'elysia';
import { Type } from '@sinclair/typebox';
import type { Admin } from '../../modules/admin/index.ts';
import {
  AuditEntry,
  AuditQuery,
  BanBody,
  ModerationBody,
  RefundBody,
  RefundResult,
  SuspensionBody,
} from '../../modules/admin/model.ts';
import { toOrderView } from '../../modules/orders/service.ts';
import { Order } from '../../modules/orders/model.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin } from '../plugins/auth.ts';
import { adminDetail } from './admin-detail.ts';
import { jsonBody, jsonErrors } from './json-body.ts';
import { errors, integerQuery, integerParams } from './responses.ts';

const detail = adminDetail;
const idParams = t.Object({ id: t.String({ minLength: 1, maxLength: 40 }) });
const numericId = t.Object({ id: Type.Integer({ minimum: 1 }) });
const Product = t.Object({
  id: t.String(),
  title: t.String(),
  status: t.String(),
  status_reason: t.Union([t.String(), t.Null()]),
});

/** The operator's HTTP API: the audit trail, refunds and moderation (the same services as the bot). */
export const adminOpsRoutes = (admin: Admin, apiKeys: ApiKeys) =>
  new Elysia({ name: 'admin-ops-routes', prefix: '/api/admin' })
    .use(authPlugin(apiKeys))
    .get('/audit', ({ query }) => ({ items: admin.audit.list(query) }), {
      auth: 'admin',
      query: AuditQuery,
      transform: integerQuery('before', 'limit'),
      response: { 200: t.Object({ items: t.Array(AuditEntry) }), ...errors(401, 403, 422, 429) },
      detail: detail(
        'listAdminActions',
        'Every admin action (bot and API), newest first',
        'Refused attempts at the bot admin area are listed as `access_denied`.',
      ),
    })
    .get('/refunds', ({ query }) => ({ items: admin.refunds.refunded(query.limit).map(toOrderView) }), {
      auth: 'admin',
      query: t.Object({ limit: t.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
      transform: integerQuery('limit'),
      response: { 200: t.Object({ items: t.Array(Order) }), ...errors(401, 403, 422, 429) },
      detail: detail('listRefunds', 'Refunded orders, newest first'),
    })
    .post(
      '/refunds',
      async ({ body, principal, set }) => {
        set.status = 201;
        return admin.refunds.refund(`key:${principal.keyId}`, body);
      },
      {
        auth: 'admin',
        ...jsonBody,
        body: RefundBody,
        response: { 201: RefundResult, ...jsonErrors(401, 403, 404, 409, 422, 429, 503) },
        detail: detail(
          'refundOrder',
          'Refund a paid order',
          'Stars: refunded through Telegram (refundStarPayment). Crypto: marked refunded (`note` required, optional `tx_hash` checked for `network`). Either way the access is revoked, the ledger reversed and both parties told.',
        ),
      },
    )
    .post(
      '/products/:id/moderation',
      async ({ params, body, principal }) => {
        const actor = `key:${principal.keyId}`;
        const row =
          body.action === 'take_down'
            ? await admin.moderation.takeDown(actor, params.id, body.reason)
            : await admin.moderation.restore(actor, params.id);
        return { id: row.id, title: row.title, status: row.status, status_reason: row.statusReason };
      },
      {
        auth: 'admin',
        params: idParams,
        ...jsonBody,
        body: ModerationBody,
        response: { 200: Product, ...jsonErrors(401, 403, 404, 409, 422, 429) },
        detail: detail(
          'moderateProduct',
          'Take a course down (reason required) or restore it',
          'Gone from lists and search at once; buyers keep their access; the seller is told.',
        ),
      },
    )
    .post(
      '/sellers/:id/suspension',
      async ({ params, body, principal }) => {
        const { seller, courses } = await admin.moderation.suspendSeller(
          `key:${principal.keyId}`,
          params.id,
          body.suspended,
          body.reason,
        );
        return { seller_id: seller.id, status: seller.status, courses };
      },
      {
        auth: 'admin',
        params: numericId,
        transform: integerParams('id'),
        ...jsonBody,
        body: SuspensionBody,
        response: {
          200: t.Object({
            seller_id: Type.Integer(),
            status: t.String(),
            courses: Type.Integer({ description: 'Courses hidden or shown' }),
          }),
          ...jsonErrors(401, 403, 404, 409, 422, 429),
        },
        detail: detail(
          'suspendSeller',
          'Suspend a seller (reason required; their courses leave the catalog) or restore them',
        ),
      },
    )
    .post(
      '/users/:id/ban',
      async ({ params, body, principal }) => {
        const user = await admin.moderation.ban(`key:${principal.keyId}`, params.id, body.banned, body.reason);
        return { user_id: user.id, banned: user.banned, reason: user.bannedReason };
      },
      {
        auth: 'admin',
        params: numericId,
        transform: integerParams('id'),
        ...jsonBody,
        body: BanBody,
        response: {
          200: t.Object({ user_id: Type.Integer(), banned: t.Boolean(), reason: t.Union([t.String(), t.Null()]) }),
          ...jsonErrors(401, 403, 404, 422, 429),
        },
        detail: detail('banUser', 'Ban a user (reason required; the bot ignores them but for /start) or unban them'),
      },
    );

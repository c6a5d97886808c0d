import { Type } from '@sinclair/typebox';
import { Elysia, t } from 'elysia';
import type { Admin } from '../../modules/admin/index.ts';
import { Stats, StatsQuery, Ticket, TicketReplyBody, TicketsQuery } from '../../modules/admin/model.ts';
import type { TicketRow } from '../../modules/support/inbox.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin, bearerSecurity } from '../plugins/auth.ts';
import { jsonBody, jsonErrors } from './json-body.ts';
import { errors, integerQuery, integerParams } from './responses.ts';

const tags = ['Admin'];
const detail = (operationId: string, summary: string) => ({ tags, operationId, summary, security: bearerSecurity });
const ticketId = t.Object({ id: Type.Integer({ minimum: 1 }) });
const iso = (ms: number) => new Date(ms).toISOString();
const toTicket = (row: TicketRow) => ({
  id: row.id,
  user_id: row.userId,
  order_id: row.orderId,
  status: row.status,
  message: row.message,
  admin_reply: row.adminReply,
  created_at: iso(row.createdAt),
  updated_at: iso(row.updatedAt),
});

/** The operator's dashboard and support inbox over HTTP (the same services as the bot's screens). */
export const adminInboxRoutes = (admin: Admin, apiKeys: ApiKeys) =>
  new Elysia({ name: 'admin-inbox-routes', prefix: '/api/admin' })
    .use(authPlugin(apiKeys))
    .get('/stats', ({ query }) => admin.stats.stats(query.period ?? 'today'), {
      auth: 'admin',
      query: StatsQuery,
      response: { 200: Stats, ...errors(401, 403, 422, 429) },
      detail: detail('getStats', 'Marketplace figures for a period (today, 7d, 30d, all) and the last 30 days'),
    })
    .get(
      '/tickets',
      ({ query }) => ({ items: admin.tickets.list(query.status ?? 'open', query.limit).map(toTicket) }),
      {
        auth: 'admin',
        query: TicketsQuery,
        transform: integerQuery('limit'),
        response: { 200: t.Object({ items: t.Array(Ticket) }), ...errors(401, 403, 422, 429) },
        detail: detail('listTickets', 'Support tickets by state; open ones oldest first'),
      },
    )
    .post(
      '/tickets/:id/reply',
      async ({ params, body, principal }) =>
        toTicket(await admin.tickets.reply(`key:${principal.keyId}`, params.id, body.text)),
      {
        auth: 'admin',
        params: ticketId,
        transform: integerParams('id'),
        ...jsonBody,
        body: TicketReplyBody,
        response: { 200: Ticket, ...jsonErrors(401, 403, 404, 409, 422, 429) },
        detail: detail(
          'replyTicket',
          'Answer a ticket (the user gets it in the bot, and by e-mail when the notify module is connected)',
        ),
      },
    )
    .post(
      '/tickets/:id/close',
      ({ params, principal }) => toTicket(admin.tickets.close(`key:${principal.keyId}`, params.id)),
      {
        auth: 'admin',
        params: ticketId,
        transform: integerParams('id'),
        response: { 200: Ticket, ...errors(401, 403, 404, 409, 422, 429) },
        detail: detail('closeTicket', 'Close a ticket'),
      },
    );

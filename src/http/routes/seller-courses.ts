import { Type } from '@sinclair/typebox';
import { Elysia, t } from 'elysia';
import { Product, ProductIdParam } from '../../modules/catalog/model.ts';
import type { Sellers } from '../../modules/sellers/index.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin, bearerSecurity } from '../plugins/auth.ts';
import { errors, integerQuery } from './responses.ts';
import { sellerIdOf } from './sellers.ts';

const tags = ['Sellers'];
const DEFAULT_LIMIT = 20;

const SellerCourse = t.Composite([
  Product,
  t.Object({
    sales: t.Object({
      sales: Type.Integer(),
      revenue_cents: Type.Integer(),
      net_cents: Type.Integer({ description: "The seller's share: revenue less the platform fee" }),
    }),
  }),
]);

/**
 * A seller's own courses, as /mycourses shows them: every status but deleted, with their sales;
 * and deleting one. Editing, taking off sale and a new file go through PATCH /api/products/{id}.
 */
export const sellerCourseRoutes = (sellers: Pick<Sellers, 'courses'>, apiKeys: ApiKeys) =>
  new Elysia({ name: 'seller-course-routes', prefix: '/api/seller' })
    .use(authPlugin(apiKeys))
    .get(
      '/courses',
      ({ principal, query }) => {
        const limit = query.limit ?? DEFAULT_LIMIT;
        const { items, total } = sellers.courses.pageWithSales(sellerIdOf(principal), query.page ?? 0, limit);
        return { items, total };
      },
      {
        auth: 'seller',
        query: t.Object({
          page: t.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'Page number, from 0' })),
          limit: t.Optional(
            Type.Integer({ minimum: 1, maximum: 100, description: `Page size (default ${DEFAULT_LIMIT})` }),
          ),
        }),
        transform: integerQuery('page', 'limit'),
        response: {
          200: t.Object({ items: t.Array(SellerCourse), total: Type.Integer({ description: 'Courses not deleted' }) }),
          ...errors(401, 403, 422, 429),
        },
        detail: {
          tags,
          summary: "The key's courses, newest first, on sale or not, each with its sales",
          operationId: 'listSellerCourses',
          security: bearerSecurity,
        },
      },
    )
    .delete(
      '/courses/:id',
      ({ principal, params, set }) => {
        sellers.courses.remove(sellerIdOf(principal), params.id);
        set.status = 204;
      },
      {
        auth: 'seller',
        params: ProductIdParam,
        response: { 204: t.Void({ description: 'Deleted' }), ...errors(401, 403, 404, 422, 429) },
        detail: {
          tags,
          summary: 'Delete a course: it leaves the catalogue and this list; buyers keep their access',
          description:
            'A soft delete: orders keep referring to it and buyers can still download it. ' +
            'To take a course off sale for a while, PATCH /api/products/{id} with `status: inactive`.',
          operationId: 'deleteSellerCourse',
          security: bearerSecurity,
        },
      },
    );

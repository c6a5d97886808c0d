import { Elysia, t } from 'elysia';
import {
  Category,
  CreateProductBody,
  ListProductsQuery,
  PageQuery,
  Product,
  ProductIdParam,
  ProductPage,
  ReviewPage,
  UpdateProductBody,
} from '../../modules/catalog/model.ts';
import type { Catalog } from '../../modules/catalog/service.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import { authPlugin, bearerSecurity } from '../plugins/auth.ts';
import { jsonBody, jsonErrors } from './json-body.ts';
import { errors, integerQuery, rawJson } from './responses.ts';

const tags = ['Catalog'];
/** Reads are public: an empty requirement says so explicitly. */
const security: [] = [];

export const catalogRoutes = (catalog: Catalog, apiKeys: ApiKeys) =>
  new Elysia({ name: 'catalog-routes', prefix: '/api' })
    .use(authPlugin(apiKeys))
    .get('/categories', async ({ set }) => rawJson(await catalog.json.categories(), set), {
      response: { 200: t.Array(Category), ...errors(429) },
      detail: {
        tags,
        operationId: 'listCategories',
        summary: 'List categories with their number of active products',
        security,
      },
    })
    .get('/products', async ({ query, set }) => rawJson(await catalog.json.products(query), set), {
      query: ListProductsQuery,
      transform: integerQuery('seller', 'min_price', 'max_price', 'limit'),
      response: { 200: ProductPage, ...errors(400, 404, 422, 429) },
      detail: {
        tags,
        operationId: 'listProducts',
        summary: 'List, filter and search active products',
        description:
          'Keyset pagination: pass `next_cursor` as `cursor` for the next page. `q` searches titles and ' +
          'descriptions (accent-insensitive, prefix matching) or opens a product id directly.',
        security,
      },
    })
    .get('/products/:id', async ({ params, set }) => rawJson(await catalog.json.product(params.id), set), {
      params: ProductIdParam,
      response: { 200: Product, ...errors(404, 422, 429) },
      detail: { tags, operationId: 'getProduct', summary: 'Get an active product by id (case-insensitive)', security },
    })
    .get(
      '/products/:id/reviews',
      async ({ params, query, set }) => rawJson(await catalog.json.reviews(params.id, query.cursor, query.limit), set),
      {
        params: ProductIdParam,
        query: PageQuery,
        transform: integerQuery('limit'),
        response: { 200: ReviewPage, ...errors(400, 404, 422, 429) },
        detail: {
          tags,
          operationId: 'listProductReviews',
          summary: "List a product's reviews, newest first",
          security,
        },
      },
    )
    .post(
      '/products',
      ({ principal, body, set }) => {
        set.status = 201;
        return catalog.createProduct(principal, body);
      },
      {
        auth: 'seller',
        ...jsonBody,
        body: CreateProductBody,
        response: { 201: Product, ...jsonErrors(401, 403, 404, 422, 429) },
        detail: {
          tags,
          operationId: 'createProduct',
          summary: 'Create a product (seller or admin key)',
          security: bearerSecurity,
        },
      },
    )
    .patch('/products/:id', ({ principal, params, body }) => catalog.updateProduct(principal, params.id, body), {
      auth: 'seller',
      params: ProductIdParam,
      ...jsonBody,
      body: UpdateProductBody,
      response: { 200: Product, ...jsonErrors(401, 403, 404, 422, 429) },
      detail: {
        tags,
        operationId: 'updateProduct',
        summary: 'Update a product (its seller or an admin)',
        security: bearerSecurity,
      },
    })
    .delete('/products/:id', ({ principal, params }) => catalog.deactivateProduct(principal, params.id), {
      auth: 'seller',
      params: ProductIdParam,
      response: { 200: Product, ...errors(401, 403, 404, 422, 429) },
      detail: {
        tags,
        operationId: 'deactivateProduct',
        summary: 'Take a product off sale (its seller or an admin)',
        description: 'Products are kept for existing orders; the product becomes `inactive`.',
        security: bearerSecurity,
      },
    });

import { t } from 'elysia';
import { integer, oneOf } from '../../lib/schema.ts';

/** Request and response shapes of the catalog, shared by the HTTP and Telegram faces. */

export const sorts = ['newest', 'bestsellers', 'price_asc', 'price_desc', 'rating', 'relevance'] as const;
export type Sort = (typeof sorts)[number];

export const ProductIdParam = t.Object({
  id: t.String({ minLength: 1, maxLength: 40, description: 'Product id, like TBF-2611-ABCDEF (any case)' }),
});

export const ListProductsQuery = t.Object({
  category: t.Optional(t.String({ maxLength: 40, description: 'Category id or slug' })),
  // Every parameter at its longest, fully percent-encoded (9 bytes a character), must still fit
  // in the 16 KiB Bun allows a request's line and headers; past that it answers 431 itself.
  q: t.Optional(t.String({ maxLength: 1000, description: 'Full-text search, or a product id' })),
  seller: t.Optional(integer({ minimum: 1, description: 'Seller id' })),
  min_price: t.Optional(integer({ minimum: 0, description: 'Minimum price in cents' })),
  max_price: t.Optional(integer({ minimum: 0, description: 'Maximum price in cents' })),
  sort: t.Optional(
    oneOf(sorts, {
      description: 'Order; `relevance` (the default with `q`) needs `q`',
      error: `sort must be one of ${sorts.join(', ')}`,
    }),
  ),
  cursor: t.Optional(t.String({ maxLength: 500, description: '`next_cursor` of the previous page' })),
  limit: t.Optional(integer({ minimum: 1, maximum: 100, description: 'Page size, 1 to 100 (default 20)' })),
});
export type ListProductsInput = typeof ListProductsQuery.static;

export const PageQuery = t.Object({
  cursor: t.Optional(t.String({ maxLength: 500 })),
  limit: t.Optional(integer({ minimum: 1, maximum: 100 })),
});

const Money = {
  price_cents: integer({ minimum: 1, maximum: 100_000_000, description: 'Price in minor units (cents)' }),
  stars_price: t.Union([integer({ minimum: 1, maximum: 1_000_000 }), t.Null()], {
    description: 'Price in Telegram Stars; null derives it from the price',
  }),
};

export const Category = t.Object({
  id: integer(),
  slug: t.String(),
  name: t.String({ description: 'English name' }),
  name_fr: t.String(),
  emoji: t.String(),
  product_count: integer({ description: 'Active products in the category' }),
});

export const Product = t.Object({
  id: t.String({ examples: ['TBF-2611-ABCDEF'] }),
  title: t.String(),
  description: t.String(),
  price_cents: Money.price_cents,
  currency: t.String({ examples: ['USD'] }),
  stars_price: Money.stars_price,
  status: oneOf(['active', 'inactive', 'banned']),
  category: t.Object({ id: integer(), slug: t.String(), name: t.String(), emoji: t.String() }),
  seller: t.Object({ id: integer(), display_name: t.String() }),
  rating: t.Object({ average: t.Number(), count: integer() }),
  sales_count: integer(),
  file: t.Union([t.Object({ type: t.String(), size_bytes: integer(), name: t.String() }), t.Null()]),
  created_at: t.String({ format: 'date-time' }),
  updated_at: t.String({ format: 'date-time' }),
});
export type ProductView = typeof Product.static;

export const ProductPage = t.Object({
  items: t.Array(Product),
  next_cursor: t.Union([t.String(), t.Null()], { description: 'Pass as `cursor` for the next page; null at the end' }),
});
export type ProductPageView = typeof ProductPage.static;

export const Review = t.Object({
  id: integer(),
  rating: integer({ minimum: 1, maximum: 5 }),
  text: t.Union([t.String(), t.Null()]),
  author: t.String(),
  created_at: t.String({ format: 'date-time' }),
});
export const ReviewPage = t.Object({
  items: t.Array(Review),
  next_cursor: t.Union([t.String(), t.Null()]),
});
export type ReviewPageView = typeof ReviewPage.static;

const title = t.String({ minLength: 3, maxLength: 120 });
const description = t.String({ minLength: 10, maxLength: 5000 });

export const CreateProductBody = t.Object(
  {
    title,
    description,
    price_cents: Money.price_cents,
    category: t.String({ minLength: 1, maxLength: 40, description: 'Category id or slug' }),
    stars_price: t.Optional(Money.stars_price),
    seller_id: t.Optional(integer({ minimum: 1, description: 'Admin only: the seller who sells it' })),
    file_id: t.Optional(
      t.String({
        minLength: 1,
        maxLength: 40,
        description: 'A file uploaded through POST /api/upload by the same seller',
      }),
    ),
  },
  {
    examples: [
      {
        title: 'Bitcoin from zero',
        description: 'A complete course on wallets, fees and self-custody.',
        price_cents: 4900,
        category: 'finance-crypto',
      },
    ],
  },
);
export type CreateProductInput = typeof CreateProductBody.static;

export const UpdateProductBody = t.Object(
  {
    title: t.Optional(title),
    description: t.Optional(description),
    price_cents: t.Optional(Money.price_cents),
    category: t.Optional(t.String({ minLength: 1, maxLength: 40 })),
    stars_price: t.Optional(Money.stars_price),
    status: t.Optional(
      oneOf(['active', 'inactive', 'banned'], {
        description: '`banned` is admin only',
        error: 'status must be one of active, inactive, banned',
      }),
    ),
    status_reason: t.Optional(t.String({ maxLength: 500 })),
    file_id: t.Optional(
      t.String({
        minLength: 1,
        maxLength: 40,
        description: 'A file uploaded through POST /api/upload by the same seller',
      }),
    ),
  },
  { minProperties: 1, examples: [{ price_cents: 3900 }] },
);
export type UpdateProductInput = typeof UpdateProductBody.static;

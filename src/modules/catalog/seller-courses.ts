import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import { normalizeProductId } from '../../lib/ids.ts';
import type { Db } from '../../store/database.ts';
import { products } from '../../store/schema/index.ts';
import type { Principal } from '../users/model.ts';
import type { ProductView } from './model.ts';

type ProductRow = typeof products.$inferSelect;

export interface SellerCoursesDeps {
  db: Db;
  clock: Clock;
  /** The card of any product, whatever its status. */
  findProduct: (id: string) => ProductView | undefined;
  /** The row, once `principal` may change it (its seller or an admin); deleted ones are not found. */
  ownedProduct: (principal: Principal, id: string) => ProductRow;
  /** Drops the cached card and every list: a change shows in the API and search at once. */
  invalidate: (id?: string) => void;
}

export interface SellerCoursePage {
  items: ProductView[];
  /** Courses of the seller not deleted, whatever their status. */
  total: number;
}

/**
 * A seller's own courses, on sale or not (a seller's /mycourses and the seller API): the list
 * and deleting one (covers: covers.ts). Deleting is soft: orders, entitlements and re-downloads
 * still refer to the product, which only leaves the catalog and the seller's list.
 */
export function createSellerCourses({ db, clock, findProduct, ownedProduct, invalidate }: SellerCoursesDeps) {
  const mine = (sellerId: number) => and(eq(products.sellerId, sellerId), isNull(products.deletedAt));

  /** Newest first; `offset` paging (a seller has tens of courses, not millions). */
  function sellerCourses(sellerId: number, offset: number, limit: number): SellerCoursePage {
    const ids = db
      .select({ id: products.id })
      .from(products)
      .where(mine(sellerId))
      .orderBy(desc(products.createdAt), desc(products.id))
      .limit(limit)
      .offset(offset)
      .all();
    const total = db.select({ n: count() }).from(products).where(mine(sellerId)).get()?.n ?? 0;
    const items = ids.flatMap(({ id }) => findProduct(id) ?? []);
    return { items, total };
  }

  /** One course of the seller, any status; not found when deleted or another seller's. */
  function sellerCourse(sellerId: number, id: string): ProductView {
    const row = db
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.id, normalizeProductId(id)), mine(sellerId)))
      .get();
    const product = row && findProduct(row.id);
    if (!product) throw notFound(`product ${id}`);
    return product;
  }

  function deleteProduct(principal: Principal, id: string): void {
    const row = ownedProduct(principal, id);
    // A taken-down course stays `banned` (the operator's word); any other leaves the catalog.
    const status = row.status === 'banned' ? 'banned' : 'inactive';
    db.update(products)
      .set({ status, deletedAt: clock.now(), updatedAt: clock.now() })
      .where(eq(products.id, row.id))
      .run();
    invalidate(row.id);
  }

  return { sellerCourses, sellerCourse, deleteProduct };
}

import type { CoverInput } from '../catalog/covers.ts';
import type { ProductView, UpdateProductInput } from '../catalog/model.ts';
import type { Catalog } from '../catalog/service.ts';
import type { SalesFigures, SellerSales } from '../orders/seller-sales.ts';
import type { Principal } from '../users/model.ts';

export interface SellerCoursesDeps {
  catalog: Pick<Catalog, 'sellerCourses' | 'sellerCourse' | 'updateProduct' | 'deleteProduct' | 'setCover'>;
  sales: Pick<SellerSales, 'figures' | 'figuresByProduct'>;
}

/** What a seller may change of a course from the bot; every field is checked by course-input.ts first. */
export type CourseEdit = Pick<
  UpdateProductInput,
  'title' | 'description' | 'category' | 'price_cents' | 'stars_price' | 'file_id'
>;

export interface CourseSales {
  sales: number;
  revenue_cents: number;
  /** The seller's share: the revenue less the platform's fee. */
  net_cents: number;
}

/**
 * A seller's own courses (/mycourses): pages, one course with its sales, on and off sale,
 * edits, a new file, a cover, deleting. Every action names the seller: the catalog refuses a
 * course of another seller (403) and a deleted one (404), whatever the button said.
 */
export function createSellerCourses({ catalog, sales }: SellerCoursesDeps) {
  const as = (sellerId: number): Principal => ({ role: 'seller', keyId: 'bot', sellerId });

  function page(sellerId: number, index: number, size: number) {
    const { items, total } = catalog.sellerCourses(sellerId, index * size, size);
    return { items, total, pages: Math.max(1, Math.ceil(total / size)) };
  }

  const toCourseSales = (figures: SalesFigures): CourseSales => ({
    sales: figures.sales,
    revenue_cents: figures.revenueCents,
    net_cents: figures.netCents,
  });
  const salesOf = (sellerId: number, productId: string) => toCourseSales(sales.figures(sellerId, 0, productId));

  /** The course (any status) and its sales; not found when it is deleted or not this seller's. */
  function course(sellerId: number, id: string): { product: ProductView; sales: CourseSales } {
    const product = catalog.sellerCourse(sellerId, id);
    return { product, sales: salesOf(sellerId, product.id) };
  }

  /** A page with each course's sales (GET /api/seller/courses): one read of the sales for the whole page. */
  function pageWithSales(sellerId: number, index: number, size: number) {
    const listed = page(sellerId, index, size);
    const figures = sales.figuresByProduct(
      sellerId,
      listed.items.map((product) => product.id),
    );
    const items = listed.items.map((product) => ({ ...product, sales: toCourseSales(figures.get(product.id)!) }));
    return { ...listed, items };
  }

  return {
    page,
    pageWithSales,
    course,
    setOnSale: (sellerId: number, id: string, onSale: boolean) =>
      catalog.updateProduct(as(sellerId), id, { status: onSale ? 'active' : 'inactive' }),
    edit: (sellerId: number, id: string, patch: CourseEdit) => catalog.updateProduct(as(sellerId), id, patch),
    setCover: (sellerId: number, id: string, cover: CoverInput | null) => catalog.setCover(as(sellerId), id, cover),
    remove: (sellerId: number, id: string) => catalog.deleteProduct(as(sellerId), id),
  };
}

export type SellerCourses = ReturnType<typeof createSellerCourses>;

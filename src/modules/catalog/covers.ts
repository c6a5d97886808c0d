import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from '../../lib/random.ts';
import { dirname, join } from 'node:path';
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError, forbidden, notFound } from '../../lib/errors.ts';
import { normalizeProductId } from '../../lib/ids.ts';
import type { Db } from '../../store/database.ts';
import { products } from '../../store/schema/index.ts';
import type { Principal } from '../users/model.ts';
import type { ProductView } from './model.ts';

type ProductRow = typeof products.$inferSelect;

/** The largest cover accepted (Telegram's photos are far smaller; a card needs no more). */
export const COVER_MAX_BYTES = 5 * 1024 * 1024;
export const COVER_TYPES = ['image/jpeg', 'image/png'] as const;
export type CoverType = (typeof COVER_TYPES)[number];

/** A new cover: its bytes, the type the sender declared (HTTP), the photo's file_id when it came from Telegram. */
export interface CoverInput {
  bytes: Uint8Array;
  contentType?: string;
  telegramFileId?: string;
}

/** A product's cover as the bot sends it: by Telegram's file_id once known, else uploaded from the bytes. */
export interface CoverRef {
  telegramFileId: string | null;
  sha256: string | null;
}

export interface CoverImage {
  type: CoverType;
  sha256: string;
  file: Blob;
}

/** A cover once stored. */
export interface StoredCover {
  sha256: string;
  type: CoverType;
  size: number;
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((byte, i) => bytes[i] === byte);

/** The image type the bytes are (their magic bytes), whatever a header said. */
export function coverTypeOf(bytes: Uint8Array): CoverType | undefined {
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  return undefined;
}

const unsupported = (message: string) =>
  new AppError('unsupported_media_type', message, { accepted: [...COVER_TYPES] });

export interface CoversDeps {
  db: Db;
  clock: Clock;
  dataDir: string;
  ownedProduct: (principal: Principal, id: string) => ProductRow;
  /** The public card: not found unless on sale. */
  visibleProduct: (id: string) => ProductView;
  invalidate: (id?: string) => void;
}

/**
 * Cover photos of products. The bytes live under DATA_DIR/covers, one file per SHA-256 (written
 * once, shared by products with the same picture, removed when no product uses it); the row
 * holds the hash, the type and Telegram's file_id once the bot has sent it (so the card is
 * re-sent without uploading). Everything here is synchronous on purpose: storing a blob,
 * pointing the row at it and removing the blob no row uses any more cannot interleave with
 * another request's (a cover is at most 5 MB).
 */
export function createCovers({ db, clock, dataDir, ownedProduct, visibleProduct, invalidate }: CoversDeps) {
  const pathOf = (sha256: string) => join(dataDir, 'covers', sha256.slice(0, 2), sha256);

  /** Checks size and type, stores the bytes (once), and answers the row's cover columns. */
  function store(input: CoverInput) {
    if (input.bytes.byteLength > COVER_MAX_BYTES)
      throw new AppError('payload_too_large', `a cover is at most ${COVER_MAX_BYTES} bytes`, {
        max_bytes: COVER_MAX_BYTES,
      });
    const declared = input.contentType?.split(';')[0]?.trim().toLowerCase();
    if (declared !== undefined && !(COVER_TYPES as readonly string[]).includes(declared))
      throw unsupported('a cover is a JPEG or PNG image: send it as image/jpeg or image/png');
    const type = coverTypeOf(input.bytes);
    if (!type || (declared !== undefined && declared !== type))
      throw unsupported(`the bytes are not a ${declared ?? 'JPEG or PNG'} image`);
    const sha256 = new Bun.CryptoHasher('sha256').update(input.bytes).digest('hex');
    const path = pathOf(sha256);
    if (!Bun.file(path).size) {
      mkdirSync(dirname(path), { recursive: true });
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(temp, input.bytes);
      renameSync(temp, path);
    }
    return { coverSha256: sha256, coverType: type, coverTelegramFileId: input.telegramFileId ?? null };
  }

  /** Removes a blob no product points at any more. */
  function dropUnused(sha256: string | null) {
    if (!sha256) return;
    const users = db.select({ n: count() }).from(products).where(eq(products.coverSha256, sha256)).get()?.n ?? 0;
    if (users === 0) rmSync(pathOf(sha256), { force: true });
  }

  /** A new cover for a product of `principal` (its seller or an admin), or none (`null`). */
  function setCover(principal: Principal, id: string, input: CoverInput | null): StoredCover | null {
    const row = ownedProduct(principal, id);
    // As for every other change of a course the operator took down (catalog/service.ts updateProduct).
    if (principal.role !== 'admin' && row.status === 'banned') {
      throw forbidden('this product was banned by an administrator');
    }
    const cover = input ? store(input) : { coverSha256: null, coverType: null, coverTelegramFileId: null };
    db.update(products)
      .set({ ...cover, updatedAt: clock.now() })
      .where(eq(products.id, row.id))
      .run();
    if (row.coverSha256 !== cover.coverSha256) dropUnused(row.coverSha256);
    invalidate(row.id);
    return input && cover.coverSha256 && cover.coverType
      ? { sha256: cover.coverSha256, type: cover.coverType, size: input.bytes.byteLength }
      : null;
  }

  /** How the bot sends a product's cover; null without one. */
  function coverOf(id: string): CoverRef | null {
    const row = db
      .select({ telegramFileId: products.coverTelegramFileId, sha256: products.coverSha256 })
      .from(products)
      .where(eq(products.id, normalizeProductId(id)))
      .get();
    return row && (row.telegramFileId || row.sha256) ? row : null;
  }

  /** The cover of a product on sale (GET /api/products/{id}/cover, the bot's first upload). */
  async function coverImage(id: string): Promise<CoverImage> {
    const product = visibleProduct(id);
    const row = db
      .select({ sha256: products.coverSha256, type: products.coverType })
      .from(products)
      .where(eq(products.id, product.id))
      .get();
    const file = row?.sha256 ? Bun.file(pathOf(row.sha256)) : undefined;
    if (!row?.sha256 || !row.type || !file || !(await file.exists())) throw notFound(`cover of product ${id}`);
    return { type: row.type, sha256: row.sha256, file };
  }

  /** Telegram's file_id of the photo the bot uploaded, kept unless the cover changed meanwhile. */
  function rememberCoverFileId(id: string, sha256: string, telegramFileId: string): void {
    db.update(products)
      .set({ coverTelegramFileId: telegramFileId })
      .where(
        and(
          eq(products.id, normalizeProductId(id)),
          eq(products.coverSha256, sha256),
          isNull(products.coverTelegramFileId),
        ),
      )
      .run();
  }

  return { store, setCover, coverOf, coverImage, rememberCoverFileId };
}

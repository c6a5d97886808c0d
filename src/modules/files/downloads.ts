import { and, asc, count, eq, gt } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db } from '../../store/database.ts';
import { downloads, files } from '../../store/schema/index.ts';
import type { Catalog } from '../catalog/service.ts';
import { signDownloadToken, verifyDownloadToken } from './download-token.ts';
import { blobPath } from './paths.ts';

/** The per-purchase download limit counts over a rolling 24 hours (no time zone to pick). */
export const DOWNLOAD_WINDOW_MS = 24 * 3600_000;

export interface DownloadsDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  /** Signing key of the links (see loadDownloadSecret). */
  secret: string;
  limitPerDay: number;
  linkTtlMs: number;
  /** Where the HTTP face serves the links (PUBLIC_URL + its route); without it no link can be handed out. */
  linkBase?: string;
  /** Whether the buyer holds a live (not revoked) entitlement to the product. */
  owns: (buyerId: number, productId: string) => boolean;
  /** Which file a product carries now. */
  catalog: Pick<Catalog, 'productFile'>;
  metrics?: { bytesServed: { inc(bytes: number): void } };
}

export interface DownloadLink {
  url: string;
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface OpenedDownload {
  /**
   * The original bytes: the blob itself when stored as is (Bun sends it with sendfile and a
   * Content-Length), else a stream decompressing it on the fly, chunk by chunk.
   */
  body: Blob | ReadableStream<Uint8Array>;
  name: string;
  size: number;
  mime: string;
}

const notOwned = (reason: string) =>
  new AppError('forbidden', 'you do not own this course (or your access was withdrawn)', { reason });

/**
 * Signed, expiring, counted download links of purchased course files. A link names one buyer,
 * one product and that product's file; opening it checks all three again against the store,
 * so a link can only ever fetch the file of its own buyer's live purchase.
 */
export function createDownloads(deps: DownloadsDeps) {
  const { db, clock, logger, dataDir, secret, limitPerDay, linkTtlMs, linkBase, owns, catalog, metrics } = deps;

  const fileOf = (productId: string) => {
    const product = catalog.productFile(productId);
    return product && { fileId: product.file?.id ?? null };
  };

  /** The link the bot sends a buyer: 403 when not owned, 404 when the course has no file. */
  function createDownloadLink(buyerId: number, productId: string): DownloadLink {
    const product = fileOf(productId);
    if (!product) throw notFound(`product ${productId}`);
    if (!owns(buyerId, productId)) throw notOwned('not_owned');
    if (!product.fileId) throw new AppError('not_found', 'this course has no file yet', { reason: 'no_file' });
    if (!linkBase)
      throw new AppError('unavailable', 'download links need PUBLIC_URL to be set', { reason: 'no_public_url' });
    const expiresAt = clock.now() + linkTtlMs;
    const token = signDownloadToken(secret, { buyerId, fileId: product.fileId, productId, expiresAt });
    return { url: `${linkBase}/${token}`, token, expiresAt };
  }

  /**
   * Counts one download against the rolling window, or refuses with 429 and the seconds until
   * the oldest download in the window leaves it. Check and insert are one transaction.
   */
  function recordDownload(buyerId: number, productId: string, fileId: string) {
    db.transaction(
      (tx) => {
        const now = clock.now();
        const inWindow = and(
          eq(downloads.userId, buyerId),
          eq(downloads.productId, productId),
          gt(downloads.createdAt, now - DOWNLOAD_WINDOW_MS),
        );
        const used = tx.select({ n: count() }).from(downloads).where(inWindow).get()?.n ?? 0;
        if (used >= limitPerDay) {
          const freeing = tx
            .select({ at: downloads.createdAt })
            .from(downloads)
            .where(inWindow)
            .orderBy(asc(downloads.createdAt))
            .limit(1)
            .offset(used - limitPerDay)
            .get();
          const retryAfter = Math.max(1, Math.ceil(((freeing?.at ?? now) + DOWNLOAD_WINDOW_MS - now) / 1000));
          throw new AppError(
            'rate_limited',
            `${limitPerDay} downloads per day are allowed for a course; try again in ${retryAfter} s`,
            { reason: 'download_limit', limit: limitPerDay, window_hours: DOWNLOAD_WINDOW_MS / 3600_000 },
            retryAfter,
          );
        }
        tx.insert(downloads).values({ userId: buyerId, fileId, productId, createdAt: now }).run();
      },
      { behavior: 'immediate' },
    );
  }

  /** Counts the decompressed bytes as the client pulls them. */
  const counting = () =>
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        metrics?.bytesServed.inc(chunk.byteLength);
        controller.enqueue(chunk);
      },
    });

  /** Checks a token and counts the download; the body yields the original bytes. */
  async function open(token: string): Promise<OpenedDownload> {
    const claims = verifyDownloadToken(secret, token, clock.now());
    if (!owns(claims.buyerId, claims.productId)) throw notOwned('not_owned');
    if (fileOf(claims.productId)?.fileId !== claims.fileId) {
      throw new AppError('forbidden', "this link is not for this course's current file; ask the bot for a new one", {
        reason: 'file_mismatch',
      });
    }
    const file = db.select().from(files).where(eq(files.id, claims.fileId)).get();
    if (!file) throw notFound(`file ${claims.fileId}`);
    const path = blobPath(dataDir, file.sha256, file.compression);
    const blob = Bun.file(path);
    if (!(await blob.exists())) {
      logger.error({ fileId: file.id, path }, 'course file missing on disk');
      throw new AppError('not_found', "this course's file is missing on the server; the operator has been alerted", {
        reason: 'blob_missing',
      });
    }
    recordDownload(claims.buyerId, claims.productId, file.id);
    const meta = { name: file.originalName, size: file.sizeBytes, mime: file.mimeType };
    if (file.compression === 'none') {
      metrics?.bytesServed.inc(file.sizeBytes);
      return { body: blob, ...meta };
    }
    const gunzip = new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>;
    return { body: (blob.stream() as ReadableStream<Uint8Array>).pipeThrough(gunzip).pipeThrough(counting()), ...meta };
  }

  return { createDownloadLink, open };
}

export type Downloads = ReturnType<typeof createDownloads>;

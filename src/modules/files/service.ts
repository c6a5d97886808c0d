import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { randomToken } from '../../lib/ids.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Db } from '../../store/database.ts';
import { files } from '../../store/schema/index.ts';
import { inJsonList, jsonList } from '../../store/sql.ts';
import type { Principal } from '../users/model.ts';
import type { Users } from '../users/service.ts';
import { placeBlob, removeBlob, sweepTemp, type Placed } from './blobs.ts';
import { createDiscard } from './discard.ts';
import { createUploadWorker } from './upload-worker-client.ts';
import type { FileMetrics, UploadOutcome } from './metrics.ts';
import type { UploadedFileView } from './model.ts';
import { tempDir } from './paths.ts';
import { receive, tooLarge, UploadInterrupted, type Received } from './receive.ts';
import type { FileRow } from './telegram-delivery.ts';
import { createUploadLinks, type UploadGrant } from './upload-links.ts';
import { checkName, sniff } from './validation.ts';
import { preparedOnFirstUse } from '../../store/lazy-statement.ts';

export interface FilesDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  maxFileSizeBytes: number;
  /** gzip level, 0 (never compress) to 9. */
  compressionLevel: number;
  metrics: FileMetrics;
  /** Where the HTTP face serves the upload page (PUBLIC_URL, if set, + its route). */
  uploadPageBase: string;
  /** Upload links are for existing sellers. */
  users: Pick<Users, 'seller'>;
}

/** Told of an upload through a one-time link, once it is stored. */
export type LinkUploadListener = (sellerId: number, file: UploadedFileView) => void;

/** What a product card shows of its file. */
export interface FileSummary {
  type: string;
  size_bytes: number;
  name: string;
}

/** Who uploads: an API key's principal, or a one-time upload link's token. */
export type Uploader = { principal: Principal } | { uploadToken: string };

export interface UploadInput {
  uploader: Uploader;
  filename: string;
  body: AsyncIterable<Uint8Array>;
  /** The request's Content-Length, when it gave one. */
  declaredLength?: number;
  /** A file a seller sent in the bot: Telegram's id, so delivery re-sends it without uploading. */
  telegramFileId?: string;
}

function outcomeOf(error: unknown): UploadOutcome | undefined {
  if (error instanceof UploadInterrupted) return 'aborted';
  if (!(error instanceof AppError)) return 'error';
  if (error.code === 'payload_too_large') return 'too_large';
  if (error.code === 'unsupported_media_type') return 'bad_type';
  if (error.code === 'request_timeout') return 'too_slow';
  return undefined; // refused before any byte counted: credentials, link, name
}

/** Reads of stored files' rows, for the catalog (which file a product carries) and delivery. */
export function createFileLookups(db: Db) {
  const rowById = preparedOnFirstUse(() =>
    db
      .select()
      .from(files)
      .where(eq(files.id, sql.placeholder('id')))
      .prepare(),
  );
  const summaryRows = preparedOnFirstUse(() =>
    db
      .select({ id: files.id, type: files.mimeType, size_bytes: files.sizeBytes, name: files.originalName })
      .from(files)
      .where(inJsonList(files.id))
      .prepare(),
  );
  return {
    /** A stored file's row; undefined when there is none. */
    get: (id: string): FileRow | undefined => rowById.get({ id }),
    /** What product cards show of each file, by file id. */
    summaries: (ids: readonly string[]) =>
      new Map<string, FileSummary>(summaryRows.all(jsonList(ids)).map(({ id, ...summary }) => [id, summary])),
  };
}

/**
 * Course files: streaming uploads into content-addressed blobs under DATA_DIR/files, one
 * metadata row per upload, and the one-time upload links sellers get from the bot.
 */
export function createFiles(deps: FilesDeps) {
  const { db, clock, logger, dataDir, maxFileSizeBytes, metrics } = deps;
  const uploadWorker = createUploadWorker({ level: deps.compressionLevel });
  const links = createUploadLinks({ db, clock, pageBase: deps.uploadPageBase, users: deps.users });
  const linkListeners: LinkUploadListener[] = [];

  sweepTemp(dataDir);

  /** The owner of an upload (null for an admin's), and the link to use up, if any. */
  function uploaderOf(uploader: Uploader): { ownerSellerId: number | null; grant?: UploadGrant } {
    if ('uploadToken' in uploader) {
      const grant = links.check(uploader.uploadToken);
      return { ownerSellerId: grant.sellerId, grant };
    }
    const { principal } = uploader;
    return { ownerSellerId: principal.role === 'seller' ? principal.sellerId : null };
  }

  /** Records the upload (and uses its link up) in one transaction; undoes a new blob if that fails. */
  async function record(
    received: Received,
    placed: Placed,
    named: ReturnType<typeof checkName>,
    owner: ReturnType<typeof uploaderOf>,
    telegramFileId?: string,
  ) {
    const id = randomToken(20);
    const row = {
      id,
      ownerSellerId: owner.ownerSellerId,
      originalName: named.name,
      mimeType: received.mime,
      extension: named.extension,
      sizeBytes: received.size,
      storedSizeBytes: placed.storedSize,
      compression: placed.compression,
      sha256: received.sha256,
      telegramFileId: telegramFileId ?? null,
      createdAt: clock.now(),
    };
    try {
      db.transaction((tx) => {
        tx.insert(files).values(row).run();
        if (owner.grant) links.claim(tx, owner.grant, id);
      });
    } catch (error) {
      const shared = db.select({ id: files.id }).from(files).where(eq(files.sha256, row.sha256)).get();
      if (placed.created && !shared) await removeBlob(dataDir, row.sha256, placed.compression);
      throw error;
    }
    return row;
  }

  async function upload(input: UploadInput): Promise<UploadedFileView> {
    try {
      const owner = uploaderOf(input.uploader);
      const named = checkName(input.filename);
      if (input.declaredLength !== undefined && input.declaredLength > maxFileSizeBytes)
        throw tooLarge(maxFileSizeBytes);
      const received = await receive({
        body: input.body,
        maxBytes: maxFileSizeBytes,
        declaredLength: input.declaredLength,
        tempDir: tempDir(dataDir),
        worker: uploadWorker,
        inspect: async (prefix) => ({ mime: await sniff(prefix, named), packed: named.format.packed }),
        onBytes: (bytes) => metrics.bytesReceived.inc(bytes),
      });
      const placed = await placeBlob(dataDir, received);
      const row = await record(received, placed, named, owner, input.telegramFileId);
      metrics.uploads.inc({ outcome: 'ok' });
      if (placed.created) metrics.bytesStored.inc(placed.storedSize);
      metrics.compressionRatio.observe(placed.storedSize / received.size);
      const view: UploadedFileView = {
        file_id: row.id,
        name: row.originalName,
        size_bytes: row.sizeBytes,
        stored_size_bytes: row.storedSizeBytes,
        sha256: row.sha256,
        type: row.mimeType,
        extension: row.extension,
        compression: row.compression,
      };
      if (owner.grant) for (const listener of linkListeners) listener(owner.grant.sellerId, view);
      return view;
    } catch (error) {
      const outcome = outcomeOf(error);
      if (outcome) metrics.uploads.inc({ outcome });
      if (outcome === 'error') logger.error({ err: error, filename: input.filename }, 'upload failed');
      throw error;
    }
  }

  return {
    upload,
    ...createFileLookups(db),
    /** MAX_FILE_SIZE_MB, in bytes: what the upload page announces. */
    maxFileSizeBytes,
    /** A link for one upload within the hour, for a seller (the bot hands it out). */
    createUploadLink: links.create,
    /** The file uploaded through a link, once it is stored (null before). */
    linkUpload: links.uploaded,
    /** The seller a live upload link stands for; 401 unknown, 410 used or expired. */
    checkUploadLink: (token: string) => {
      const { sellerId, expiresAt } = links.check(token);
      return { sellerId, expiresAt };
    },
    /** Tells `listener` of every upload through a one-time link (the bot tells the seller it arrived). */
    onLinkUpload: (listener: LinkUploadListener) => void linkListeners.push(listener),
    /** Deletes a seller's file no product carries (a course never published); false when kept. */
    discard: createDiscard({ db, dataDir }),
    /** Stops the upload worker. */
    close: () => uploadWorker.close(),
  };
}

export type Files = ReturnType<typeof createFiles>;

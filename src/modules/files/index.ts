import type { TelegramClient } from '../../lib/telegram.ts';
import type { ModuleBase } from '../base.ts';
import type { Catalog } from '../catalog/service.ts';
import type { Orders } from '../orders/service.ts';
import type { Users } from '../users/service.ts';
import { loadDownloadSecret } from './download-token.ts';
import { createDownloads } from './downloads.ts';
import { createFileMetrics } from './metrics.ts';
import { createFiles } from './service.ts';
import { createTelegramDelivery } from './telegram-delivery.ts';

export interface FilesModuleDeps extends ModuleBase {
  users: Pick<Users, 'seller'>;
}

/**
 * Course files: uploads, storage, signed download links, sending a file into a Telegram chat.
 * Owns the tables `files`, `upload_tokens`, `downloads`. Built in two steps: the catalog needs
 * the files (which file a product carries), while download links need the catalog (the
 * product's current file) and the orders (what the buyer owns), which come later.
 */
export function createFilesModule({ db, clock, logger, config, metrics: app, urls, users }: FilesModuleDeps) {
  const metrics = createFileMetrics(app.registry);
  const files = createFiles({
    db,
    clock,
    logger,
    dataDir: config.dataDir,
    maxFileSizeBytes: config.maxFileSizeBytes,
    compressionLevel: config.files.compressionLevel,
    metrics,
    uploadPageBase: urls.uploadPage,
    users,
  });
  return {
    files,
    /** The second step, once orders exist. */
    createDownloads: (deps: { owns: Orders['owns']; catalog: Pick<Catalog, 'productFile'> }) =>
      createDownloads({
        db,
        clock,
        logger,
        dataDir: config.dataDir,
        secret: loadDownloadSecret(config.dataDir, config.files.downloadSecret),
        limitPerDay: config.files.downloadLimitPerDay,
        linkTtlMs: config.files.downloadLinkTtlMs,
        linkBase: urls.downloads,
        metrics,
        ...deps,
      }),
    /** Sends course files into Telegram chats over the client app.ts builds when the bot is on. */
    telegramDelivery: (telegram: TelegramClient) =>
      createTelegramDelivery({ telegram, db, dataDir: config.dataDir, logger }),
  };
}

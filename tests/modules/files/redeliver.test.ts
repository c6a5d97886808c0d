/**
 * Sending a purchased course, after payment or again from the library, by one rule: in the
 * buyer's Telegram chat when there is one and the bot runs, else a signed link; when Telegram
 * will not take the file, a fresh link if the caller asks for one (a buyer waiting in the
 * chat), the error otherwise (the deliver job tries again); nothing for a buyer who blocked
 * the bot. The other modules and Telegram are stand-ins here.
 */
import { describe, expect, test } from 'bun:test';
import { AppError } from '../../../src/lib/errors.ts';
import { createLogger } from '../../../src/lib/logger.ts';
import { createRedelivery, type RedeliveryDeps } from '../../../src/modules/files/redeliver.ts';
import { BotBlockedError, type FileRow } from '../../../src/modules/files/telegram-delivery.ts';

const FILE = { id: 'file-1', originalName: 'course.pdf', sizeBytes: 1024 } as FileRow;
const BUYER = { id: 7, telegramId: 4242, language: 'fr' };

function redelivery(
  options: { telegram?: 'ok' | Error | 'off'; link?: 'ok' | AppError; owns?: boolean; file?: boolean } = {},
) {
  const logs: { msg: string }[] = [];
  const sent: unknown[] = [];
  const deps: RedeliveryDeps = {
    catalog: {
      productFile: () => ({
        id: 'TBF-2611-ABCDEF',
        title: 'Bitcoin from zero',
        sellerId: 1,
        status: 'active',
        file: options.file === false ? null : FILE,
      }),
    },
    downloads: {
      createDownloadLink: () => {
        if (options.link instanceof AppError) throw options.link;
        return { url: 'https://shop.example.com/api/downloads/t0k3n', token: 't0k3n', expiresAt: 123 };
      },
    },
    orders: { owns: () => options.owns ?? true },
    telegram: () =>
      options.telegram === 'off'
        ? undefined
        : {
            deliverFile: async (input) => {
              sent.push(input);
              if (options.telegram instanceof Error) throw options.telegram;
              return { method: 'upload', messageId: 9 };
            },
          },
    logger: createLogger({ level: 'warn', destination: { write: (line: string) => void logs.push(JSON.parse(line)) } }),
  };
  return { ...createRedelivery(deps), logs, sent };
}

describe('files: redelivery', () => {
  test('in the Telegram chat when the buyer has one and the bot runs, with the title and language; else a link', async () => {
    const inChat = redelivery();
    expect(await inChat.redeliver(BUYER, 'TBF-2611-ABCDEF')).toEqual({
      ok: true,
      via: 'telegram',
      method: 'upload',
      messageId: 9,
    });
    expect(inChat.sent).toEqual([
      expect.objectContaining({ chatId: 4242, title: 'Bitcoin from zero', language: 'fr', file: FILE }),
    ]);
    const link = {
      ok: true,
      via: 'download_link',
      url: 'https://shop.example.com/api/downloads/t0k3n',
      expiresAt: 123,
    } as const;
    expect(await redelivery().redeliver({ ...BUYER, telegramId: null }, 'TBF-2611-ABCDEF')).toEqual(link);
    expect(await redelivery({ telegram: 'off' }).redeliver(BUYER, 'TBF-2611-ABCDEF')).toEqual(link);
  });

  test('not owned, or no file yet: a reason, nothing sent', async () => {
    const stranger = redelivery({ owns: false });
    expect(stranger.redeliverable(7, 'TBF-2611-ABCDEF')).toEqual({ ok: false, reason: 'not_owned' });
    expect(await stranger.redeliver(BUYER, 'TBF-2611-ABCDEF')).toEqual({ ok: false, reason: 'not_owned' });
    const empty = redelivery({ file: false });
    expect(empty.redeliverable(7, 'TBF-2611-ABCDEF')).toEqual({ ok: false, reason: 'no_file' });
    expect(await empty.redeliver(BUYER, 'TBF-2611-ABCDEF')).toEqual({ ok: false, reason: 'no_file' });
    expect([...stranger.sent, ...empty.sent]).toEqual([]);
    expect(redelivery().redeliverable(7, 'TBF-2611-ABCDEF')).toEqual({ ok: true });
  });

  test('Telegram refuses the file: a fresh link when asked (and the failure logged), the error otherwise', async () => {
    const refused = new Error('Bad Request: DOCUMENT_INVALID');
    const waiting = redelivery({ telegram: refused });
    expect(await waiting.redeliver(BUYER, 'TBF-2611-ABCDEF', { linkOnTelegramFailure: true })).toMatchObject({
      ok: true,
      via: 'download_link',
      telegramFailed: true,
    });
    expect(waiting.logs.map((line) => line.msg)).toEqual(['sending a purchased file again failed']);
    await expect(redelivery({ telegram: refused }).redeliver(BUYER, 'TBF-2611-ABCDEF')).rejects.toBe(refused);
    // No link possible either (no PUBLIC_URL): Telegram's error is the one to tell.
    const nowhere = redelivery({
      telegram: refused,
      link: new AppError('unavailable', 'download links need PUBLIC_URL'),
    });
    await expect(nowhere.redeliver(BUYER, 'TBF-2611-ABCDEF', { linkOnTelegramFailure: true })).rejects.toBe(refused);
  });

  test('a buyer who blocked the bot gets nothing, not even a link: the error says so', async () => {
    const blocked = new BotBlockedError(4242, 'Forbidden: bot was blocked by the user');
    await expect(
      redelivery({ telegram: blocked }).redeliver(BUYER, 'TBF-2611-ABCDEF', { linkOnTelegramFailure: true }),
    ).rejects.toBe(blocked);
  });
});

/**
 * Helpers of the seller's course tests in the bot (/newcourse, /mycourses): a seller made
 * directly through the modules, and /newcourse driven up to a step.
 */
import type { App } from '../../src/app.ts';
import type { TelegramUser } from './telegram-user.ts';

const BTC = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

/** A PDF of `size` bytes (header + noise). */
export function pdfOf(size: number): Uint8Array {
  const bytes = crypto.getRandomValues(new Uint8Array(size));
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
  return bytes;
}

let huge: Uint8Array | undefined;

/**
 * A PDF over the 20 MB a bot may download (21 MB), the same one for every test: what such a file
 * shows is its size alone (the bot never fetches it), and fresh memory of that size costs more
 * than the rest of the test.
 */
export const hugePdf = (): Uint8Array => (huge ??= pdfOf(21 * 1024 * 1024));

export const sha256 = (bytes: Uint8Array) => new Bun.CryptoHasher('sha256').update(bytes).digest('hex');

/** The user becomes a seller (as /sell would make them). */
export function newSeller(h: { app: App }, user: TelegramUser, name = 'Sam Teaches') {
  const row = h.app.users.upsertTelegram({
    telegramId: user.id,
    firstName: 'Sam',
    languageCode: user.user.language_code,
  });
  return h.app.sellers.profiles.register(row.id, { display_name: name, payout_network: 'BTC', payout_address: BTC });
}

export type Step = 'title' | 'description' | 'category' | 'price' | 'stars' | 'cover' | 'file' | 'preview';

/** /newcourse answered up to `step` (that step's question is on screen); 'preview' sends a 64 KB PDF. */
export async function courseUpTo(user: TelegramUser, step: Step, title = 'Rust for data engineers') {
  await user.send('/newcourse');
  await user.waitForMessage(/The course title/);
  if (step === 'title') return;
  await user.send(title);
  await user.waitForMessage(/Its description/);
  if (step === 'description') return;
  await user.send('Pipelines, parsing and performance, with exercises.');
  await user.waitForMessage(/Its category/);
  if (step === 'category') return;
  await user.send('💻 Development');
  await user.waitForMessage(/Its price in USD/);
  if (step === 'price') return;
  await user.send('19,90');
  await user.waitForMessage(/Telegram Stars/);
  if (step === 'stars') return;
  await user.send('⏭ Skip');
  await user.waitForMessage(/A cover photo/);
  if (step === 'cover') return;
  await user.send('⏭ Skip');
  await user.waitForMessage(/send the course file as a document/);
  if (step === 'file') return;
  await user.sendDocument('rust.pdf', pdfOf(64 * 1024));
  await user.waitForMessage(/Preview/);
}

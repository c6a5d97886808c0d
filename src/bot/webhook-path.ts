/** Where Telegram POSTs updates in webhook mode. Its own file: app.ts mounts it without loading the bot. */
export const WEBHOOK_PATH = '/telegram/webhook';

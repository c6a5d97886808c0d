import { I18n } from '@grammyjs/i18n';
import { DEFAULT_LOCALE, LOCALE_SOURCES, LOCALES } from '../../locales/index.ts';
import type { BotContext } from '../context.ts';

export { localeOf } from '../../locales/index.ts';

/**
 * Fluent translations of src/locales/ for `ctx.t`. The locale is the user's stored language
 * (Telegram's language_code on first contact, then whatever /language chose).
 * `useIsolating: false`: no invisible Unicode marks around variables, which would break
 * copy-paste of ids and amounts.
 *
 * Parsed once per process and shared: it holds no per-bot state, and parsing the two locales
 * costs ~3 ms, which every bot the tests build (one per test) paid again.
 */
let shared: I18n<BotContext> | undefined;

export function botI18n(): I18n<BotContext> {
  shared ??= parseLocales();
  return shared;
}

function parseLocales(): I18n<BotContext> {
  const i18n = new I18n<BotContext>({
    defaultLocale: DEFAULT_LOCALE,
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => ctx.user?.language ?? DEFAULT_LOCALE,
  });
  for (const locale of LOCALES) i18n.loadLocaleSync(locale, { source: LOCALE_SOURCES[locale] });
  return i18n;
}

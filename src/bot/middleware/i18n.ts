import { I18n } from '@grammyjs/i18n';
import en from '../locales/en.ftl' with { type: 'text' };
import fr from '../locales/fr.ftl' with { type: 'text' };
import type { BotContext, Locale } from '../context.ts';

export const LOCALES: Locale[] = ['en', 'fr'];
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * Fluent translations, embedded in the binary (the compiled executable has no locales folder).
 * The locale is the user's stored language (Telegram's language_code on first contact, then
 * whatever /language chose). `useIsolating: false`: no invisible Unicode marks around
 * variables, which would break copy-paste of ids and amounts.
 */
export function createI18n(): I18n<BotContext> {
  const i18n = new I18n<BotContext>({
    defaultLocale: DEFAULT_LOCALE,
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => ctx.user?.language ?? DEFAULT_LOCALE,
  });
  i18n.loadLocaleSync('en', { source: en });
  i18n.loadLocaleSync('fr', { source: fr });
  return i18n;
}

export const localeOf = (language: string | null | undefined): Locale => (language === 'fr' ? 'fr' : 'en');

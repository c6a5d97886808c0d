import { FluentBundle, FluentResource } from '@fluent/bundle';
import en from './en.ftl' with { type: 'text' };
import fr from './fr.ftl' with { type: 'text' };

/**
 * The marketplace's texts in French and English, embedded in the binary (the compiled
 * executable has no locales folder). The bot reads them through `ctx.t` (bot/middleware/i18n.ts);
 * the modules, which send texts outside any update (a sale notice, a file too large for
 * Telegram, e-mail), through `translate`.
 */
export type Locale = 'en' | 'fr';
export const LOCALES: Locale[] = ['en', 'fr'];
export const DEFAULT_LOCALE: Locale = 'en';
export const LOCALE_SOURCES: Record<Locale, string> = { en, fr };

/** A user's stored language as one of ours; anything else reads English. */
export const localeOf = (language: string | null | undefined): Locale => (language === 'fr' ? 'fr' : 'en');

export type TextArgs = Record<string, string | number>;
/** A Fluent lookup in one language: `ctx.t` in the bot, or `translate` bound to a locale. */
export type Translate = (key: string, args?: TextArgs) => string;

/** Parsed on first use (a few ms): an API-only process that never sends a text never pays it. */
let bundles: Record<Locale, FluentBundle> | undefined;

/**
 * `useIsolating: false`: no invisible Unicode marks around variables, which would break
 * copy-paste of ids and amounts.
 */
function load(): Record<Locale, FluentBundle> {
  const bundle = (locale: Locale) => {
    const loaded = new FluentBundle(locale, { useIsolating: false });
    const errors = loaded.addResource(new FluentResource(LOCALE_SOURCES[locale]));
    if (errors.length > 0) throw new Error(`locales/${locale}.ftl: ${errors.map(String).join('; ')}`);
    return loaded;
  };
  return { en: bundle('en'), fr: bundle('fr') };
}

/** The text of `key` in `language` (a user's stored language; anything but French reads English). */
export function translate(language: string | null | undefined, key: string, args?: TextArgs): string {
  bundles ??= load();
  const bundle = bundles[localeOf(language)];
  const message = bundle.getMessage(key);
  if (!message?.value) throw new Error(`no text "${key}" in locales/${localeOf(language)}.ftl`);
  return bundle.formatPattern(message.value, args);
}

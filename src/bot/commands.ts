import type { Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { apiSignal } from './api-signal.ts';
import type { Locale } from './context.ts';
import { DEFAULT_LOCALE, LOCALES, translate } from '../locales/index.ts';

/** The command menu Telegram shows, in order. Features add theirs here. */
export const COMMANDS = [
  { command: 'start', key: 'command-start' },
  { command: 'search', key: 'command-search' },
  { command: 'browse', key: 'command-browse' },
  { command: 'library', key: 'command-library' },
  { command: 'support', key: 'command-support' },
  { command: 'sell', key: 'command-sell' },
  { command: 'newcourse', key: 'command-newcourse' },
  { command: 'mycourses', key: 'command-mycourses' },
  { command: 'dashboard', key: 'command-dashboard' },
  { command: 'apikey', key: 'command-apikey' },
  { command: 'payout', key: 'command-payout' },
  { command: 'email', key: 'command-email' },
  { command: 'language', key: 'command-language' },
  { command: 'help', key: 'command-help' },
] as const;

export const commandsFor = (locale: string): BotCommand[] =>
  COMMANDS.map(({ command, key }) => ({ command, description: translate(locale, key) }));

/** One Bot API call of the bot's profile, named for logs and `/ready` (`setMyCommands(fr)`). */
export interface ProfileCall {
  name: string;
  run(signal: AbortSignal): Promise<unknown>;
}

/**
 * What the bot shows before anyone talks to it: the command menu, the description of an empty
 * chat and the short one of its profile page, for users without a language of ours (the default
 * language) and then per language; and the menu button opening the commands. Cosmetic: the bot
 * works without any of them, so a Bot API refusing one must not keep the bot from serving.
 */
export function profileCalls(api: Api): ProfileCall[] {
  const perLanguage = (
    method: string,
    call: (locale: Locale, language_code: Locale | undefined, signal: ReturnType<typeof apiSignal>) => Promise<unknown>,
  ) => [
    { name: method, run: (signal: AbortSignal) => call(DEFAULT_LOCALE, undefined, apiSignal(signal)) },
    ...LOCALES.map((locale) => ({
      name: `${method}(${locale})`,
      run: (signal: AbortSignal) => call(locale, locale, apiSignal(signal)),
    })),
  ];
  return [
    ...perLanguage('setMyCommands', (locale, language_code, signal) =>
      api.setMyCommands(commandsFor(locale), { language_code }, signal),
    ),
    ...perLanguage('setMyDescription', (locale, language_code, signal) =>
      api.setMyDescription(translate(locale, 'bot-description'), { language_code }, signal),
    ),
    ...perLanguage('setMyShortDescription', (locale, language_code, signal) =>
      api.setMyShortDescription(translate(locale, 'bot-short-description'), { language_code }, signal),
    ),
    {
      name: 'setChatMenuButton',
      run: (signal) => api.setChatMenuButton({ menu_button: { type: 'commands' } }, apiSignal(signal)),
    },
  ];
}

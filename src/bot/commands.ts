import type { I18n } from '@grammyjs/i18n';
import type { BotCommand } from 'grammy/types';
import type { BotContext } from './context.ts';

/** The command menu Telegram shows, in order. Features add theirs here. */
export const COMMANDS = [
  { command: 'start', key: 'command-start' },
  { command: 'search', key: 'command-search' },
  { command: 'browse', key: 'command-browse' },
  { command: 'library', key: 'command-library' },
  { command: 'support', key: 'command-support' },
  { command: 'language', key: 'command-language' },
  { command: 'help', key: 'command-help' },
] as const;

export const commandsFor = (i18n: I18n<BotContext>, locale: string): BotCommand[] =>
  COMMANDS.map(({ command, key }) => ({ command, description: i18n.t(locale, key) }));

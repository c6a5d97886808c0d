/**
 * setMyCommands / getMyCommands / deleteMyCommands: one command list per scope and language
 * (language_code '' = users without a dedicated list), as Telegram keeps them.
 */
import type { MethodHandler } from './methods.ts';
import { bad, textOf, type FakeState } from './state.ts';

export interface BotCommand {
  command: string;
  description: string;
}

export interface CommandScope {
  type: string;
  chat_id?: number | string;
  user_id?: number;
}

/** The key of a (scope, language) pair; the scope defaults to { type: 'default' }. */
export function commandsKey(scope: unknown, languageCode: unknown): string {
  const { type = 'default', chat_id, user_id } = (scope ?? {}) as Partial<CommandScope>;
  return JSON.stringify([type, chat_id === undefined ? null : String(chat_id), user_id ?? null, textOf(languageCode)]);
}

const COMMAND_SHAPE = /^[a-z0-9_]{1,32}$/;

function commandsOf(value: unknown): BotCommand[] {
  if (!Array.isArray(value)) throw bad('commands must be an array');
  if (value.length > 100) throw bad('too many commands');
  return value.map((item) => {
    const command = textOf((item as BotCommand).command).replace(/^\//, '');
    const description = textOf((item as BotCommand).description);
    if (!COMMAND_SHAPE.test(command)) throw bad('BOT_COMMAND_INVALID');
    if (description.length < 1 || description.length > 256) throw bad('BOT_COMMAND_DESCRIPTION_INVALID');
    return { command, description };
  });
}

function languageOf(value: unknown): string {
  const code = textOf(value);
  if (code !== '' && !/^[a-z]{2}$/.test(code)) throw bad('invalid language code specified');
  return code;
}

export function commandsFor(state: FakeState, scope?: CommandScope, languageCode = ''): BotCommand[] | undefined {
  return state.commands.get(commandsKey(scope, languageCode));
}

export const commandMethods: Record<string, MethodHandler> = {
  setMyCommands: ({ state, params }) => {
    const commands = commandsOf(params.commands);
    state.commands.set(commandsKey(params.scope, languageOf(params.language_code)), commands);
    return true;
  },
  getMyCommands: ({ state, params }) =>
    state.commands.get(commandsKey(params.scope, languageOf(params.language_code))) ?? [],
  deleteMyCommands: ({ state, params }) => {
    state.commands.delete(commandsKey(params.scope, languageOf(params.language_code)));
    return true;
  },
};

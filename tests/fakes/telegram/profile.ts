/**
 * The bot's profile texts and menu button ("setMyDescription", "setMyShortDescription",
 * "setChatMenuButton" in the reference): a description (0-512 characters, shown in an empty
 * chat) and a short description (0-120, on the bot's profile) per language ('' = the fallback),
 * and the menu button, per chat or the default one ({ type: 'default' } until set).
 */
import type { MethodHandler } from './methods.ts';
import { bad, textOf } from './state.ts';

export interface MenuButton {
  type: 'commands' | 'web_app' | 'default';
  [field: string]: unknown;
}

export interface ProfileState {
  /** By language code ('' = fallback). */
  descriptions: Map<string, string>;
  shortDescriptions: Map<string, string>;
  /** By chat id as a string, '' = the default button. */
  menuButtons: Map<string, MenuButton>;
}

export const newProfileState = (): ProfileState => ({
  descriptions: new Map(),
  shortDescriptions: new Map(),
  menuButtons: new Map(),
});

function languageOf(value: unknown): string {
  const code = textOf(value);
  if (code !== '' && !/^[a-z]{2}$/.test(code)) throw bad('invalid language code specified');
  return code;
}

function textWithin(value: unknown, max: number, what: string): string {
  const text = textOf(value);
  if (text.length > max) throw bad(`${what} is too long`);
  return text;
}

function menuButtonOf(value: unknown): MenuButton {
  if (value === undefined || value === null || value === '') return { type: 'default' };
  const type = (value as MenuButton).type;
  if (type !== 'commands' && type !== 'web_app' && type !== 'default') throw bad('unsupported menu button type');
  return value as MenuButton;
}

export const profileMethods: Record<string, MethodHandler> = {
  setMyDescription: ({ state, params }) => {
    const text = textWithin(params.description, 512, 'description');
    const language = languageOf(params.language_code);
    if (text === '') state.profile.descriptions.delete(language);
    else state.profile.descriptions.set(language, text);
    return true;
  },
  getMyDescription: ({ state, params }) => ({
    description: state.profile.descriptions.get(languageOf(params.language_code)) ?? '',
  }),
  setMyShortDescription: ({ state, params }) => {
    const text = textWithin(params.short_description, 120, 'short description');
    const language = languageOf(params.language_code);
    if (text === '') state.profile.shortDescriptions.delete(language);
    else state.profile.shortDescriptions.set(language, text);
    return true;
  },
  getMyShortDescription: ({ state, params }) => ({
    short_description: state.profile.shortDescriptions.get(languageOf(params.language_code)) ?? '',
  }),
  setChatMenuButton: ({ state, params }) => {
    state.profile.menuButtons.set(textOf(params.chat_id), menuButtonOf(params.menu_button));
    return true;
  },
  getChatMenuButton: ({ state, params }) =>
    state.profile.menuButtons.get(textOf(params.chat_id)) ?? state.profile.menuButtons.get('') ?? { type: 'default' },
};

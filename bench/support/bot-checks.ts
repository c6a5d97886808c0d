/**
 * What the bot bench checks after each run, from the Bot API calls the run caused: every user
 * got exactly what the probe user got (the app), or one echo of each update (the ceiling).
 */
import { expect } from 'bun:test';
import type { RecordedCall } from '../../tests/fakes/telegram.ts';
import type { ChatMessage } from '../../tests/fakes/telegram/state.ts';

export const KINDS = ['/start', 'search', 'press'] as const;
export type Kind = (typeof KINDS)[number];

/** What the probe user got: the texts every user must get, and the product button it pressed. */
export interface Expected {
  search: string;
  menu: string;
  list: string;
  card: string;
  productData: string;
}

/** A group of users: their setup list (the message their press comes from), and where their updates sit in the file. */
export interface Group {
  users: number[];
  lists: Map<number, ChatMessage>;
  /** [from, to) of each kind's updates in the requests file, one per user. */
  slices: Record<Kind, { from: number; to: number }>;
}

/** The calls of one run, `method` only: exactly one per user of the group, each answered 200 and passing `check`. */
function onePerUser(calls: RecordedCall[], method: string, group: Group, check: (call: RecordedCall) => void) {
  const mine = calls.filter((call) => call.method === method);
  expect(mine.length).toBe(group.users.length);
  expect(new Set(mine.map((call) => Number(call.params.chat_id)))).toEqual(new Set(group.users));
  for (const call of mine) {
    expect(call.status).toBe(200);
    check(call);
  }
}

export function checkAppRun(kind: Kind, calls: RecordedCall[], group: Group, expected: Expected) {
  if (kind === 'press') {
    expect(calls.length).toBe(2 * group.users.length);
    onePerUser(calls, 'editMessageText', group, (call) => {
      expect(call.params.message_id).toBe(group.lists.get(Number(call.params.chat_id))!.message_id);
      expect(call.params.text).toBe(expected.card);
    });
    const answered = calls.filter((call) => call.method === 'answerCallbackQuery' && call.status === 200);
    expect(new Set(answered.map((call) => call.params.callback_query_id)).size).toBe(group.users.length);
    return;
  }
  expect(calls.length).toBe(group.users.length);
  const text = kind === '/start' ? expected.menu : expected.list;
  onePerUser(calls, 'sendMessage', group, (call) => expect(call.params.text).toBe(text));
}

export function checkCeilingRun(calls: RecordedCall[], group: Group, expected: Expected) {
  expect(calls.length).toBe(3 * group.users.length);
  const texts = new Map<number, string[]>();
  for (const call of calls) {
    expect(call.method).toBe('sendMessage');
    expect(call.status).toBe(200);
    const chat = Number(call.params.chat_id);
    texts.set(chat, [...(texts.get(chat) ?? []), String(call.params.text)]);
  }
  const echoes = ['/start', expected.search, expected.productData].sort();
  for (const user of group.users) expect(texts.get(user)?.sort()).toEqual(echoes);
}

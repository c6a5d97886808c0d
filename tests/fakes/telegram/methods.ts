/**
 * The Bot API methods the fake answers: one handler each, grouped by concern in the files next to
 * this one, over the shared state (state.ts). A handler returns the `result` of the success
 * envelope (or a Promise of it, or `Described` to add a description) or throws an ApiError. Add a
 * method by adding a handler to a group; names are matched case-insensitively, as Telegram does.
 */
import { chatMethods } from './chats.ts';
import { commandMethods } from './commands.ts';
import { fileMethods } from './files.ts';
import type { Upload } from './protocol.ts';
import { paymentMethods } from './payments.ts';
import { profileMethods } from './profile.ts';
import { queryMethods } from './queries.ts';
import { botUser, type FakeState } from './state.ts';
import { updateMethods } from './updates.ts';
import { webhookMethods } from './webhook.ts';

export type { FakeState } from './state.ts';

export interface MethodCall {
  params: Record<string, unknown>;
  uploads: Map<string, Upload>;
  state: FakeState;
  /** Aborts when the client goes away (a long poll then stops waiting). */
  signal: AbortSignal;
}

export type MethodHandler = (call: MethodCall) => unknown;

export const methods: Record<string, MethodHandler> = {
  getMe: ({ state }) => ({
    ...botUser(state),
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  }),
  ...updateMethods,
  ...webhookMethods,
  ...chatMethods,
  ...fileMethods,
  ...queryMethods,
  ...paymentMethods,
  ...commandMethods,
  ...profileMethods,
};

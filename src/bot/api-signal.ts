import type { Api } from 'grammy';

/** grammY types its signals with the abort-controller polyfill's class; the platform's is the same at run time. */
export type ApiSignal = NonNullable<Parameters<Api['getMe']>[0]>;
export const apiSignal = (signal: AbortSignal) => signal as unknown as ApiSignal;

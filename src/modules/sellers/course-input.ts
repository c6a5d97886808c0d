import { checkLine, length, type FieldCheck } from './profile.ts';

export const COURSE_TITLE_MIN = 5;
export const COURSE_TITLE_MAX = 100;
export const COURSE_DESCRIPTION_MAX = 1000;
export const COURSE_PRICE_MIN_CENTS = 100;
export const COURSE_PRICE_MAX_CENTS = 500_000;
export const COURSE_STARS_MAX = 100_000;

/** What a seller types for a new course, checked one answer at a time (the bot). */
export const checkCourseTitle = (input: string) => checkLine(input, COURSE_TITLE_MIN, COURSE_TITLE_MAX);

export function checkCourseDescription(input: string): FieldCheck<string> {
  const text = input.trim();
  if (!text) return { ok: false, reason: 'empty' };
  if (length(text) > COURSE_DESCRIPTION_MAX) return { ok: false, reason: 'too_long' };
  return { ok: true, value: text };
}

/**
 * A price typed as people write it: `12`, `12.5`, `12,50` (a comma is a decimal point in French),
 * at most two decimals, one separator: `12,3,4` or `1.234,56` are refused rather than guessed.
 */
export function parsePriceCents(input: string): FieldCheck<number> {
  const match = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(input.trim());
  if (!match) return { ok: false, reason: 'format' };
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0') || '0');
  if (cents < COURSE_PRICE_MIN_CENTS) return { ok: false, reason: 'too_short' };
  if (cents > COURSE_PRICE_MAX_CENTS) return { ok: false, reason: 'too_long' };
  return { ok: true, value: cents };
}

/** A whole number of Telegram Stars. */
export function parseStars(input: string): FieldCheck<number> {
  const text = input.trim();
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) return { ok: false, reason: 'format' };
  if (Number(text) > COURSE_STARS_MAX) return { ok: false, reason: 'too_long' };
  return { ok: true, value: Number(text) };
}

import { randomBytes, randomInt } from '../../lib/random.ts';
import { and, desc, eq, gt, gte } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { Locale, TextArgs } from '../../locales/index.ts';
import type { Db } from '../../store/database.ts';
import { type EmailCodePurpose, emailCodes } from '../../store/schema/index.ts';
import type { Notify } from '../notify/index.ts';

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_TRIES = 5;
/** Codes a subject may have sent in an hour: a stolen session cannot flood someone's mailbox. */
export const CODES_PER_HOUR = 5;
const HOUR_MS = 60 * 60_000;

type CodeRow = typeof emailCodes.$inferSelect;

/** What a typed code gives: the code's row when right, or why not (the faces word it). */
export type CodeCheck =
  | { ok: true; row: CodeRow }
  | { ok: false; reason: 'wrong'; triesLeft: number }
  | { ok: false; reason: 'expired' | 'exhausted' | 'none' };

export interface CodeSent {
  purpose: EmailCodePurpose;
  /** Where it went, masked (`a***@example.org`): a face may show it to whoever holds the session. */
  sent_to: string;
  expires_at: string;
}

export interface EmailCodesDeps {
  db: Db;
  clock: Clock;
  notify: Pick<Notify, 'enabled' | 'sendNow'>;
}

const hashOf = (salt: string, code: string) =>
  `${salt}:${new Bun.CryptoHasher('sha256').update(`${salt}:${code}`).digest('hex')}`;

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

/**
 * 6-digit codes sent by e-mail: 10 minutes, 5 tries, only a salted hash stored. A new code for
 * the same subject replaces the open one (only the newest can be typed).
 */
export function createEmailCodes({ db, clock, notify }: EmailCodesDeps) {
  function latest(subject: string): CodeRow | undefined {
    return db
      .select()
      .from(emailCodes)
      .where(eq(emailCodes.subject, subject))
      .orderBy(desc(emailCodes.createdAt), desc(emailCodes.id))
      .limit(1)
      .get();
  }

  /**
   * Sends a new code to `email` (in `lang`); refused without SMTP or after CODES_PER_HOUR codes.
   * A code that confirms a `change` comes with `shown`, the change in the e-mail's own words:
   * the reader then knows what the code confirms (someone else holding the key may have asked
   * for another change just after theirs, and only the newest code can be typed).
   * Sent at once rather than queued: a queued job would keep the code in clear in its payload,
   * and the seller is waiting for it (a server that refuses it is told to them straight away).
   */
  async function issue(
    subject: string,
    purpose: EmailCodePurpose,
    email: string,
    lang: Locale,
    change?: { stored: unknown; shown: TextArgs },
  ): Promise<CodeSent> {
    if (!notify.enabled) throw new AppError('unavailable', 'e-mail is not configured on this server');
    const now = clock.now();
    const recent = db
      .select({ id: emailCodes.id })
      .from(emailCodes)
      .where(and(eq(emailCodes.subject, subject), gt(emailCodes.createdAt, now - HOUR_MS)))
      .all();
    if (recent.length >= CODES_PER_HOUR)
      throw new AppError('rate_limited', 'too many codes sent; try again later', { reason: 'too_many_codes' }, 3600);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const row = db
      .insert(emailCodes)
      .values({
        subject,
        purpose,
        email,
        codeHash: hashOf(randomBytes(16).toString('hex'), code),
        attemptsLeft: CODE_TRIES,
        expiresAt: now + CODE_TTL_MS,
        change: change === undefined ? null : JSON.stringify(change.stored),
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    try {
      await notify.sendNow({
        purpose: purpose === 'verify-email' ? 'verify-code' : 'change-code',
        to: email,
        lang,
        args: { ...change?.shown, code, minutes: CODE_TTL_MS / 60_000 },
      });
    } catch {
      // The code never arrived: nobody can type it (it still counts towards the hourly limit).
      db.update(emailCodes).set({ attemptsLeft: 0, updatedAt: now }).where(eq(emailCodes.id, row.id)).run();
      // What the mail server said stays in the log (notify logs it), not in an answer to the client.
      throw new AppError('unavailable', 'the e-mail could not be sent; try again later', { reason: 'email_not_sent' });
    }
    return { purpose, sent_to: maskEmail(email), expires_at: new Date(row.expiresAt).toISOString() };
  }

  /** Checks a typed code against the subject's newest one; a wrong code spends a try. */
  function check(subject: string, typed: string): CodeCheck {
    const row = latest(subject);
    if (!row || row.usedAt !== null) return { ok: false, reason: 'none' };
    const now = clock.now();
    if (row.attemptsLeft <= 0) return { ok: false, reason: 'exhausted' };
    if (now >= row.expiresAt) return { ok: false, reason: 'expired' };
    const salt = row.codeHash.split(':')[0]!;
    if (hashOf(salt, typed.replace(/\s+/g, '')) === row.codeHash) {
      db.update(emailCodes).set({ usedAt: now, updatedAt: now }).where(eq(emailCodes.id, row.id)).run();
      return { ok: true, row: { ...row, usedAt: now } };
    }
    const triesLeft = row.attemptsLeft - 1;
    db.update(emailCodes).set({ attemptsLeft: triesLeft, updatedAt: now }).where(eq(emailCodes.id, row.id)).run();
    return triesLeft > 0 ? { ok: false, reason: 'wrong', triesLeft } : { ok: false, reason: 'exhausted' };
  }

  /** True when `email` was verified by `subject` within the last hour (the bot's onboarding, before the seller exists). */
  function verifiedRecently(subject: string, email: string): boolean {
    const row = db
      .select({ id: emailCodes.id })
      .from(emailCodes)
      .where(
        and(
          eq(emailCodes.subject, subject),
          eq(emailCodes.purpose, 'verify-email'),
          eq(emailCodes.email, email),
          gte(emailCodes.usedAt, clock.now() - HOUR_MS),
        ),
      )
      .get();
    return row !== undefined;
  }

  return { issue, check, verifiedRecently, enabled: () => notify.enabled };
}

export type EmailCodes = ReturnType<typeof createEmailCodes>;

import type { Clock } from '../../lib/clock.ts';
import type { Network } from '../../lib/crypto-address.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { type Locale, localeOf } from '../../locales/index.ts';
import type { SellerRow } from '../users/seller-accounts.ts';
import type { Users } from '../users/service.ts';
import type { CodeCheck, CodeSent, EmailCodes } from './email-codes.ts';
import type { SellerMetrics } from './metrics.ts';
import type { SellerPatchInput, SellerProfileInput, SellerView } from './model.ts';
import { checkProfile, isNetwork } from './profile.ts';

export type { SellerRow };

export const toSellerView = (row: SellerRow): SellerView => ({
  id: row.id,
  display_name: row.displayName,
  bio: row.bio,
  email: row.email,
  email_verified: row.email !== null && row.emailVerifiedAt !== null,
  payout_network: row.payoutNetwork && isNetwork(row.payoutNetwork) ? row.payoutNetwork : null,
  payout_address: row.payoutAddress,
  status: row.status,
  suspended_reason: row.status === 'suspended' ? row.suspendedReason : null,
  created_at: new Date(row.createdAt).toISOString(),
});

/** Where seller accounts are stored: the users module owns the `sellers` table. */
export type SellerAccounts = Pick<
  Users,
  'sellerAccount' | 'sellerAccountOfUser' | 'openSellerAccount' | 'updateSellerAccount' | 'sellerUser'
>;

export interface SellerProfilesDeps {
  users: SellerAccounts;
  metrics: SellerMetrics;
  codes: EmailCodes;
  clock: Clock;
}

/**
 * What a profile change did: `applied` (with the code sent to a new e-mail, if any), or `held`
 * until the code sent to the verified e-mail is typed (a new payout address or e-mail).
 */
export interface ProfileChange {
  status: 'applied' | 'held';
  seller: SellerView;
  verification: CodeSent | null;
}

export type CodeRefusal = Exclude<CodeCheck, { ok: true }>;

const userSubject = (userId: number) => `user:${userId}`;
const sellerSubject = (sellerId: number) => `seller:${sellerId}`;

/** Seller profiles: who sells, under what name, where they are paid, and their e-mail's proof. */
export function createSellerProfiles({ users, metrics, codes, clock }: SellerProfilesDeps) {
  function get(id: number): SellerRow {
    const row = users.sellerAccount(id);
    if (!row) throw notFound(`seller ${id}`);
    return row;
  }
  const languageOf = (id: number): Locale => localeOf(users.sellerUser(id)?.language);

  /**
   * Makes a Telegram user a seller with a complete profile, in one transaction: either the
   * whole profile is stored or nothing is. A user is one seller at most. The e-mail counts as
   * verified when this user typed its code during the onboarding.
   */
  function register(userId: number, input: SellerProfileInput): SellerView {
    const { value } = checkProfile(input);
    const email = value.email ?? null;
    const row = users.openSellerAccount(userId, {
      displayName: value.displayName!,
      bio: value.bio ?? null,
      email,
      emailVerifiedAt: email && codes.verifiedRecently(userSubject(userId), email) ? clock.now() : null,
      payoutNetwork: value.payoutNetwork!,
      payoutAddress: value.payoutAddress!,
    });
    metrics.onboarded.inc();
    return toSellerView(row);
  }

  /** Stores checked fields; a new e-mail is unverified and gets its code (sent first: a refusal changes nothing). */
  async function apply(current: SellerRow, value: ReturnType<typeof checkProfile>['value']): Promise<ProfileChange> {
    const newEmail = value.email !== undefined && value.email !== current.email;
    const email = value.email === undefined ? current.email : value.email;
    const unverified = newEmail || current.emailVerifiedAt === null;
    const verification =
      value.email !== undefined && email && unverified && codes.enabled()
        ? await codes.issue(sellerSubject(current.id), 'verify-email', email, languageOf(current.id))
        : null;
    const row = users.updateSellerAccount(current.id, newEmail ? { ...value, emailVerifiedAt: null } : value);
    if (!row) throw notFound(`seller ${current.id}`);
    return { status: 'applied', seller: toSellerView(row), verification };
  }

  /** The held change as the e-mail with its code words it (`what`: address, email or both). */
  function shownChange(
    current: SellerRow,
    value: ReturnType<typeof checkProfile>['value'],
    { newEmail, newAddress }: { newEmail: boolean; newAddress: boolean },
  ) {
    const what = newEmail && newAddress ? 'both' : newAddress ? 'address' : 'email';
    return {
      what,
      network: value.payoutNetwork ?? current.payoutNetwork ?? '',
      address: value.payoutAddress ?? '',
      email: value.email ?? '',
    };
  }

  const networkOf = (row: SellerRow) =>
    row.payoutNetwork && isNetwork(row.payoutNetwork) ? (row.payoutNetwork as Network) : null;

  /**
   * Changes the fields given; an address is checked against its network (the new one or the
   * current one). With a verified e-mail (and SMTP), a new payout address or e-mail waits for
   * the code sent to that e-mail: whoever holds the seller's key or chat alone cannot redirect
   * the payouts.
   */
  async function update(id: number, patch: SellerPatchInput): Promise<ProfileChange> {
    const current = get(id);
    const { value } = checkProfile(patch, { network: networkOf(current) });
    const newEmail = value.email !== undefined && value.email !== current.email;
    const newAddress =
      value.payoutAddress !== undefined &&
      (value.payoutAddress !== current.payoutAddress || value.payoutNetwork !== current.payoutNetwork);
    if ((newEmail || newAddress) && current.email && current.emailVerifiedAt !== null && codes.enabled()) {
      const verification = await codes.issue(sellerSubject(id), 'confirm-change', current.email, languageOf(id), {
        stored: patch satisfies SellerPatchInput,
        shown: shownChange(current, value, { newEmail, newAddress }),
      });
      return { status: 'held', seller: toSellerView(current), verification };
    }
    return apply(current, value);
  }

  /** The code e-mailed to the seller: verifies the e-mail, or applies the change it held. */
  async function confirm(id: number, typed: string): Promise<{ ok: true; change: ProfileChange } | CodeRefusal> {
    const checked = codes.check(sellerSubject(id), typed);
    if (!checked.ok) return checked;
    const current = get(id);
    if (checked.row.purpose === 'confirm-change') {
      const { value } = checkProfile(JSON.parse(checked.row.change!) as SellerPatchInput, {
        network: networkOf(current),
      });
      return { ok: true, change: await apply(current, value) };
    }
    if (current.email !== checked.row.email)
      throw new AppError('conflict', 'the e-mail changed since this code was sent', { reason: 'email_changed' });
    const row = users.updateSellerAccount(id, { emailVerifiedAt: clock.now() })!;
    return { ok: true, change: { status: 'applied', seller: toSellerView(row), verification: null } };
  }

  return {
    get,
    byUser: users.sellerAccountOfUser,
    register,
    update,
    confirm,
    view: (id: number) => toSellerView(get(id)),
    /** The onboarding's code, sent before the seller exists (the bot's /sell). */
    sendOnboardingCode: (userId: number, email: string, lang: Locale) =>
      codes.issue(userSubject(userId), 'verify-email', email, lang),
    checkOnboardingCode: (userId: number, typed: string) => codes.check(userSubject(userId), typed),
    /** True with SMTP: e-mails can be verified. */
    canVerifyEmail: () => codes.enabled(),
  };
}

export type SellerProfiles = ReturnType<typeof createSellerProfiles>;

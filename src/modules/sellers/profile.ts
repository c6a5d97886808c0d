import { checkAddress, NETWORKS, type Network } from '../../lib/crypto-address.ts';
import { AppError } from '../../lib/errors.ts';
import { BIO_MAX, EMAIL_MAX, NAME_MAX, NAME_MIN, type SellerPatchInput } from './model.ts';

/**
 * One check per profile field, shared by the bot (one question at a time, the reason picks the
 * message) and the service (a whole profile, the reasons become validation details).
 */
export type FieldCheck<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'empty' | 'too_short' | 'too_long' | 'format' | 'checksum' | 'network' };

/** Characters as people count them (an emoji is one), after trimming and folding inner whitespace runs. */
export const length = (text: string) => [...text].length;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** One line of text (a name, a title): trimmed, inner whitespace folded, from `min` to `max` characters. */
export function checkLine(input: string, min: number, max: number): FieldCheck<string> {
  const text = input.trim().replace(/\s+/g, ' ');
  if (!text) return { ok: false, reason: 'empty' };
  if (length(text) < min) return { ok: false, reason: 'too_short' };
  if (length(text) > max) return { ok: false, reason: 'too_long' };
  return { ok: true, value: text };
}

export const checkDisplayName = (input: string) => checkLine(input, NAME_MIN, NAME_MAX);

/** An empty bio is no bio. */
export function checkBio(input: string | null): FieldCheck<string | null> {
  const text = input?.trim() ?? '';
  if (length(text) > BIO_MAX) return { ok: false, reason: 'too_long' };
  return { ok: true, value: text || null };
}

/** E-mail addresses are kept lower-case: the same address typed twice is one. */
export function checkEmail(input: string | null): FieldCheck<string | null> {
  const text = input?.trim().toLowerCase() ?? '';
  if (!text) return { ok: true, value: null };
  if (text.length > EMAIL_MAX || !EMAIL.test(text)) return { ok: false, reason: 'format' };
  return { ok: true, value: text };
}

export const isNetwork = (value: string): value is Network => (NETWORKS as readonly string[]).includes(value);

export function checkPayoutAddress(network: Network, input: string): FieldCheck<string> {
  if (!input.trim()) return { ok: false, reason: 'empty' };
  const checked = checkAddress(network, input);
  return checked.ok ? { ok: true, value: checked.address } : { ok: false, reason: checked.reason };
}

const REASONS: Record<Exclude<FieldCheck<unknown>, { ok: true }>['reason'], string> = {
  empty: 'must not be empty',
  too_short: `too short`,
  too_long: 'too long',
  format: 'not in the expected format',
  checksum: 'checksum does not match (a typo?)',
  network: 'belongs to another network',
};

/**
 * A profile change checked field by field; every refused field is listed at once. The address
 * is checked against the network given, or the one already on the profile.
 */
export function checkProfile(
  input: SellerPatchInput,
  current: { network: Network | null } = { network: null },
): {
  value: Partial<{
    displayName: string;
    bio: string | null;
    email: string | null;
    payoutNetwork: Network;
    payoutAddress: string;
  }>;
} {
  const details: { in: string; field: string; message: string }[] = [];
  const value: ReturnType<typeof checkProfile>['value'] = {};
  const take = <T>(field: string, check: FieldCheck<T>, set: (v: T) => void) => {
    if (check.ok) set(check.value);
    else details.push({ in: 'body', field, message: REASONS[check.reason] });
  };
  if (input.display_name !== undefined)
    take('display_name', checkDisplayName(input.display_name), (v) => (value.displayName = v));
  if (input.bio !== undefined) take('bio', checkBio(input.bio), (v) => (value.bio = v));
  if (input.email !== undefined) take('email', checkEmail(input.email), (v) => (value.email = v));
  const network = input.payout_network ?? current.network;
  if (input.payout_address !== undefined || input.payout_network !== undefined) {
    if (!network || input.payout_address === undefined) {
      details.push({ in: 'body', field: 'payout_address', message: 'a network and an address go together' });
    } else {
      take('payout_address', checkPayoutAddress(network, input.payout_address), (v) => {
        value.payoutAddress = v;
        value.payoutNetwork = network;
      });
    }
  }
  if (details.length > 0)
    throw new AppError('validation_failed', `invalid profile: ${details.map((d) => d.field).join(', ')}`, details);
  return { value };
}

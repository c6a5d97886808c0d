import { Type } from '@sinclair/typebox';
import { t } from 'elysia';
import { NETWORKS } from '../../lib/crypto-address.ts';
import { oneOf } from '../../lib/schema.ts';
import { emailCodePurposes, payoutStatuses } from '../../store/schema/sellers.ts';

export const NAME_MIN = 2;
export const NAME_MAX = 50;
export const BIO_MAX = 500;
export const EMAIL_MAX = 254;

/** A seller's profile as the seller sees it, in both faces. */
export const Seller = t.Object({
  id: Type.Integer(),
  display_name: t.String(),
  bio: t.Union([t.String(), t.Null()]),
  email: t.Union([t.String(), t.Null()]),
  email_verified: t.Boolean({ description: 'The seller typed the 6-digit code e-mailed to `email`' }),
  payout_network: t.Union([oneOf(NETWORKS), t.Null()]),
  payout_address: t.Union([t.String(), t.Null()]),
  status: oneOf(['active', 'suspended'] as const),
  suspended_reason: t.Union([t.String(), t.Null()], { description: "The operator's reason, while suspended" }),
  created_at: t.String({ format: 'date-time' }),
});
export type SellerView = typeof Seller.static;

/** A new seller (the bot's onboarding) or a change of profile (PATCH /api/seller/me: every field optional). */
export const SellerProfileBody = t.Object(
  {
    display_name: t.String({ description: `${NAME_MIN} to ${NAME_MAX} characters` }),
    bio: t.Optional(t.Union([t.String({ description: `At most ${BIO_MAX} characters` }), t.Null()])),
    email: t.Optional(t.Union([t.String({ description: 'Where the marketplace writes to the seller' }), t.Null()])),
    payout_network: oneOf(NETWORKS),
    payout_address: t.String({ description: 'Checked against the network (checksums included)' }),
  },
  { additionalProperties: false },
);
export type SellerProfileInput = typeof SellerProfileBody.static;
export const SellerPatchBody = t.Partial(SellerProfileBody, { additionalProperties: false });
export type SellerPatchInput = typeof SellerPatchBody.static;

/** The seller's money, from the ledger, in the store currency (minor units). */
export const Balance = t.Object({
  currency: t.String(),
  credited_cents: Type.Integer({ description: "The seller's share of paid sales" }),
  refunded_cents: Type.Integer({ description: "The seller's share of refunded sales" }),
  pending_cents: Type.Integer({ description: 'Requested payouts not yet paid (reserved)' }),
  paid_out_cents: Type.Integer({ description: 'Payouts paid' }),
  available_cents: Type.Integer({
    description: 'What a payout request may take: credited - refunded - pending - paid out',
  }),
  payout_min_cents: Type.Integer({ description: 'The smallest payout that can be requested' }),
});
export type BalanceView = typeof Balance.static;

export const Payout = t.Object({
  id: Type.Integer(),
  amount_cents: Type.Integer(),
  currency: t.String(),
  network: t.String(),
  address: t.String(),
  status: oneOf(payoutStatuses),
  tx_hash: t.Union([t.String(), t.Null()]),
  reason: t.Union([t.String(), t.Null()]),
  created_at: t.String({ format: 'date-time' }),
  decided_at: t.Union([t.String({ format: 'date-time' }), t.Null()]),
});
export type PayoutView = typeof Payout.static;

export const PayoutRequestBody = t.Object(
  {
    amount_cents: t.Optional(Type.Integer({ minimum: 1, description: 'Defaults to the whole available balance' })),
  },
  { additionalProperties: false },
);

/** A 6-digit code just e-mailed: valid 10 minutes, 5 tries. */
export const CodeSentSchema = t.Object({
  purpose: oneOf(emailCodePurposes, {
    description:
      '`verify-email`: the code went to the new e-mail; `confirm-change`: the change waits for the code sent to the verified e-mail',
  }),
  sent_to: t.String({ description: 'The address, masked', examples: ['a***@example.org'] }),
  expires_at: t.String({ format: 'date-time' }),
});

/** The profile after a change, and the code e-mailed, if any. */
export const SellerChange = t.Composite([Seller, t.Object({ verification: t.Union([CodeSentSchema, t.Null()]) })]);

export const EmailCodeBody = t.Object(
  { code: t.String({ minLength: 1, maxLength: 20, description: 'The 6-digit code from the e-mail' }) },
  { additionalProperties: false },
);

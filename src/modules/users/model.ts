import { t } from 'elysia';
import { integer } from '../../lib/schema.ts';

export type Principal = { role: 'admin'; keyId: string } | { role: 'seller'; keyId: string; sellerId: number };

export const CreateApiKeyBody = t.Object(
  {
    role: t.Union([t.Literal('seller'), t.Literal('admin')], { description: 'What the key may do' }),
    seller_id: t.Optional(integer({ minimum: 1, description: 'Existing seller the key acts for' })),
    seller_name: t.Optional(
      t.String({ minLength: 2, maxLength: 80, description: 'Creates a new seller with this display name' }),
    ),
    label: t.Optional(t.String({ maxLength: 80, description: 'A note to recognise the key by' })),
  },
  { examples: [{ role: 'seller', seller_name: 'Ada Academy', label: 'Ada laptop' }] },
);
export type CreateApiKeyInput = typeof CreateApiKeyBody.static;

export const ApiKeyCreated = t.Object({
  id: t.String({ description: 'Key id, used to revoke it' }),
  key: t.String({ description: 'The secret key. Shown once: store it now.' }),
  role: t.Union([t.Literal('seller'), t.Literal('admin')]),
  seller_id: t.Union([integer(), t.Null()]),
  label: t.Union([t.String(), t.Null()]),
  created_at: t.String({ format: 'date-time' }),
});
export type ApiKeyCreatedView = typeof ApiKeyCreated.static;

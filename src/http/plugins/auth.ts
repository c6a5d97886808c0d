import { Elysia } from 'elysia';
import { AppError } from '../../lib/errors.ts';
import type { ApiKeys } from '../../modules/users/api-keys.ts';
import type { Principal } from '../../modules/users/model.ts';

export const bearerSecurity = [{ bearerAuth: [] }];

/** The key of an `Authorization: Bearer <key>` header, if there is one. */
export const bearerKey = (authorization: string | undefined): string | undefined =>
  /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];

/** The id of the API key a request carries, only when that key verifies (rate limits count per key). */
export const verifiedKeyId = (apiKeys: ApiKeys) => (request: Request) => {
  const key = bearerKey(request.headers.get('authorization') ?? undefined);
  return key ? apiKeys.authenticate(key)?.keyId : undefined;
};

/**
 * `auth: 'seller'` or `auth: 'admin'` on a route requires a bearer API key of that role
 * (an admin key passes a seller route) and hands the route its `principal`. The key is
 * checked in `transform`, before the body is validated: a caller without a key learns
 * that first, not what its body lacks.
 */
export const authPlugin = (apiKeys: ApiKeys) => {
  const principals = new WeakMap<Request, Principal>();
  return new Elysia({ name: 'auth' }).macro({
    auth: (role: 'seller' | 'admin') => ({
      // The header is read from the request itself: the compiled binary is minified, and Elysia's
      // inference of which context fields a hook uses (from its source) misses a renamed
      // `headers`, leaving it undefined (elysiajs/elysia#568).
      transform({ request }) {
        const key = bearerKey(request.headers.get('authorization') ?? undefined);
        if (!key) throw new AppError('unauthorized', 'this operation needs an API key: Authorization: Bearer <key>');
        const principal = apiKeys.authenticate(key);
        if (!principal) throw new AppError('unauthorized', 'unknown or revoked API key');
        if (role === 'admin' && principal.role !== 'admin')
          throw new AppError('forbidden', 'this operation needs an admin key');
        principals.set(request, principal);
      },
      resolve({ request }): { principal: Principal } {
        const principal = principals.get(request);
        if (!principal) throw new AppError('unauthorized', 'this operation needs an API key');
        return { principal };
      },
    }),
  });
};

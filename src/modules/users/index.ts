import type { ModuleBase } from '../base.ts';
import { createApiKeys } from './api-keys.ts';
import { createAudience } from './audience.ts';
import { createUserLookup } from './lookup.ts';
import { createUserModeration } from './moderation.ts';
import { createSellerSuspension } from './seller-suspension.ts';
import { createUsers } from './service.ts';
import { createUserStats } from './stats.ts';

/**
 * People and credentials. Owns the tables `users`, `sellers`, `api_keys`. Depends on no other
 * module; the others ask it for sellers and names (users.seller, sellerNames, authorNames).
 */
export function createUsersModule({ db, clock, config }: ModuleBase) {
  return {
    users: createUsers({ db, clock }),
    apiKeys: createApiKeys({ db, clock, adminApiKey: config.admin.apiKey }),
    /** The operator's side (admin module): bans, seller suspensions, sign-ups, broadcast audiences. */
    operator: {
      userModeration: createUserModeration({ db, clock }),
      sellerSuspension: createSellerSuspension({ db, clock }),
      userStats: createUserStats({ db }),
      audience: createAudience({ db }),
      /** Finds a person by Telegram id, @username or e-mail (the operator's order search). */
      findPerson: createUserLookup({ db }),
    },
  };
}

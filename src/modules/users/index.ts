import type { ModuleBase } from '../base.ts';
import { createApiKeys } from './api-keys.ts';
import { createUsers } from './service.ts';

/**
 * People and credentials. Owns the tables `users`, `sellers`, `api_keys`. Depends on no other
 * module; the others ask it for sellers and names (users.seller, sellerNames, authorNames).
 */
export function createUsersModule({ db, clock, config }: ModuleBase) {
  return {
    users: createUsers({ db, clock }),
    apiKeys: createApiKeys({ db, clock, adminApiKey: config.admin.apiKey }),
  };
}

import { bearerSecurity } from '../plugins/auth.ts';

/** The OpenAPI detail of an admin route: tagged Admin, behind the admin key. */
export const adminDetail = (operationId: string, summary: string, description?: string) => ({
  tags: ['Admin'],
  operationId,
  summary,
  description,
  security: bearerSecurity,
});

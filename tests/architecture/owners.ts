/**
 * Who owns each name src/store/schema exports: a module folder under src/modules/, or the
 * piece outside the modules that alone may use it. docs/architecture.md shows the same map.
 */
export const SCHEMA_OWNERS: Record<string, string> = {
  categories: 'catalog',
  products: 'catalog',
  reviews: 'catalog',
  ProductStatus: 'catalog',
  files: 'files',
  uploadTokens: 'files',
  downloads: 'files',
  orders: 'orders',
  orderEvents: 'orders',
  orderStatuses: 'orders',
  OrderStatus: 'orders',
  entitlements: 'orders',
  ledgerEntries: 'orders',
  orderTokens: 'orders',
  payments: 'payments',
  paymentEvents: 'payments',
  users: 'users',
  sellers: 'users',
  apiKeys: 'users',
  Role: 'users',
  supportTickets: 'support',
  // Payouts to sellers; the sellers module reads and writes the `sellers` rows through the users service.
  payouts: 'sellers',
  payoutStatuses: 'sellers',
  PayoutStatus: 'sellers',
  // E-mail codes: verification of a seller's address, confirmation of sensitive profile changes.
  emailCodes: 'sellers',
  emailCodePurposes: 'sellers',
  EmailCodePurpose: 'sellers',
  // The operator's audit trail and broadcasts.
  adminActions: 'admin',
  broadcasts: 'admin',
  broadcastRecipients: 'admin',
  BroadcastAudience: 'admin',
  // Not the marketplace's: the job queue's table (lib/queue) and the bot's sessions.
  jobs: '(lib/queue)',
  botSessions: '(bot sessions)',
  // Column helpers the schema files share.
  timestamps: '(schema)',
};

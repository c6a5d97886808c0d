export * from './catalog.ts';
export * from './files.ts';
export * from './ops.ts';
export * from './orders.ts';
export * from './sellers.ts';
export * from './users.ts';
export * from './admin.ts';
export * from './order-tokens.ts';

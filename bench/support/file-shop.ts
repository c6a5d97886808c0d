/**
 * The shop around the files bench's uploads, on the server process under test: a product that
 * carries an uploaded file, a buyer who owns it, and the signed link the bot would hand out.
 */
import { Database } from 'bun:sqlite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signDownloadToken } from '../../src/modules/files/download-token.ts';
import { DOWNLOADS_PATH } from '../../src/http/routes/downloads.ts';

export interface ShopServer {
  url: string;
  /** ADMIN_API_KEY of the server. */
  adminKey: string;
  dataDir: string;
}

export interface Purchase {
  buyerId: number;
  productId: string;
}

async function api(server: ShopServer, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Seller number `n`'s product carrying the file, and buyer number `n` who owns it. The seller
 * and the product go through the API; the purchase (user, paid order, entitlement) is written
 * straight into the server's database file (WAL: a second connection is fine), as a paid order
 * leaves it.
 */
export async function purchasedProduct(server: ShopServer, fileId: string, n: number): Promise<Purchase> {
  const seller = await api(server, 'POST', '/api/admin/api-keys', {
    role: 'seller',
    seller_name: `Bench Academy ${n}`,
  });
  const product = await api(server, 'POST', '/api/products', {
    title: `Bench course ${n}`,
    description: 'A course file of the files bench.',
    price_cents: 4900,
    category: 'business',
    seller_id: seller.seller_id,
    file_id: fileId,
  });
  const productId = product.id as string;
  const db = new Database(join(server.dataDir, 'techbot.db'));
  try {
    db.run('PRAGMA busy_timeout = 5000');
    const now = Date.now();
    const buyer = db
      .query(
        'INSERT INTO users (telegram_id, first_name, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
      )
      .get(900_000 + n, `Bench buyer ${n}`, 'en', now, now) as { id: number };
    const orderId = `bench-order-${n}`;
    db.run(
      `INSERT INTO orders (id, buyer_id, product_id, seller_id, status, payment_method, price_cents, currency,
         fee_cents, seller_amount_cents, paid_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'paid', 'crypto', 4900, 'USD', 245, 4655, ?, ?, ?)`,
      [orderId, buyer.id, productId, seller.seller_id as number, now, now, now],
    );
    db.run('INSERT INTO entitlements (user_id, product_id, order_id, created_at) VALUES (?, ?, ?, ?)', [
      buyer.id,
      productId,
      orderId,
      now,
    ]);
    return { buyerId: buyer.id, productId };
  } finally {
    db.close();
  }
}

/** A download link minted here with the server's own key (DATA_DIR/download.key), as the bot gets one. */
export function downloadUrl(server: ShopServer, fileId: string, purchase: Purchase): string {
  const secret = readFileSync(join(server.dataDir, 'download.key'), 'utf8').trim();
  const token = signDownloadToken(secret, { ...purchase, fileId, expiresAt: Date.now() + 3600_000 });
  return `${server.url}${DOWNLOADS_PATH}/${token}`;
}

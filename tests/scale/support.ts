import type { startServer } from '../support/process.ts';

export const ADMIN_KEY = 'admin-key-for-scaling-0123456789abcd';

export type Started = Awaited<ReturnType<typeof startServer>>;

/** One API call to a running process: its status and JSON body (null when there is none). */
export async function request<T>(app: Started, method: string, path: string, body?: object | Uint8Array, key?: string) {
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  if (body && !(body instanceof Uint8Array)) headers['content-type'] = 'application/json';
  const payload = body === undefined || body instanceof Uint8Array ? body : JSON.stringify(body);
  const response = await fetch(`${app.url}${path}`, { method, headers, body: payload });
  return { status: response.status, body: (await response.json().catch(() => null)) as T };
}

/** A new seller lists a course through `app`: its key and the product's creation answer. */
export async function listCourse(app: Started, title: string, call: typeof request = request) {
  const seller = await call<{ key: string }>(
    app,
    'POST',
    '/api/admin/api-keys',
    { role: 'seller', seller_name: 'Scale Academy' },
    ADMIN_KEY,
  );
  const pdf = new Uint8Array([
    ...new TextEncoder().encode('%PDF-1.5\n'),
    ...crypto.getRandomValues(new Uint8Array(2048)),
  ]);
  const upload = await call<{ file_id: string }>(app, 'POST', '/api/upload?filename=course.pdf', pdf, seller.body.key);
  const product = await call<{ id: string }>(
    app,
    'POST',
    '/api/products',
    {
      title,
      description: 'Several processes, one Redis.',
      price_cents: 1500,
      category: 'finance-crypto',
      file_id: upload.body.file_id,
    },
    seller.body.key,
  );
  return { sellerKey: seller.body.key, product };
}

import type { ClientResolver } from '../../lib/trusted-proxies.ts';

/**
 * The path a request is routed by, as the router sees it: Elysia ignores a trailing slash, so
 * `/api/products/` must count as `/api/products` wherever a rule depends on the path.
 */
export const routePath = (request: Request): string => new URL(request.url).pathname.replace(/\/+$/, '') || '/';

/** What Elysia's `server` offers to find the peer of a request. */
export interface PeerSource {
  requestIP(request: Request): { address: string } | null;
}

/** The address a request counts as, for limits. */
export type ClientOf = (server: PeerSource | null | undefined, request: Request) => string;

/**
 * The connection's peer address; behind a trusted proxy, the client its X-Forwarded-For names
 * (`resolve`, from TRUSTED_PROXIES). Without one, no header is believed.
 */
export const clientAddress =
  (resolve: ClientResolver): ClientOf =>
  (server, request) =>
    resolve(server?.requestIP(request)?.address ?? 'unknown', request.headers.get('x-forwarded-for'));

/** Whether the request comes with a body (one still to be read, when it is refused early). */
export function announcesBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  return (length !== null && length !== '0') || request.headers.has('transfer-encoding');
}

/**
 * For a refusal sent before the body was read: the connection is closed after the answer.
 * Kept open, Bun would go on reading the rest of the body, however slowly it comes.
 */
export function closeIfBodyUnread(request: Request, set: { headers: Record<string, unknown> }): void {
  if (announcesBody(request)) set.headers.connection = 'close';
}

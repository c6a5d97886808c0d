import { AppError } from '../../lib/errors.ts';

/**
 * Keyset cursors: the sort key and id of the last row of a page, opaque to clients
 * (base64url JSON). The sort is part of the cursor so a cursor cannot be replayed under
 * another order.
 */
export type CursorKey = number | string;

export function encodeCursor(sort: string, key: CursorKey, id: string | number): string {
  return Buffer.from(JSON.stringify([sort, key, id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string): { key: CursorKey; id: string | number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== sort ||
    !['number', 'string'].includes(typeof parsed[1]) ||
    !['number', 'string'].includes(typeof parsed[2])
  ) {
    throw new AppError('bad_request', 'invalid cursor: pass next_cursor from a page with the same sort', [
      { in: 'query', field: 'cursor', message: 'not a cursor of this listing' },
    ]);
  }
  return { key: parsed[1], id: parsed[2] };
}

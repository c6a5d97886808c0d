import { t } from 'elysia';
import { integer, oneOf } from '../../lib/schema.ts';

/** Request and response shapes of course files, shared by the HTTP and Telegram faces. */

export const UploadQuery = t.Object({
  filename: t.String({
    minLength: 1,
    maxLength: 1024,
    description: 'Original file name. Its extension must be accepted and match the content; path parts are dropped.',
    examples: ['bitcoin-from-zero.pdf'],
  }),
});

export const UploadedFile = t.Object({
  file_id: t.String({ description: 'Pass as `file_id` when creating or updating a product' }),
  name: t.String({ description: 'The sanitised name buyers will see' }),
  size_bytes: integer({ description: 'Size of the file as uploaded' }),
  stored_size_bytes: integer({ description: 'Size on disk (smaller when compressed)' }),
  sha256: t.String({ description: 'SHA-256 of the uploaded bytes, hex' }),
  type: t.String({ description: 'Media type, checked against the content', examples: ['application/pdf'] }),
  extension: t.String({ examples: ['pdf'] }),
  compression: oneOf(['none', 'gzip'], { description: 'How it is stored; downloads always get the original bytes' }),
});
export type UploadedFileView = typeof UploadedFile.static;

/**
 * Files: sendDocument and sendPhoto (a multipart upload, directly or through attach://, or a known
 * file_id), getFile. What the bot uploaded stays reachable by file_id and downloadable by path.
 */
import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import { checkedCaption, sendToChat } from './chats.ts';
import type { MethodCall, MethodHandler } from './methods.ts';
import {
  ApiError,
  DOWNLOAD_LIMIT_BYTES,
  errorResponse,
  TelegramErrors,
  UPLOAD_LIMIT_BYTES,
  type Upload,
} from './protocol.ts';
import { bad, targetChat, textOf, type FakeState, type StoredFile } from './state.ts';

const randomId = (bytes: number) => randomBytes(bytes).toString('base64url');

/** Telegram detects the type from the name; these are the ones course files use. */
const MIME_BY_EXTENSION: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.epub': 'application/epub+zip',
  '.zip': 'application/zip',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.mp4': 'video/mp4',
  '.mp3': 'audio/mpeg',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** `limit`: what a bot may upload (50 MB); a user's own documents go up to 2 GB, beyond what a bot may download. */
function storeUpload(
  state: FakeState,
  upload: Upload,
  kind: StoredFile['kind'],
  limit = UPLOAD_LIMIT_BYTES,
): StoredFile {
  if (upload.size > limit) throw new ApiError(TelegramErrors.entityTooLarge());
  const file: StoredFile = {
    // Real ids are opaque; these mimic their look (documents BQAC..., photos AgAC...).
    file_id: `${kind === 'photos' ? 'AgACAgIAAxkBAAI' : 'BQACAgIAAxkBAAI'}${randomId(30)}`,
    file_unique_id: `AgAD${randomId(9)}`,
    file_name: upload.filename,
    mime_type: MIME_BY_EXTENSION[extname(upload.filename).toLowerCase()] ?? 'application/octet-stream',
    file_size: upload.size,
    sha256: upload.sha256,
    bytes: upload.bytes,
    kind,
  };
  state.files.set(file.file_id, file);
  return file;
}

/** The `field` parameter as an uploaded part (directly or through attach://), or a known file_id. */
function inputFileOf({ params, uploads, state }: MethodCall, field: 'document' | 'photo'): StoredFile {
  const value = params[field];
  const attached = typeof value === 'string' && value.startsWith('attach://') ? uploads.get(value.slice(9)) : undefined;
  const upload = attached ?? uploads.get(field);
  if (upload) return storeUpload(state, upload, field === 'photo' ? 'photos' : 'documents');
  if (value === undefined || value === '') throw bad(`there is no ${field} in the request`);
  // HTTP URLs are not fetched by this fake: they get the answer Telegram gives a URL it refuses.
  const known = typeof value === 'string' ? state.files.get(value) : undefined;
  if (!known) throw bad('wrong file identifier/HTTP URL specified');
  return known;
}

/** Width and height from a PNG header (what QR code libraries produce); else a square guess. */
function pictureSize(bytes: Uint8Array): { width: number; height: number } {
  const png = bytes.length > 24 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (!png) return { width: 512, height: 512 };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export const fileMethods: Record<string, MethodHandler> = {
  sendDocument: (call) => {
    const chat = targetChat(call.state, call.params);
    const caption = checkedCaption(call);
    const { file_id, file_unique_id, file_name, mime_type, file_size } = inputFileOf(call, 'document');
    return sendToChat(call, chat, {
      document: { file_name, mime_type, file_id, file_unique_id, file_size },
      ...(caption ? { caption } : {}),
    });
  },

  sendPhoto: (call) => {
    const chat = targetChat(call.state, call.params);
    const caption = checkedCaption(call);
    const file = inputFileOf(call, 'photo');
    const size = {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.file_size,
      ...pictureSize(file.bytes),
    };
    return sendToChat(call, chat, { photo: [size], ...(caption ? { caption } : {}) });
  },

  getFile: ({ params, state }) => {
    const file = state.files.get(textOf(params.file_id));
    if (!file) throw bad('invalid file_id');
    if (file.file_size > DOWNLOAD_LIMIT_BYTES) throw bad('file is too big');
    if (!file.file_path) {
      const extension = file.kind === 'photos' ? '.jpg' : extname(file.file_name).toLowerCase();
      file.file_path = `${file.kind}/file_${state.paths.size}${extension}`;
      state.paths.set(file.file_path, file.file_id);
    }
    const { file_id, file_unique_id, file_size, file_path } = file;
    return { file_id, file_unique_id, file_size, file_path };
  },
};

/**
 * `GET <apiRoot>/file/bot<token>/<file_path>` as Telegram answers it: the bytes of a file whose
 * path a getFile handed out (for this token), else 404 with the Bot API's JSON error.
 */
export function downloadResponse(state: FakeState, token: string, tokenInPath: string, filePath: string): Response {
  const fileId = tokenInPath === token ? state.paths.get(filePath) : undefined;
  const file = fileId ? state.files.get(fileId) : undefined;
  if (!file) {
    const { status, envelope, headers } = errorResponse(TelegramErrors.notFound());
    return Response.json(envelope, { status, headers });
  }
  return new Response(file.bytes, {
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(file.file_size) },
  });
}

/** A document a user sends: kept like Telegram keeps it (file_id, later getFile and download). */
export function storeUserDocument(state: FakeState, name: string, bytes: Uint8Array, sha256: string): StoredFile {
  return storeUpload(
    state,
    { field: 'document', filename: name, bytes, size: bytes.byteLength, sha256 },
    'documents',
    Infinity,
  );
}

/** A photo a user sends (h-ops: a broadcast's picture): kept like Telegram keeps it, re-sendable by file_id. */
export function storeUserPhoto(state: FakeState, bytes: Uint8Array, sha256: string): StoredFile {
  return storeUpload(state, { field: 'photo', filename: 'photo.jpg', bytes, size: bytes.byteLength, sha256 }, 'photos');
}

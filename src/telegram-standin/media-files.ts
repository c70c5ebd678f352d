import type { Document, PhotoSize } from "@grammyjs/types";
import { BotApiError } from "./bot-api-error.js";
import { sniffImageSize } from "./image-bytes.js";
import type { StoredFile } from "./records.js";
import { UploadedFile } from "./uploaded-file.js";
import type { StandinWorld } from "./world.js";

/** The sides of the sizes Telegram keeps of a photo (s, m, x, y, w). */
const PHOTO_SIDES = [90, 320, 800, 1280, 2560];

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: "application/pdf",
  txt: "text/plain",
  csv: "text/csv",
  json: "application/json",
  zip: "application/zip",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/**
 * Stores a photo the way Telegram does: several sizes, each with its own file_id. The stand-in
 * does not re-encode, so every size serves the original bytes.
 */
export function storePhoto(world: StandinWorld, bytes: Uint8Array): PhotoSize[] {
  const size = sniffImageSize(bytes);
  if (!size || size.width === 0 || size.height === 0) throw BotApiError.badRequest("IMAGE_PROCESS_FAILED");
  const longest = Math.max(size.width, size.height);
  const sides = PHOTO_SIDES.filter((side) => side < longest);
  sides.push(Math.min(longest, 2560));
  const extension = bytes[0] === 0x89 ? "png" : "jpg";
  const sizes = sides.map((side): PhotoSize => {
    const scale = side / longest;
    const width = Math.max(1, Math.round(size.width * scale));
    const height = Math.max(1, Math.round(size.height * scale));
    const file = world.storeFile(
      { kind: "photo", bytes, mimeType: `image/${extension === "png" ? "png" : "jpeg"}`, fileName: undefined, width, height },
      extension,
    );
    return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: bytes.byteLength, width, height };
  });
  for (const photo of sizes) world.photoSets.set(photo.file_id, sizes);
  return sizes;
}

export function storeDocument(world: StandinWorld, bytes: Uint8Array, fileName: string, mimeType?: string): Document {
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1]?.toLowerCase() ?? "dat";
  const file = world.storeFile(
    {
      kind: "document",
      bytes,
      fileName,
      mimeType: mimeType ?? MIME_BY_EXTENSION[extension] ?? "application/octet-stream",
      width: undefined,
      height: undefined,
    },
    extension,
  );
  return documentOf(file);
}

/** The photo to put into a message, from an upload, a known file_id or an HTTP URL. */
export async function photoFrom(world: StandinWorld, input: UploadedFile | string): Promise<PhotoSize[]> {
  if (input instanceof UploadedFile) return storePhoto(world, input.bytes);
  const known = world.files.get(input);
  if (known) {
    if (known.kind !== "photo") throw BotApiError.badRequest("type of file mismatch");
    return world.photoSets.get(known.fileId) ?? storePhoto(world, known.bytes);
  }
  return storePhoto(world, await download(input));
}

export async function documentFrom(world: StandinWorld, input: UploadedFile | string): Promise<Document> {
  if (input instanceof UploadedFile) {
    const contentType = input.contentType === "application/octet-stream" ? undefined : input.contentType;
    return storeDocument(world, input.bytes, input.fileName ?? "document.dat", contentType);
  }
  const known = world.files.get(input);
  if (known) return documentOf(known);
  const name = new URL(input).pathname.split("/").pop() || "document.dat";
  return storeDocument(world, await download(input), name);
}

function documentOf(file: StoredFile): Document {
  const document: Document = { file_id: file.fileId, file_unique_id: file.fileUniqueId };
  if (file.fileName !== undefined) document.file_name = file.fileName;
  if (file.mimeType !== undefined) document.mime_type = file.mimeType;
  document.file_size = file.bytes.byteLength;
  return document;
}

async function download(input: string): Promise<Uint8Array> {
  if (!/^https?:\/\//i.test(input)) throw BotApiError.badRequest("wrong file identifier/HTTP URL specified");
  try {
    const response = await fetch(input, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(String(response.status));
    return new Uint8Array(await response.arrayBuffer());
  } catch {
    throw BotApiError.badRequest("failed to get HTTP URL content");
  }
}

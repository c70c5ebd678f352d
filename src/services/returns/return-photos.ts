import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { findReturnRequest, setReturnPhotoStoredPath, type ReturnPhotoRecord } from "../../db/return-request-repository.js";
import { newId } from "../../shared/ids.js";
import type { ServiceDependencies } from "../service-dependencies.js";

/** Downloads a file the customer sent, by its Telegram file_id (the bot layer implements it). */
export interface TelegramFileSource {
  /** The file's bytes; throws when Telegram does not give them. */
  download(fileId: string): Promise<Uint8Array>;
}

/** PNG and JPEG are what Telegram photos are; anything else is served as bytes. */
export function imageContentType(bytes: Uint8Array): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return "image/jpeg";
  return "application/octet-stream";
}

const extensionOf = (contentType: string) => ({ "image/png": "png", "image/jpeg": "jpg" })[contentType] ?? "bin";

/** Keeps a photo's bytes under returns.photos.directory and records where. */
async function keepPhoto(deps: ServiceDependencies, returnId: string, photo: ReturnPhotoRecord, bytes: Uint8Array): Promise<string> {
  const directory = deps.config().returns.photos.directory;
  // Names come from ids ordergram made and Telegram's unique id (URL-safe base64): no path tricks.
  const relative = path.posix.join(
    returnId,
    `${photo.position}-${photo.fileUniqueId.replace(/[^A-Za-z0-9_-]/g, "_")}.${extensionOf(imageContentType(bytes))}`,
  );
  await mkdir(path.join(directory, returnId), { recursive: true });
  // Written aside and renamed into place: the copy kept after the form and the one kept when the
  // shop downloads first may be written at once, and a reader never sees half a file.
  const target = path.join(directory, relative);
  const partial = `${target}.${newId()}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, target);
  await setReturnPhotoStoredPath(deps.db, photo.id, relative);
  return relative;
}

/**
 * Fetches a request's photos from Telegram and keeps them (when returns.photos.keep is on). Best
 * effort: a photo that cannot be fetched now is fetched when the shop first asks for it.
 */
export async function keepReturnPhotos(
  deps: ServiceDependencies,
  files: TelegramFileSource,
  returnId: string,
): Promise<{ kept: number; failed: number }> {
  if (!deps.config().returns.photos.keep) return { kept: 0, failed: 0 };
  const request = await findReturnRequest(deps.db, returnId);
  let kept = 0;
  let failed = 0;
  for (const photo of request?.photos ?? []) {
    if (photo.storedPath) continue;
    try {
      await keepPhoto(deps, returnId, photo, await files.download(photo.fileId));
      kept++;
    } catch (error) {
      failed++;
      deps.logger.warn({ err: error, returnId, photoId: photo.id }, "could not keep a return photo now; it is fetched when the shop asks");
    }
  }
  return { kept, failed };
}

export type ReturnPhotoResult =
  { type: "ok"; bytes: Uint8Array; contentType: string } | { type: "not_found" } | { type: "unavailable"; detail: string };

/** A photo's bytes for the shop: the kept copy, else from Telegram (and kept then, when configured). */
export async function readReturnPhoto(
  deps: ServiceDependencies,
  files: TelegramFileSource | null,
  input: { returnId: string; photoId: string },
): Promise<ReturnPhotoResult> {
  const request = await findReturnRequest(deps.db, input.returnId);
  const photo = request?.photos.find((p) => p.id === input.photoId);
  if (!photo) return { type: "not_found" };
  const config = deps.config().returns.photos;
  if (photo.storedPath) {
    try {
      const bytes = new Uint8Array(await readFile(path.join(config.directory, photo.storedPath)));
      return { type: "ok", bytes, contentType: imageContentType(bytes) };
    } catch (error) {
      deps.logger.warn(
        { err: error, returnId: input.returnId, photoId: photo.id },
        "a kept return photo is missing; fetching it from Telegram",
      );
    }
  }
  if (!files) return { type: "unavailable", detail: "no connection to Telegram" };
  let bytes: Uint8Array;
  try {
    bytes = await files.download(photo.fileId);
  } catch (error) {
    return { type: "unavailable", detail: String(error).slice(0, 200) };
  }
  if (config.keep) {
    await keepPhoto(deps, input.returnId, photo, bytes).catch((error: unknown) =>
      deps.logger.warn({ err: error, photoId: photo.id }, "could not keep a return photo"),
    );
  }
  return { type: "ok", bytes, contentType: imageContentType(bytes) };
}

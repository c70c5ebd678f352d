import { BotApiError } from "../bot-api-error.js";
import { paramsOf, type MethodTable } from "./method-call.js";

/** Bots may download files up to 20 MB through the cloud Bot API. */
const DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

export const fileMethods: MethodTable = {
  getFile(call) {
    const p = paramsOf(call, "getFile");
    const file = call.world.files.get(p.file_id);
    if (!file) throw BotApiError.badRequest("invalid file_id");
    if (file.bytes.byteLength > DOWNLOAD_LIMIT_BYTES) throw BotApiError.badRequest("file is too big");
    return {
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_size: file.bytes.byteLength,
      file_path: file.filePath,
    };
  },
};

import type { Api } from "grammy";
import type { TelegramFileSource } from "../../services/returns/return-photos.js";

const telegramApiRoot = "https://api.telegram.org";

/**
 * Downloads files customers sent to the bot: getFile, then the Bot API's file route
 * (`<apiRoot>/file/bot<token>/<file_path>`), on the same server the bot talks to.
 */
export function telegramFileSource(api: Api): TelegramFileSource {
  return {
    async download(fileId) {
      const file = await api.getFile(fileId);
      if (!file.file_path) throw new Error(`Telegram gave no path for file ${fileId}`);
      const root = api.options?.apiRoot ?? telegramApiRoot;
      const response = await fetch(`${root}/file/bot${api.token}/${file.file_path}`);
      if (!response.ok) throw new Error(`Telegram answered ${response.status} for file ${fileId}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

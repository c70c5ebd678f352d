import { DeliveryError } from "../../outbox/delivery-error.js";
import { classifyTelegramError } from "../../telegram/telegram-error.js";

/**
 * Makes a Telegram call to `chatId`. A 403 from a group (negative id) means the bot was removed
 * from the managers' group: the managers' side is broken, not a customer unreachable.
 */
export async function callTelegram<T>(chatId: bigint, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const failure = classifyTelegramError(error);
    if (chatId < 0n && failure.type === "forbidden")
      throw new DeliveryError("permanent", `managers' group: ${failure.description}`, { cause: error });
    throw error;
  }
}

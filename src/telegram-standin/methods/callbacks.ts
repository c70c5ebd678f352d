import { BotApiError } from "../bot-api-error.js";
import { paramsOf, type MethodTable } from "./method-call.js";

/** Late answers are refused like Telegram does; the exact window is undocumented, this one is generous. */
const ANSWER_WINDOW_MS = 15 * 60 * 1000;

export const callbackMethods: MethodTable = {
  answerCallbackQuery(call) {
    const p = paramsOf(call, "answerCallbackQuery");
    const query = call.bot.callbackQueries.get(p.callback_query_id);
    const expired = query !== undefined && Date.now() - query.createdAt > ANSWER_WINDOW_MS;
    if (!query || query.answer || expired) {
      throw BotApiError.badRequest("query is too old and response timeout expired or query ID is invalid");
    }
    if (p.text !== undefined && p.text.length > 200) throw BotApiError.badRequest("MESSAGE_TOO_LONG");
    const answer = {
      showAlert: p.show_alert === true,
      ...(p.text !== undefined ? { text: p.text } : {}),
      ...(p.url !== undefined ? { url: p.url } : {}),
    };
    query.answer = answer;
    for (const notify of query.onAnswer.splice(0)) notify(answer);
    return true;
  },
};

import { botSettingsMethods } from "./bot-settings.js";
import { callbackMethods } from "./callbacks.js";
import { chatMethods } from "./chats.js";
import { editMethods } from "./edits.js";
import { fileMethods } from "./files.js";
import { forumTopicMethods } from "./forum-topics.js";
import type { MethodHandler } from "./method-call.js";
import { messageMethods } from "./messages.js";
import { updateMethods } from "./updates.js";

const families = [
  botSettingsMethods,
  updateMethods,
  messageMethods,
  editMethods,
  callbackMethods,
  forumTopicMethods,
  fileMethods,
  chatMethods,
];

/** Every method the stand-in implements, by lower-case name (Telegram ignores the case). */
export const METHOD_TABLE: ReadonlyMap<string, MethodHandler> = new Map(
  families.flatMap((family) => Object.entries(family).map(([name, handler]) => [name.toLowerCase(), handler] as const)),
);

// The public surface of the local Telegram Bot API stand-in (tests and the local sandbox).
export { startTelegramStandin, createStandinApp, type StandinOptions } from "./server.js";
export { TelegramStandin, type StandinBot, type GroupSetup, type ChatSummary, type TopicState } from "./telegram-standin.js";
export {
  TelegramTestUser,
  describeChat,
  type TelegramTestGroup,
  type TapResult,
  type WaitOptions,
  type WhereOptions,
  type SendOptions,
  type MessagePredicate,
} from "./telegram-test-user.js";
export type { StandinEventMap, ApiCallEvent, UpdateEvent, ChatMessageEvent, ApiCallOutcome, StandinEvents } from "./standin-events.js";
export { TELEGRAM_FLOOD_LIMITS, type FloodLimitSettings } from "./flood-limits.js";
export type { FaultSpec, FaultCode } from "./faults.js";
export { loadBotApiSpec, type BotApiSpec, type SpecField, type SpecMethod, type SpecType } from "./api-spec.js";
export { parseTelegramHtml } from "../shared/telegram-html.js";
export { createPng } from "./image-bytes.js";
export type { BotOptions, UserOptions } from "./world.js";

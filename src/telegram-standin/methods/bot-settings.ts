import type { BotCommand, User } from "@grammyjs/types";
import { BotApiError } from "../bot-api-error.js";
import { chatForBot } from "../chat-access.js";
import { paramsOf, type MethodCall, type MethodTable } from "./method-call.js";

/** The bot's own profile: getMe, commands, menu button, name and descriptions. */
export const botSettingsMethods: MethodTable = {
  getMe(call): User {
    const { bot } = call;
    return {
      ...bot.user,
      can_join_groups: bot.canJoinGroups,
      can_read_all_group_messages: bot.canReadAllGroupMessages,
      supports_inline_queries: bot.supportsInlineQueries,
      can_connect_to_business: false,
      has_main_web_app: false,
    } as User;
  },

  setMyCommands(call) {
    const p = paramsOf(call, "setMyCommands");
    if (p.commands.length > 100) throw BotApiError.badRequest("too many commands");
    for (const command of p.commands) checkCommand(command);
    call.bot.commands.set(commandsKey(p.scope, p.language_code), [...p.commands]);
    return true;
  },

  getMyCommands(call) {
    const p = paramsOf(call, "getMyCommands");
    return call.bot.commands.get(commandsKey(p.scope, p.language_code)) ?? [];
  },

  deleteMyCommands(call) {
    const p = paramsOf(call, "deleteMyCommands");
    call.bot.commands.delete(commandsKey(p.scope, p.language_code));
    return true;
  },

  setChatMenuButton(call) {
    const p = paramsOf(call, "setChatMenuButton");
    if (p.chat_id !== undefined) chatForBot(call.world, call.bot, p.chat_id, "read");
    call.bot.menuButtons.set(menuKey(p.chat_id), p.menu_button ?? { type: "default" });
    return true;
  },

  getChatMenuButton(call) {
    const p = paramsOf(call, "getChatMenuButton");
    if (p.chat_id !== undefined) chatForBot(call.world, call.bot, p.chat_id, "read");
    return call.bot.menuButtons.get(menuKey(p.chat_id)) ?? call.bot.menuButtons.get("default") ?? { type: "default" };
  },

  setMyName(call) {
    const p = paramsOf(call, "setMyName");
    if (p.name !== undefined && p.name.length > 64) throw BotApiError.badRequest("bot name is too long");
    storeText(call, "name", p.language_code, p.name);
    return true;
  },

  getMyName(call) {
    const p = paramsOf(call, "getMyName");
    return { name: readText(call, "name", p.language_code) ?? call.bot.user.first_name };
  },

  setMyDescription(call) {
    const p = paramsOf(call, "setMyDescription");
    if (p.description !== undefined && p.description.length > 512) throw BotApiError.badRequest("bot description is too long");
    storeText(call, "description", p.language_code, p.description);
    return true;
  },

  getMyDescription(call) {
    const p = paramsOf(call, "getMyDescription");
    return { description: readText(call, "description", p.language_code) ?? "" };
  },

  setMyShortDescription(call) {
    const p = paramsOf(call, "setMyShortDescription");
    if (p.short_description !== undefined && p.short_description.length > 120) {
      throw BotApiError.badRequest("bot short description is too long");
    }
    storeText(call, "short_description", p.language_code, p.short_description);
    return true;
  },

  getMyShortDescription(call) {
    const p = paramsOf(call, "getMyShortDescription");
    return { short_description: readText(call, "short_description", p.language_code) ?? "" };
  },
};

function checkCommand(command: BotCommand): void {
  if (!/^[a-z0-9_]{1,32}$/.test(command.command)) throw BotApiError.badRequest("BOT_COMMAND_INVALID");
  if (command.description.trim() === "" || command.description.length > 256) {
    throw BotApiError.badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
  }
}

/** Telegram keeps one command list per (scope, language) pair. */
function commandsKey(scope: unknown, languageCode: string | undefined): string {
  return `${JSON.stringify(scope ?? { type: "default" })}|${languageCode ?? ""}`;
}

function menuKey(chatId: number | undefined): string {
  return chatId === undefined ? "default" : String(chatId);
}

function storeText(call: MethodCall, field: string, languageCode: string | undefined, value: string | undefined): void {
  const key = `${field}:${languageCode ?? ""}`;
  if (value === undefined || value === "") call.bot.texts.delete(key);
  else call.bot.texts.set(key, value);
}

/** A language without its own text falls back to the default one, as in Telegram. */
function readText(call: MethodCall, field: string, languageCode: string | undefined): string | undefined {
  return call.bot.texts.get(`${field}:${languageCode ?? ""}`) ?? call.bot.texts.get(`${field}:`);
}

import type { ChatMember, User } from "@grammyjs/types";
import { BotApiError } from "../bot-api-error.js";
import { botIsAdmin, chatForBot } from "../chat-access.js";
import type { ChatRecord, MemberStatus } from "../records.js";
import { paramsOf, type MethodCall, type MethodTable } from "./method-call.js";

/** Reading chats and their members, and pinning. */
export const chatMethods: MethodTable = {
  getChat(call) {
    const p = paramsOf(call, "getChat");
    const chat = chatForBot(call.world, call.bot, p.chat_id, "read");
    const info: Record<string, unknown> = {
      ...chat.chat,
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: {
        unlimited_gifts: false,
        limited_gifts: false,
        unique_gifts: false,
        premium_subscription: false,
        gifts_from_channels: false,
      },
    };
    const pinned = chat.pinnedMessageIds.at(-1);
    const stored = pinned === undefined ? undefined : chat.byId.get(pinned);
    if (stored && !stored.deleted) info.pinned_message = stored.message;
    if (chat.privateUserId === undefined) info.permissions = { can_send_messages: true };
    return info;
  },

  getChatMember(call) {
    const p = paramsOf(call, "getChatMember");
    const chat = chatForBot(call.world, call.bot, p.chat_id, "read");
    const user = call.world.findUser(p.user_id);
    if (!user) throw BotApiError.badRequest("PARTICIPANT_ID_INVALID");
    return memberObject(call, chat, user);
  },

  getChatAdministrators(call) {
    const p = paramsOf(call, "getChatAdministrators");
    const chat = chatForBot(call.world, call.bot, p.chat_id, "read");
    if (chat.privateUserId !== undefined) throw BotApiError.badRequest("there are no administrators in the private chat");
    const ids = [
      ...[...chat.members].filter(([, status]) => status !== "member").map(([id]) => id),
      ...[...chat.bots].filter(([, status]) => status === "administrator").map(([id]) => id),
    ];
    return ids.flatMap((id) => {
      const user = call.world.findUser(id);
      return user ? [memberObject(call, chat, user)] : [];
    });
  },

  getChatMemberCount(call) {
    const p = paramsOf(call, "getChatMemberCount");
    const chat = chatForBot(call.world, call.bot, p.chat_id, "read");
    return chat.members.size + chat.bots.size;
  },

  pinChatMessage(call) {
    const p = paramsOf(call, "pinChatMessage");
    const chat = chatForBot(call.world, call.bot, p.chat_id, "write");
    if (!botIsAdmin(call.bot, chat)) throw BotApiError.badRequest("not enough rights to manage pinned messages in the chat");
    const stored = chat.byId.get(p.message_id);
    if (!stored || stored.deleted) throw BotApiError.badRequest("message to pin not found");
    chat.pinnedMessageIds = [...chat.pinnedMessageIds.filter((id) => id !== p.message_id), p.message_id];
    return true;
  },

  unpinChatMessage(call) {
    const p = paramsOf(call, "unpinChatMessage");
    const chat = chatForBot(call.world, call.bot, p.chat_id, "write");
    const target = p.message_id ?? chat.pinnedMessageIds.at(-1);
    if (target === undefined || !chat.pinnedMessageIds.includes(target)) {
      throw BotApiError.badRequest("message to unpin not found");
    }
    chat.pinnedMessageIds = chat.pinnedMessageIds.filter((id) => id !== target);
    return true;
  },
};

function memberObject(call: MethodCall, chat: ChatRecord, user: User): ChatMember {
  const status: MemberStatus | "left" | "kicked" = user.is_bot
    ? (chat.bots.get(user.id) ?? "left")
    : chat.privateUserId === user.id && call.world.users.get(user.id)?.blockedBots.has(call.bot.user.id)
      ? "kicked"
      : (chat.members.get(user.id) ?? "left");
  switch (status) {
    case "creator":
      return { status, user, is_anonymous: false };
    case "administrator":
      return {
        status,
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: true,
        can_restrict_members: true,
        can_promote_members: false,
        can_change_info: true,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        can_pin_messages: true,
        can_manage_topics: true,
      } as ChatMember;
    case "kicked":
      return { status, user, until_date: 0 };
    default:
      return { status, user };
  }
}

import { Composer } from "grammy";
import type { User } from "grammy/types";
import type { BotContext } from "../../bots/bot-context.js";
import { formatMoney } from "../../domain/money.js";
import { orderTotal, type Order } from "../../domain/order.js";
import {
  linkByStartToken,
  linkOrdersByPhone,
  lookUpOrderNumber,
  openOrdersOf,
  receiveSharedContact,
  type TelegramCustomer,
} from "../../services/link-customer.js";
import { orderAwaitingText } from "../../services/customer-order-access.js";
import { sendOrderMessage } from "../confirmation/order-dialog-presenter.js";
import { linkChoicePattern, packLinkChoice, parseLinkChoice } from "./linking-callback.js";
import { bestEffort } from "../../telegram/telegram-error.js";

/**
 * How a Telegram chat finds its orders: the start link from the shop (t.me/<bot>?start=<token>),
 * or /start and the phone number shared with Telegram's contact button.
 */
export const linkingFlow = new Composer<BotContext>();
const privateChats = linkingFlow.chatType("private");

const customerFrom = (user: User): TelegramCustomer => ({
  id: BigInt(user.id),
  type: "private",
  username: user.username ?? null,
  languageCode: user.language_code ?? null,
  firstName: user.first_name,
});

/** "• Order A-1001: €26.80, Green tea, Clay cup": an order offered to claim. */
const foundLine = (ctx: BotContext, order: Order): string =>
  ctx.t("linking.foundLine", {
    orderNumber: order.externalId,
    total: formatMoney(orderTotal(order), order.currency, ctx.language),
    items: order.items.map((line) => line.name).join(", "),
  });

/** Start tokens are ours when they look like ours; the rest is somebody else's /start payload. */
const startTokenPattern = /^[A-Za-z0-9_-]{16,64}$/;

privateChats.command("start", async (ctx) => {
  const customer = customerFrom(ctx.from);
  const token = ctx.match.trim();
  // A payload that is not shaped like ordergram's is the host bot's (a catalogue link, a referral).
  if (token && !startTokenPattern.test(token) && ctx.hosted) return ctx.passOn();
  if (token) {
    const result = startTokenPattern.test(token)
      ? await linkByStartToken(ctx.services, token, customer)
      : { type: "unknown_token" as const };
    switch (result.type) {
      case "linked":
        await sendOrderMessage(ctx.api, ctx, result.record.order.id, "greeting", ctx.from.language_code);
        return;
      case "already_linked":
        await sendOrderMessage(ctx.api, ctx, result.record.order.id, "none", ctx.from.language_code);
        return;
      case "claimed_by_other":
        await ctx.reply(ctx.t("linking.claimedByOther", { shopName: ctx.shop.name }));
        return;
      case "unknown_token":
        // Shaped like ours but not ours: in a host bot it may well be the host's own payload.
        if (ctx.hosted) return ctx.passOn();
        await ctx.reply(ctx.t("linking.unknownToken"));
        return;
    }
  }
  const open = await openOrdersOf(ctx.services, customer);
  if (open.length) {
    for (const record of open) await sendOrderMessage(ctx.api, ctx, record.order.id, "none", ctx.from.language_code);
    return;
  }
  // A host bot greets its own visitors; ordergram speaks up only when it has an order to show.
  if (ctx.hosted) return ctx.passOn();
  const welcome = { shopName: ctx.shop.name, assistantName: ctx.shop.assistantName ?? ctx.t("defaults.assistantName") };
  await ctx.reply(`${ctx.t("start.welcomeAnonymous", welcome)}\n\n${ctx.t("linking.askContact")}`, {
    parse_mode: "HTML",
    reply_markup: {
      keyboard: [[{ text: ctx.t("linking.shareContact"), request_contact: true }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    },
  });
});

privateChats.on("message:contact", async (ctx) => {
  const contact = ctx.message.contact;
  const result = await receiveSharedContact(ctx.services, customerFrom(ctx.from), {
    phoneNumber: contact.phone_number,
    userId: contact.user_id === undefined ? null : BigInt(contact.user_id),
  });
  const removeKeyboard = { reply_markup: { remove_keyboard: true as const } };
  switch (result.type) {
    case "not_own_contact":
      await ctx.reply(ctx.t("linking.notOwnContact"), {
        reply_markup: {
          keyboard: [[{ text: ctx.t("linking.shareContact"), request_contact: true }]],
          resize_keyboard: true,
          one_time_keyboard: true,
        },
      });
      return;
    case "invalid_phone":
      await ctx.reply(ctx.t("linking.invalidPhone"));
      return;
    case "none_found":
      await ctx.reply(ctx.t("linking.noneFound", { phone: result.phone }), removeKeyboard);
      return;
    case "found": {
      const lines = result.orders.map(({ order }) => foundLine(ctx, order));
      await ctx.reply(ctx.t("linking.found", { phone: result.phone }), removeKeyboard);
      const buttons = [[{ text: ctx.t("linking.allMine"), callback_data: packLinkChoice({ type: "all" }) }]];
      if (result.orders.length > 1) {
        for (const { order } of result.orders) {
          buttons.push([
            {
              text: ctx.t("linking.onlyThis", { orderNumber: order.externalId }),
              callback_data: packLinkChoice({ type: "one", orderId: order.id }),
            },
          ]);
        }
      }
      buttons.push([{ text: ctx.t("linking.notMine"), callback_data: packLinkChoice({ type: "none" }) }]);
      await ctx.reply([...lines, "", ctx.t("linking.confirmWhich")].join("\n"), { reply_markup: { inline_keyboard: buttons } });
      return;
    }
  }
});

/** What a typed order number looks like: "A-1001", "#1001", "№ 1001" (one token with a digit). */
const orderNumberPattern = /^[#№]?\s*([A-Za-z0-9][\w./-]{0,63})$/;

/**
 * A customer who writes an order number is offered that order once the phone on it is proved
 * (Telegram's verified contact, not a name anyone could type): never shown to someone else.
 */
privateChats.on("message:text", async (ctx, next) => {
  const number = orderNumberPattern.exec(ctx.message.text.trim())?.[1];
  if (!number || !/\d/.test(number)) return next();
  // Typed while the dialog waits for an address or a comment: that is what it is.
  if (await orderAwaitingText(ctx.services, BigInt(ctx.from.id))) return next();
  const customer = customerFrom(ctx.from);
  const result = await lookUpOrderNumber(ctx.services, customer, number);
  switch (result.type) {
    case "unknown":
      return next();
    case "yours":
      await sendOrderMessage(ctx.api, ctx, result.record.order.id, "none", ctx.from.language_code);
      return;
    case "phone_matches": {
      const { order } = result.record;
      await ctx.reply([foundLine(ctx, order), "", ctx.t("linking.confirmWhich")].join("\n"), {
        reply_markup: {
          inline_keyboard: [
            [{ text: ctx.t("linking.allMine"), callback_data: packLinkChoice({ type: "one", orderId: order.id }) }],
            [{ text: ctx.t("linking.notMine"), callback_data: packLinkChoice({ type: "none" }) }],
          ],
        },
      });
      return;
    }
    case "prove_phone":
      await ctx.reply(ctx.t("linking.orderNumberAskContact", { orderNumber: result.orderNumber }), {
        reply_markup: {
          keyboard: [[{ text: ctx.t("linking.shareContact"), request_contact: true }]],
          resize_keyboard: true,
          one_time_keyboard: true,
        },
      });
      return;
  }
});

privateChats.callbackQuery(linkChoicePattern, async (ctx) => {
  try {
    const choice = parseLinkChoice(ctx.callbackQuery.data);
    // The question has been answered: take its buttons away so it cannot be answered twice.
    await bestEffort(ctx.logger, "taking the buttons off the linking question", () => ctx.editMessageReplyMarkup());
    if (!choice || choice.type === "none") {
      await ctx.reply(ctx.t("linking.notMineReply", { shopName: ctx.shop.name }));
      return;
    }
    const linked = await linkOrdersByPhone(
      ctx.services,
      customerFrom(ctx.from),
      choice.type === "all" ? "all" : { orderId: choice.orderId },
    );
    if (!linked.length) {
      await ctx.reply(ctx.t("linking.nothingLinked"));
      return;
    }
    for (const [index, record] of linked.entries()) {
      await sendOrderMessage(ctx.api, ctx, record.order.id, index === 0 ? "greeting" : "none", ctx.from.language_code);
    }
  } finally {
    // Answered last, so when the spinner stops the customer already sees the result.
    await ctx.answerCallbackQuery();
  }
});

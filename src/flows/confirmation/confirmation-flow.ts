import { Composer } from "grammy";
import type { BotContext } from "../../bots/bot-context.js";
import type { CustomerCommand } from "../../domain/order-dialog.js";
import { applyCustomerCommand } from "../../services/apply-customer-command.js";
import { answerTo } from "../../services/dialog-answer.js";
import { loadCustomerOrder, orderAwaitingText } from "../../services/customer-order-access.js";
import type { OrderRecord } from "../../db/order-repository.js";
import type { DialogSettings } from "../../config/dialog-settings-snapshot.js";
import { cancelReasonCodes, dialogSettingsOf } from "../../services/dialog-settings.js";
import { allItemsMessages, methodCodes } from "./read-back-message.js";
import { confirmationCallbackPattern, parseConfirmationCallback, type ConfirmationCallback } from "./confirmation-callback.js";
import { localeForOrder, updateOrderMessage } from "./order-dialog-presenter.js";
import { formIds, type FormArgs } from "./order-forms.js";
import { orderTextVariables, withOrderVariables } from "./order-texts.js";
import { rejectionText } from "./rejection-text.js";

/** The buttons under the order read-back: confirm, change, cancel, talk to a person. */
export const confirmationFlow = new Composer<BotContext>();

/** Indexes in callback data point into lists the dialog's settings fix for its whole life. */
function commandFor(data: ConfirmationCallback, record: OrderRecord, settings: DialogSettings): CustomerCommand | null {
  const [a, b] = data.args;
  const line = a === undefined ? undefined : record.order.items.find((l) => l.position === a);
  switch (data.action) {
    case "confirm":
      return { type: "confirm" };
    case "editMenu":
      return { type: "open_edit_menu" };
    case "back":
      return { type: "back_to_read_back" };
    case "chooseLineForQuantity":
      return { type: "choose_line", purpose: "quantity" };
    case "chooseLineForRemoval":
      return { type: "choose_line", purpose: "remove" };
    case "chooseLineToChooseAgain":
      return { type: "choose_line", purpose: "rechoose" };
    case "chooseQuantityFor":
      return a === undefined ? null : { type: "choose_quantity_for", position: a };
    case "setQuantity":
      return a === undefined || b === undefined ? null : { type: "set_quantity", position: a, quantity: b };
    case "removeLine":
      return a === undefined ? null : { type: "remove_line", position: a };
    case "openCancel":
      return { type: "open_cancel" };
    case "cancelWithReason": {
      const reason = a === undefined ? undefined : cancelReasonCodes(settings)[a];
      return reason === undefined ? null : { type: "cancel", reason };
    }
    case "requestHuman":
      return { type: "request_human" };
    case "takeSubstitute": {
      const substitute = b === undefined ? undefined : line?.substitutes[b];
      return a === undefined || !substitute ? null : { type: "choose_substitute", position: a, sku: substitute.sku };
    }
    case "takeAvailable":
      return a === undefined ? null : { type: "take_available", position: a };
    case "chooseAgain":
      return a === undefined ? null : { type: "choose_again", position: a };
    case "openDelivery":
      return { type: "open_delivery" };
    case "askAddress":
      return { type: "open_address" };
    case "chooseMethod": {
      const method = a === undefined ? undefined : methodCodes[a];
      return method ? { type: "choose_method", method } : null;
    }
    case "chooseZone": {
      const zone = a === undefined ? undefined : settings.delivery.courier.zones[a];
      return zone ? { type: "choose_zone", zone: zone.code } : null;
    }
    case "chooseDay": {
      const digits = a === undefined ? "" : String(a);
      return /^\d{8}$/.test(digits) ? { type: "choose_day", date: `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6)}` } : null;
    }
    case "chooseWindow": {
      const window = a === undefined ? undefined : settings.delivery.courier.windows[a];
      return window ? { type: "choose_window", window: window.window } : null;
    }
    case "choosePoint": {
      const point = a === undefined ? undefined : settings.delivery.pickup.points[a];
      return point ? { type: "choose_point", pointId: point.id } : null;
    }
    case "skipComment":
      return { type: "skip_comment" };
    case "askComment":
    case "askQuantity":
    case "linePage":
    case "showItems":
      return null;
  }
}

const formFor = { askComment: formIds.comment, askQuantity: formIds.quantity } as const;

type TapAnswer = { text?: string; show_alert?: boolean };

/**
 * Handles a tap and returns the toast to answer it with. The answer goes out after the message is
 * updated, so when the customer's spinner stops, the screen already shows the result.
 */
async function handleTap(
  ctx: BotContext & { callbackQuery: { data: string }; from: { id: number; language_code?: string } },
): Promise<TapAnswer> {
  const data = parseConfirmationCallback(ctx.callbackQuery.data);
  if (!data) {
    ctx.logger.warn({ data: ctx.callbackQuery.data }, "malformed order button data");
    return { text: ctx.t("order.rejections.stale") };
  }
  const telegramUserId = BigInt(ctx.from.id);
  const access = await loadCustomerOrder(ctx.services, data.orderId, telegramUserId);
  if (access.type !== "ok") {
    return { text: rejectionText(ctx.t, access.type === "not_yours" ? "NOT_YOURS" : "NOT_FOUND"), show_alert: true };
  }
  const { record } = access;
  const tappedMessageId = ctx.callbackQuery.message?.message_id;
  const texts = orderTextVariables(record.order, ctx.language);
  const t = withOrderVariables(ctx.t, texts);

  if (data.action === "askComment" || data.action === "askQuantity") {
    if (record.order.state !== "awaiting_customer") return { text: rejectionText(t, "ORDER_FINAL", record.order.state) };
    if (data.version !== record.dialog.version) return { text: rejectionText(t, "STALE") };
    const args: FormArgs = { orderId: record.order.id, texts, ...(data.args[0] !== undefined ? { position: data.args[0] } : {}) };
    const lineName = record.order.items.find((l) => l.position === args.position)?.name ?? "";
    await ctx.conversation.enter(formFor[data.action], args, lineName);
    return {};
  }

  // What only changes the view: nothing about the order is decided.
  if (data.action === "showItems") {
    for (const text of allItemsMessages(record, await localeForOrder(ctx, record, ctx.from.language_code)))
      await ctx.reply(text, { parse_mode: "HTML" });
    return {};
  }
  if (data.action === "linePage") {
    if (data.version !== record.dialog.version || record.dialog.step.name !== "choose_line") return { text: rejectionText(t, "STALE") };
    await updateOrderMessage(ctx.api, ctx, record, tappedMessageId, ctx.from.language_code, "none", data.args[0] ?? 0);
    return {};
  }

  const settings = dialogSettingsOf(record, ctx.services);
  const command = commandFor(data, record, settings);
  if (!command) {
    ctx.logger.warn({ data: ctx.callbackQuery.data }, "order button with arguments that mean nothing");
    return { text: t("order.rejections.stale") };
  }
  // An accepted change is shown by the service, in the tapped message, before it resolves (an
  // answer owed like any message: see dialog-answer.ts), so the toast below comes after it.
  const result = await applyCustomerCommand(ctx.services, {
    orderId: record.order.id,
    telegramUserId,
    command,
    expectedVersion: data.version,
    loaded: record,
    answerTo: answerTo(tappedMessageId, ctx.from.language_code),
  });
  switch (result.type) {
    case "accepted":
      return {};
    case "rejected":
      // A full window: show what is still free, in place.
      if (result.code === "SLOT_FULL") await updateOrderMessage(ctx.api, ctx, result.record, tappedMessageId, ctx.from.language_code);
      return { text: rejectionText(t, result.code, result.record.order.state) };
    case "not_found":
    case "not_yours":
      return { text: rejectionText(ctx.t, result.type === "not_yours" ? "NOT_YOURS" : "NOT_FOUND"), show_alert: true };
  }
}

confirmationFlow.chatType("private").callbackQuery(confirmationCallbackPattern, async (ctx) => {
  let answer: TapAnswer = {};
  try {
    answer = await handleTap(ctx);
  } finally {
    await ctx.answerCallbackQuery(answer);
  }
});

/**
 * At the address step the customer's next message is the address (typed text, or a shared
 * location); at the comment step, the comment. Anything else (a command, a photo) goes on to the
 * other handlers.
 */
confirmationFlow.chatType("private").on(["message:text", "message:location"], async (ctx, next) => {
  if (ctx.message.text?.startsWith("/")) return next();
  const telegramUserId = BigInt(ctx.from.id);
  const record = await orderAwaitingText(ctx.services, telegramUserId);
  if (!record) return next();
  const location = ctx.message.location;
  const text = ctx.message.text ?? "";
  let command: CustomerCommand;
  if (record.dialog.step.name === "ask_comment") {
    if (location) return next();
    command = { type: "set_comment", comment: text };
  } else {
    command = { type: "set_address", address: location ? `📍 ${location.latitude.toFixed(6)}, ${location.longitude.toFixed(6)}` : text };
  }
  // Accepted: the service has shown the dialog as it now stands, as a new message.
  const result = await applyCustomerCommand(ctx.services, {
    orderId: record.order.id,
    telegramUserId,
    command,
    loaded: record,
    answerTo: answerTo(undefined, ctx.from.language_code),
  });
  if (result.type === "rejected") {
    await ctx.reply(
      rejectionText(
        withOrderVariables(ctx.t, orderTextVariables(result.record.order, ctx.language)),
        result.code,
        result.record.order.state,
      ),
    );
  }
});

import { answerPromise, workingContactHours } from "../../../domain/handoff.js";
import { escapeHtml, type Translate } from "../../../locales/i18n.js";
import type { Language } from "../../../locales/supported-languages.js";
import type { HandoffIntentOf } from "../../../services/handoff/handoff-intents.js";
import { recordRelayCopy, type HandoffRecord } from "../../../services/handoff/handoff-read-model.js";
import { readOpenOrdersInChat } from "../../../services/order-read-model.js";
import { readOrder } from "../../../services/outbox-read-models.js";
import { withPersonSkip } from "../../../services/schedule-order-follow-ups.js";
import { dateTimeFormat } from "../../../shared/intl-formats.js";
import { fitValues, telegramLimits } from "../../../shared/telegram-limits.js";
import { sendOrderMessage, updateOrderMessage } from "../../confirmation/order-dialog-presenter.js";
import { skip } from "../../sending/intent-kind.js";
import type { SenderDependencies } from "../../sending/sender-dependencies.js";
import { packRatingCallback } from "../handoff-callback.js";
import { customerT, deliveryText, editAsFor, handoffKind, handoffOrSkip, relayedTextCalls } from "./handoff-sending.js";

/* What the handoff sends into the customer's private chat. */

type NoticeWhat = HandoffIntentOf<"handoff.notice">["what"];

/** Tells the customer where the handoff stands: a person will answer (when), joined, unanswered, handed back or closed. */
const notice = handoffKind("handoff.notice", {
  read: (deps, intent) => handoffOrSkip(deps, intent.handoffId),
  stillApplies(handoff, intent) {
    const applies = {
      opened: handoff.state === "waiting",
      taken: handoff.state === "taken",
      unanswered: handoff.state === "waiting",
      handed_back: true,
      closed: true,
    }[intent.what];
    return applies ? null : { skipped: `the handoff is ${handoff.state}` };
  },
  async render(handoff, intent, deps) {
    const { t, language } = await customerT(deps, handoff);
    return [
      {
        method: "sendMessage",
        chatId: handoff.chatId,
        text: await noticeText(deps, intent.what, handoff, t, language),
        options: { parse_mode: "HTML" },
      },
    ];
  },
});

async function noticeText(
  deps: SenderDependencies,
  what: NoticeWhat,
  handoff: HandoffRecord,
  t: Translate,
  language: Language,
): Promise<string> {
  const config = deps.services.config();
  const shopName = config.shop.name;
  switch (what) {
    case "opened": {
      const promise = answerPromise(deps.services.clock.now(), workingContactHours(config.managers.workingHours), config.shop.timeZone);
      const within = config.managers.answerWithin[language] ?? config.managers.answerWithin.en ?? "15 minutes";
      const when =
        promise.type === "soon"
          ? t("handoff.customer.soon", { shopName, within })
          : t("handoff.customer.whenOpen", { shopName, opensAt: formatOpening(promise.opensAt, language, config.shop.timeZone) });
      return handoff.reason === "customer_request" ? when : `${t("handoff.customer.passed", { shopName })} ${when}`;
    }
    case "taken":
      return t("handoff.customer.taken", { managerName: handoff.managerName ?? "", shopName });
    case "unanswered":
      return t("handoff.customer.unanswered", { shopName });
    case "handed_back":
    case "closed":
      // Only what is true: a person who helped has finished; a request nobody took was closed.
      if (handoff.managerName === null) return t("handoff.customer.closedUnanswered", { shopName });
      return t(
        (await readOpenOrdersInChat(deps.services, handoff.chatId)).length
          ? "handoff.customer.handedBack"
          : "handoff.customer.handedBackSettled",
        {
          managerName: handoff.managerName,
          shopName,
        },
      );
  }
}

/** "Monday, 09:00" in the shop's time zone and the customer's language. */
function formatOpening(at: Date, language: Language, timeZone: string): string {
  return dateTimeFormat(language, { weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);
}

/** The owner's message from the topic, under the shop's and the manager's name. */
const relayOut = handoffKind("handoff.relay_out", {
  read: (deps, intent) => handoffOrSkip(deps, intent.handoffId),
  stillApplies: () => null,
  async render(handoff, intent, deps) {
    const { t } = await customerT(deps, handoff);
    const shopName = deps.services.config().shop.name;
    const managerName = handoff.managerName ?? shopName;
    if (intent.content === "text")
      return relayedTextCalls(
        handoff.chatId,
        (text) => t("handoff.customer.managerSays", { managerName, shopName, text }),
        intent.text ?? "",
      );
    const heading = t("handoff.customer.managerCaption", { managerName, shopName });
    const caption =
      intent.content === "captionable"
        ? fitValues(
            ({ text }) => [heading, ...(text ? [escapeHtml(text)] : [])].join("\n"),
            { text: intent.text ?? "" },
            telegramLimits.caption,
          )
        : undefined;
    const options = caption ? { caption, parse_mode: "HTML" as const } : {};
    return [{ method: "copyMessage", chatId: handoff.chatId, fromChatId: BigInt(intent.fromChatId), messageId: intent.messageId, options }];
  },
  async afterSend({ deps }, handoff, intent, sent) {
    const from = { chatId: BigInt(intent.fromChatId), messageId: intent.messageId };
    await recordRelayCopy(deps.services, {
      handoffId: handoff.id,
      from,
      toChatId: handoff.chatId,
      toMessageId: sent.messageIds[0]!,
      editAs: editAsFor(intent.content),
    });
  },
});

/** The dialog's message again: after a hand back, or a manager's "resend the confirmation", or refreshed in place. */
const dialog = handoffKind("handoff.dialog", {
  async read(deps, intent) {
    const record = await readOrder(deps.services, intent.orderId);
    return record && record.chatId !== null ? record : skip("the order is not in a chat");
  },
  stillApplies(record, intent) {
    if (intent.how === "refresh") return record.dialog.messageId === null ? { skipped: "no dialog message to update" } : null;
    if (record.order.state !== "awaiting_customer") return { skipped: `the order is ${record.order.state}` };
    // Resuming is the bot speaking again: only when the chat is the bot's (not escalated anew).
    return intent.how === "resume" && record.dialog.owner !== "bot" ? withPersonSkip(record.dialog.owner) : null;
  },
  render(record, intent, deps) {
    const messageId = record.dialog.messageId;
    if (intent.how === "refresh" && messageId !== null)
      return [{ method: "orderDialog", show: (api) => updateOrderMessage(api, deps, record, messageId) }];
    return [{ method: "orderDialog", show: (api) => sendOrderMessage(api, deps, record.order.id, "none") }];
  },
});

/** A manager changed the delivery from the card: the customer hears the new day and window in one line. */
const deliveryChanged = handoffKind("handoff.delivery_changed", {
  async read(deps, intent) {
    const record = await readOrder(deps.services, intent.orderId);
    if (!record || record.chatId === null || !record.order.delivery?.date) return skip("the order has no delivery day");
    return { record, chatId: record.chatId };
  },
  stillApplies: () => null,
  async render({ record, chatId }, intent, deps) {
    const { t, language } = await customerT(deps, { chatId, orderId: record.order.id });
    const text = t("handoff.customer.deliveryChanged", {
      managerName: intent.managerName,
      shopName: deps.services.config().shop.name,
      orderNumber: record.order.externalId,
      delivery: deliveryText(record, t, language),
    });
    return [{ method: "sendMessage", chatId, text, options: { parse_mode: "HTML" } }];
  },
});

/** A manager cancelled the order from the card: the customer hears it in a new message, not only in an edit. */
const orderCancelled = handoffKind("handoff.order_cancelled", {
  async read(deps, intent) {
    const record = await readOrder(deps.services, intent.orderId);
    if (!record || record.chatId === null || record.order.state !== "cancelled") return skip("the order is not cancelled");
    return { record, chatId: record.chatId };
  },
  stillApplies: () => null,
  async render({ record, chatId }, _intent, deps) {
    const { t } = await customerT(deps, { chatId, orderId: record.order.id });
    const text = t("handoff.customer.orderCancelled", { shopName: deps.services.config().shop.name, orderNumber: record.order.externalId });
    return [{ method: "sendMessage", chatId, text, options: { parse_mode: "HTML" } }];
  },
});

/** "How did we help?" with 1-5 buttons, after a hand back. */
const rating = handoffKind("handoff.rating", {
  read: (deps, intent) => handoffOrSkip(deps, intent.handoffId),
  stillApplies: () => null,
  async render(handoff, _intent, deps) {
    const { t } = await customerT(deps, handoff);
    const buttons = [1, 2, 3, 4, 5].map((score) => ({ text: `${score} ⭐`, callback_data: packRatingCallback(handoff.id, score) }));
    const text = t("handoff.customer.ratingQuestion", { managerName: handoff.managerName ?? deps.services.config().shop.name });
    return [
      {
        method: "sendMessage",
        chatId: handoff.chatId,
        text,
        options: { parse_mode: "HTML", reply_markup: { inline_keyboard: [buttons] } },
      },
    ];
  },
});

/** The kinds that go into the customer's private chat. */
export const customerKinds = [...notice, ...relayOut, ...dialog, ...deliveryChanged, ...orderCancelled, ...rating];

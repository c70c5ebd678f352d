import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { formatMoney } from "../../domain/money.js";
import { orderTotal } from "../../domain/order.js";
import type { Translate } from "../../locales/i18n.js";
import type { Language } from "../../locales/supported-languages.js";
import type { ResumeChoice } from "../../domain/handoff.js";
import type { HandoffCardData } from "../../services/handoff/handoff-card-data.js";
import { clipText, entriesThatFit, fitHtml } from "../../shared/telegram-limits.js";
import { packCardCallback, type CardAction } from "./handoff-callback.js";

/**
 * The compact order card at the top of a customer's topic (the group allows ~20 messages a
 * minute, so one message says it all and is edited as things change): who (and whether they
 * blocked the bot), which orders, what the bot was doing, why it escalated, hold and notes, the
 * last messages, and the buttons the handoff's state allows.
 */
export function renderOrderCard(
  data: HandoffCardData,
  t: Translate,
  language: Language,
): { text: string; reply_markup?: InlineKeyboardMarkup } {
  const { handoff, customer, orders } = data;
  const head = [
    t("handoff.managers.card.title", {
      customerName: customer.name,
      username: customer.username ? ` @${customer.username}` : "",
      language: customer.language ?? "?",
    }),
  ];
  if (customer.unreachableSince) head.push(t("handoff.managers.card.blocked"));
  if (orders.length === 0) head.push(t("handoff.managers.card.noOrders"));
  for (const { order } of orders) {
    head.push(
      t("handoff.managers.card.order", {
        orderNumber: order.externalId,
        state: t(`handoff.managers.states.${order.state}`, { defaultValue: order.state }),
        total: formatMoney(orderTotal(order), order.currency, language),
      }),
    );
  }
  // No step to resume: the bot was idle, which means something else when there is an order.
  const step = handoff.resumeStep?.name ?? (orders.length ? "idle" : "none");
  // The step and the reason are texts already escaped (a customer's words in a keyword's detail): not escaped twice.
  const asEscaped = { interpolation: { escapeValue: false } };
  head.push(
    t("handoff.managers.card.step", {
      step: t(`handoff.managers.steps.${step}`, { defaultValue: step.replaceAll("_", " ") }),
      ...asEscaped,
    }),
  );
  const detail = clipText(handoff.detail ?? "", cardTextMax.detail);
  head.push(
    t("handoff.managers.card.reason", {
      reason: t(`handoff.managers.reasons.${handoff.reason}`, { detail, defaultValue: handoff.reason }),
      ...asEscaped,
    }),
  );
  const hold = orders.find((record) => record.hold)?.hold;
  if (hold) head.push(t("handoff.managers.card.hold", { reason: clipText(hold.reason, cardTextMax.hold), by: hold.by }));

  const tail: string[] = [];
  if (data.recentTexts.length) {
    tail.push(
      t("handoff.managers.card.lastMessages"),
      ...data.recentTexts.map((recent) => t("handoff.managers.card.lastMessage", { text: clipText(recent.text, cardTextMax.recent) })),
    );
  }
  tail.push("");
  switch (handoff.state) {
    case "waiting":
      tail.push(t("handoff.managers.card.waiting"));
      if (handoff.unansweredAt) tail.push(t("handoff.managers.card.unanswered"));
      break;
    case "taken":
      tail.push(t("handoff.managers.card.taken", { managerName: handoff.managerName ?? "?" }));
      break;
    case "ended":
      tail.push(t(handoff.endedHow === "closed" ? "handoff.managers.card.closed" : "handoff.managers.card.handedBack"));
      break;
  }

  // The newest notes first, as many as fit; the older ones are counted (all are in the order's history).
  const withNotes = (shown: number) => {
    const older = data.noteCount - shown;
    const notes = data.notes
      .slice(0, shown)
      .map((note) => t("handoff.managers.card.note", { author: note.authorName, text: clipText(note.text, cardTextMax.note) }));
    const noteLines = data.noteCount
      ? [t("handoff.managers.card.notes"), ...notes, ...(older > 0 ? [t("handoff.managers.card.olderNotes", { count: older })] : [])]
      : [];
    return [...head, ...noteLines, ...tail].join("\n");
  };
  const rows = cardButtons(data, t);
  const text = fitHtml(withNotes(entriesThatFit(withNotes, data.notes.length)));
  return { text, ...(rows.length ? { reply_markup: { inline_keyboard: rows } } : {}) };
}

/**
 * The longest a manager's note, a hold's reason, an escalation's detail or a customer's message
 * is on the card (the whole text is in the order's history): the card's fixed part stays well
 * under Telegram's 4096 characters, so several notes always fit.
 */
const cardTextMax = { note: 500, hold: 300, detail: 200, recent: 200 } as const;

/** The hand-back buttons after the plain "Hand back" (where it stopped), by the step they resume at. */
const handBackAt = { read_back: "handBackReadBack", delivery: "handBackDelivery", address: "handBackAddress" } as const satisfies Partial<
  Record<ResumeChoice, CardAction>
>;

function cardButtons(data: HandoffCardData, t: Translate): InlineKeyboardButton[][] {
  const { handoff, actions } = data;
  const button = (action: Exclude<CardAction, "deliveryDay" | "deliveryWindow">): InlineKeyboardButton => ({
    text: t(`handoff.managers.buttons.${action}`),
    callback_data: packCardCallback(handoff.id, action),
  });
  switch (handoff.state) {
    case "waiting":
      return [[button("take"), button("close")]];
    case "taken": {
      // A step the manager picks: only those that make sense for this order (a fixed delivery is not offered).
      const picked = actions.resumeChoices.flatMap((choice) => (choice === "where_stopped" ? [] : [button(handBackAt[choice])]));
      return [
        [button("handBack"), ...picked.slice(0, 1)],
        ...(picked.length > 1 ? [picked.slice(1)] : []),
        ...(actions.open
          ? [
              [button("resend"), ...(actions.changeDelivery ? [button("delivery")] : [])],
              [button("confirm"), button("cancel")],
            ]
          : []),
        [button("close")],
      ];
    }
    case "ended":
      return [];
  }
}

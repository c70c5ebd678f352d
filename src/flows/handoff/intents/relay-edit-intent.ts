import { escapeHtml } from "../../../locales/i18n.js";
import type { Skip } from "../../../shared/skip-reason.js";
import { readHandoff, readRelay, type RelayRecord } from "../../../services/handoff/handoff-read-model.js";
import { fitValues, telegramLimits } from "../../../shared/telegram-limits.js";
import { customerName, customerT, handoffKind, managersT } from "./handoff-sending.js";

/**
 * An edit of a relayed message, repeated on its copy, either way: a customer's edit on the copy
 * in their topic, a manager's on the copy in the customer's chat. The copy is one message (the
 * first, when a long text was split): the edit is cut to fit it. A copy that is gone is skipped.
 */
export const relayEditKinds = handoffKind("handoff.relay_edit", {
  async read(deps, intent): Promise<RelayRecord | Skip> {
    const relayed = await readRelay(deps.services, BigInt(intent.fromChatId), intent.messageId);
    return relayed ?? { skipped: "nothing to edit" };
  },
  stillApplies: (relayed) => (relayed.editAs === "none" ? { skipped: "nothing to edit" } : null),
  async render(relayed, intent, deps) {
    const shopName = deps.services.config().shop.name;
    let render: (values: { text: string }) => string;
    // Into the managers' group (a negative chat id): the customer edited their message.
    if (relayed.toChatId < 0n) {
      const name = await customerName(deps, BigInt(intent.fromChatId));
      const tm = managersT(deps);
      render = ({ text }) => tm("handoff.managers.relayEdited", { customerName: name, text });
    } else {
      const handoff = await readHandoff(deps.services, relayed.handoffId);
      const { t } = await customerT(deps, handoff ?? { chatId: relayed.toChatId, orderId: null });
      const managerName = intent.managerName ?? handoff?.managerName ?? shopName;
      render = ({ text }) =>
        relayed.editAs === "text"
          ? t("handoff.customer.managerSays", { managerName, shopName, text })
          : `${t("handoff.customer.managerCaption", { managerName, shopName })}\n${escapeHtml(text)}`;
    }
    const limit = relayed.editAs === "text" ? telegramLimits.text : telegramLimits.caption;
    const text = fitValues(render, { text: intent.text }, limit);
    const where = { chatId: relayed.toChatId, messageId: relayed.toMessageId, ifGone: { skipped: "the copy is gone" } };
    return relayed.editAs === "text"
      ? [{ method: "editMessageText", ...where, text, options: { parse_mode: "HTML" } }]
      : [{ method: "editMessageCaption", ...where, options: { caption: text, parse_mode: "HTML" } }];
  },
});

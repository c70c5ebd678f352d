import { readOrder } from "../../services/outbox-read-models.js";
import { withPersonSkip } from "../../services/schedule-order-follow-ups.js";
import { orderIntentSchemas } from "../../services/telegram-intents.js";
import { defineKinds, skip } from "../sending/intent-kind.js";
import { sendOrderMessage } from "./order-dialog-presenter.js";

/**
 * The order's read-back (first contact, or the shop changed the order), rendered from the order
 * as it is now. It no longer applies once the customer answered it (the order moved on) or while
 * a person has the chat: an order that arrived then is shown when the chat is handed back.
 */
export const readBackKinds = defineKinds(
  { "order.read_back": orderIntentSchemas["order.read_back"] },
  {
    async read(deps, intent) {
      const record = await readOrder(deps.services, intent.orderId);
      if (!record) return skip("the order no longer exists");
      return record;
    },
    stillApplies(record) {
      if (record.order.state !== "awaiting_customer") return { skipped: `the order is ${record.order.state}` };
      // Who has the chat is derived from its active handoff (src/db/order-repository.ts).
      return record.dialog.owner === "bot" ? null : withPersonSkip(record.dialog.owner);
    },
    render(_model, intent, deps) {
      return [
        {
          method: "orderDialog",
          show: (api) => sendOrderMessage(api, deps, intent.orderId, intent.reason === "new" ? "greeting" : "updated"),
        },
      ];
    },
  },
);

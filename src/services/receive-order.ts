import { createHash } from "node:crypto";
import { rollBackWith, withTransaction } from "../db/transaction.js";
import { upsertCustomerForOrder } from "../db/customer-repository.js";
import { appendOrderEvents } from "../db/order-event-repository.js";
import { findOrder, findOrderByExternalId, insertOrder, replaceOrder, type OrderRecord } from "../db/order-repository.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import { stockLevels } from "../db/stock-repository.js";
import { openingDialog, priced } from "../domain/order-dialog.js";
import { isFinal, type Delivery, type OrderLine } from "../domain/order.js";
import { newId, newStartToken } from "../shared/ids.js";
import { enqueueAutomaticMessage } from "./contact-time.js";
import { planCustomerReach } from "./customer-reach.js";
import { joinActiveHandoff } from "./handoff/order-during-handoff.js";
import { holdShopChosenSlot, releaseHeldSlot } from "./delivery-slots.js";
import { dialogSettingsFrom } from "../config/dialog-settings-snapshot.js";
import { dialogRules } from "./dialog-settings.js";
import type { ServiceDependencies } from "./service-dependencies.js";
import { readBackIntent } from "./telegram-intents.js";

/** An order as the shop's system sent it, already validated and normalised by the API. */
export interface ReceivedOrder {
  externalId: string;
  customer: { name: string; phone: string | null; telegramUserId: bigint | null; language: string | null };
  currency: string;
  /** `available` null: the shop did not say in the order; pushed stock (PUT /stock) applies then. */
  items: OrderLine[];
  delivery: Delivery | null;
  comment: string | null;
}

export type ReceiveOrderResult =
  /** A new order; `messaged` when the customer is known and the read-back is on its way. */
  | { type: "created"; record: OrderRecord; messaged: boolean }
  /** The same order again (a retry, however it is written): nothing changed, nothing sent. */
  | { type: "unchanged"; record: OrderRecord }
  /** The shop changed an order the customer has not confirmed yet: the dialog starts over. */
  | { type: "updated"; record: OrderRecord; messaged: boolean }
  /** The order is confirmed or cancelled already: a different payload cannot change it. */
  | { type: "final"; record: OrderRecord };

/** POST /api/v1/orders: create or update an order, idempotent on the shop's own id. */
export async function receiveOrder(deps: ServiceDependencies, input: ReceivedOrder): Promise<ReceiveOrderResult> {
  for (let attempt = 1; ; attempt++) {
    let result: ReceiveOrderResult | "conflict";
    try {
      result = await receiveOnce(deps, input);
    } catch (error) {
      // Two identical requests racing: the loser's insert hits the unique externalId; run again
      // and it finds the winner's order.
      if (!isUniqueViolation(error) || attempt > 1) throw error;
      continue;
    }
    if (result !== "conflict") return result;
    // The customer tapped at the same moment (the dialog's version moved): read it again. It may
    // be confirmed now, and then the shop's change is refused rather than undoing it.
    if (attempt >= maxAttempts) throw new Error(`order ${input.externalId}: dialog changed under us ${maxAttempts} times`);
  }
}

const maxAttempts = 20;

async function receiveOnce(deps: ServiceDependencies, input: ReceivedOrder): Promise<ReceiveOrderResult | "conflict"> {
  const now = deps.clock.now();
  const config = deps.config();
  // The managers' line and the shop's webhook of an order that joined a handoff are queued too.
  let joinedHandoff = false;
  const result = await withTransaction(deps.db, async (tx): Promise<ReceiveOrderResult | "conflict"> => {
    const existing = await findOrderByExternalId(tx, input.externalId);
    const payloadHash = orderMeaningHash(input);
    if (existing && existing.payloadHash === payloadHash) return { type: "unchanged", record: existing };
    if (existing && isFinal(existing.order)) return { type: "final", record: existing };

    const customer = await upsertCustomerForOrder(tx, input.customer);
    // A customer the bot already talks to (private chat id = user id) gets the read-back at once.
    const chatId =
      customer.telegramUserId !== null && (await tx.telegramChat.findUnique({ where: { id: customer.telegramUserId } }))
        ? customer.telegramUserId
        : (existing?.chatId ?? null);

    const orderId = existing?.order.id ?? newId();
    const settings = dialogSettingsFrom(config);
    const rules = dialogRules(settings);
    const stock = await stockLevels(
      tx,
      input.items.map((line) => line.sku),
    );
    // The place the order held in a courier window is given back; the shop's own window, if the
    // order names one, is held instead.
    if (existing) await releaseHeldSlot(tx, existing.order.delivery);
    const delivery = await holdShopChosenSlot(tx, input.delivery, rules.delivery.courier);
    const order = priced(
      {
        id: orderId,
        externalId: input.externalId,
        state: "awaiting_customer" as const,
        currency: input.currency,
        items: input.items.map((line) => ({ ...line, available: line.available ?? stock.get(line.sku) ?? null })),
        delivery,
        comment: input.comment,
        customer: { id: customer.id, name: input.customer.name, phone: input.customer.phone, language: input.customer.language },
      },
      rules,
    );
    // The dialog starts at whatever is open: a short line, the delivery, or the read-back.
    const dialog = openingDialog(order, rules);

    let version: number;
    if (existing) {
      version = existing.dialog.version + 1;
      // Only over the dialog as it was read: a Confirm tapped meanwhile must not be undone.
      if ((await replaceOrder(tx, existing.dialog.version, order, { ...dialog, version }, settings)) === "conflict") {
        return rollBackWith("conflict");
      }
      await tx.order.update({ where: { id: orderId }, data: { payloadHash, customerId: customer.id, chatId } });
      await appendOrderEvents(tx, orderId, now, "shop", [{ type: "order.updated_by_shop" }]);
    } else {
      version = 0;
      await insertOrder(tx, { order, startToken: newStartToken(), chatId, configSnapshot: settings, dialog, payloadHash });
      await appendOrderEvents(tx, orderId, now, "shop", [{ type: "order.created" }]);
    }

    // A person has the chat: the order joins them, and the read-back follows on hand back.
    if (chatId !== null && !existing) joinedHandoff = await joinActiveHandoff(tx, deps, { chatId, orderId, now });
    let messaged = false;
    // Nobody to write to yet: the shop hears of it in time, and a person takes over in the end.
    // Planned when the order arrives (by the app's clock); an update plans nothing new.
    if (chatId === null && !existing) await planCustomerReach(tx, deps, { orderId, createdAt: now, now });
    if (chatId !== null) {
      // Contact hours: an order placed at night is read back after opening (the first message
      // about a new order spread after it), never at night.
      const { enqueued } = await enqueueAutomaticMessage(tx, deps, {
        chatId,
        orderId,
        intent: readBackIntent(orderId, existing ? "updated" : "new"),
        idempotencyKey: `order:${orderId}:read_back:v${version}`,
        now,
        ...(existing ? {} : { firstMessageOf: orderId }),
      });
      messaged = enqueued;
    }
    const record = (await findOrder(tx, orderId))!;
    return existing ? { type: "updated", record, messaged } : { type: "created", record, messaged };
  });
  if (result !== "conflict" && (joinedHandoff || ((result.type === "created" || result.type === "updated") && result.messaged)))
    deps.outbox.kick();
  return result;
}

/**
 * What makes a re-sent order the same order: its meaning once parsed and defaulted, not the
 * request's bytes. "4.50" and 450 are both 450 minor units, `returnable: true`, `substitutes: []`
 * or an empty comment are what leaving them out means, a phone is in E.164, and the order of the
 * fields does not count (keys are sorted). The same meaning again changes nothing and sends nothing.
 */
export function orderMeaningHash(input: ReceivedOrder): string {
  const canonical = JSON.stringify(input, (_key, value: unknown) => {
    if (typeof value === "bigint") return value.toString();
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
  return createHash("sha256").update(canonical).digest("hex");
}

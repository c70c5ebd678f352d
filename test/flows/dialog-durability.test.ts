import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog } from "../support/order-payload.js";
import { postgresServerUrl } from "../support/test-database.js";

/** The order dialog lives in the database: deploys and double taps change nothing for the customer. */
for (const provider of ["sqlite", "postgresql"] as const) {
  describe.skipIf(provider === "postgresql" && !postgresServerUrl())(`order dialogs survive restarts and races on ${provider}`, () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness({ provider });
    });
    afterAll(async () => {
      await harness.close();
    });

    const openOrder = () => openOrderDialog(harness);

    it("takes the next tap after a restart between two taps", async () => {
      const { order, customer, readBack } = await openOrder();
      await customer.tapButton("✏️ Change something");
      await harness.restart();
      await customer.tapButton("Remove an item");
      await customer.tapButton("2. Clay cup × 1");
      await customer.tapButton("✅ Confirm");
      const shown = customer.messages.find((m) => m.message_id === readBack.message_id)!;
      expect(shown.text).toContain("Confirmed.");
      expect(shown.text).not.toContain("Clay cup");
      const stored = (await harness.api("GET", `/orders/${order.id}`)).body;
      expect(stored).toMatchObject({ state: "confirmed", itemsTotal: "9.00", total: "13.90" });
    });

    it("keeps a half-filled form across a restart", async () => {
      const { order, customer } = await openOrder();
      await customer.tapButton("✏️ Change something");
      await customer.tapButton("Add a comment");
      expect((await customer.waitForMessage()).text).toBe("Please write your comment for the shop in one message.");
      await harness.restart();
      await customer.sendText("Leave it with the neighbour, flat 3");
      const readBack = await customer.waitForMessage((m) => m.text?.includes("Is everything correct?") ?? false);
      expect(readBack.text).toContain("Comment: Leave it with the neighbour, flat 3");
      expect((await harness.api("GET", `/orders/${order.id}`)).body.comment).toBe("Leave it with the neighbour, flat 3");
    });

    it("confirms once when Confirm is tapped several times at once", async () => {
      const { order, customer, readBack } = await openOrder();
      const confirm = (readBack.reply_markup!.inline_keyboard[0]![0] as { callback_data: string }).callback_data;
      const answers = await Promise.all([1, 2, 3, 4].map(() => customer.forgeCallbackQuery(confirm, { messageId: readBack.message_id })));
      expect(answers.filter((a) => a.text === undefined)).toHaveLength(1);
      await harness.webhooks.waitFor("order.confirmed", { orderId: order.id });
      await harness.app.drain();
      expect(harness.webhooks.ofType("order.confirmed").filter((w) => w.body.data.order.id === order.id)).toHaveLength(1);
      const history = (await harness.api("GET", `/orders/${order.id}`)).body.history as Array<{ type: string }>;
      expect(history.filter((h) => h.type === "customer.confirmed")).toHaveLength(1);
    });

    it("runs the whole confirmation on this database", async () => {
      const { order, customer } = await openOrder();
      await customer.tapButton("✏️ Change something");
      await customer.tapButton("Change a quantity");
      await customer.tapButton("1. Green tea × 2");
      await customer.tapButton("Another amount…");
      await customer.sendText("12");
      await customer.waitForMessage((m) => m.text?.includes("Is everything correct?") ?? false);
      await customer.tapButton("✅ Confirm");
      const webhook = await harness.webhooks.waitFor("order.confirmed", { orderId: order.id });
      expect(webhook.body.data.order).toMatchObject({ total: "66.90", items: [{ quantity: 12, lineTotal: "54.00" }, { quantity: 1 }] });
    });
  });
}

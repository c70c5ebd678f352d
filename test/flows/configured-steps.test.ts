import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleConfigPath } from "../../src/config/load-config.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog } from "../support/order-payload.js";

const withConfirmation = (yaml: string) => readFileSync(exampleConfigPath, "utf8").replace(/\nconfirmation:\n/, `\nconfirmation:\n${yaml}`);

describe("the steps and buttons the shop chose", () => {
  let harness: Harness;
  beforeAll(async () => {
    // A shop that always ships by post: no delivery questions, but it asks for a comment.
    harness = await startHarness({ configYaml: withConfirmation("  steps: [comment]\n  buttons: [cancel]\n") });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("skips the delivery questions, asks for a comment, and offers only the buttons chosen", async () => {
    const { order, customer, readBack } = await openOrderDialog(harness, { delivery: undefined, comment: undefined });
    expect(readBack.text).not.toContain("How would you like to receive");
    expect(readBack.text).toContain("Anything to add for the shop");
    await customer.sendText("Door code 4711");
    const final = await customer.waitForMessage((m) => m.text?.includes("Is everything correct?") ?? false);
    expect(final.text).toContain("Comment: Door code 4711");
    expect(final.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(["✅ Confirm", "❌ Cancel the order"]);
    expect((await harness.api("GET", `/orders/${order.id}`)).body.comment).toBe("Door code 4711");
  });

  it("lets the customer skip the comment, and does not ask again", async () => {
    const { customer, readBack } = await openOrderDialog(harness, { delivery: undefined, comment: undefined });
    await customer.tapButton("Skip »");
    const shown = customer.messages.find((m) => m.message_id === readBack.message_id)!;
    expect(shown.text).toContain("Is everything correct?");
    await customer.tapButton("✅ Confirm");
    expect(customer.messages.find((m) => m.message_id === readBack.message_id)!.text).toContain("Confirmed.");
  });
});

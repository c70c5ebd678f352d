import { expect, it, vi } from "vitest";
import { dialogSettingsFrom } from "../../src/config/dialog-settings-snapshot.js";
import { findOrder } from "../../src/db/order-repository.js";
import { dialogSettingsOf } from "../../src/services/dialog-settings.js";
import { receiveOrder } from "../../src/services/receive-order.js";
import { testServiceDependencies } from "../support/service-dependencies.js";
import { describeEachDatabase } from "../support/test-database.js";

describeEachDatabase("the settings an order's dialog runs on", (getDb) => {
  let seq = 0;
  async function newOrder() {
    const deps = testServiceDependencies(getDb());
    seq++;
    const received = await receiveOrder(deps, {
      externalId: `SET-${seq}-${Math.random()}`,
      customer: { name: "Anna", phone: `+4917100${seq}5678`, telegramUserId: null, language: "en" },
      currency: "EUR",
      items: [{ position: 0, sku: "TEA-1", name: "Green tea", quantity: 1, unitPriceMinor: 450n, available: null, substitutes: [] }],
      delivery: null,
      comment: null,
    });
    return { deps, orderId: received.record.order.id };
  }

  it("reads the snapshot the dialog started with, even after the owner changed the configuration", async () => {
    const { deps, orderId } = await newOrder();
    const started = dialogSettingsFrom(deps.config());
    const record = (await findOrder(getDb(), orderId))!;
    expect(record.dialog.settings).toEqual(started);
    const changed = { ...deps.config(), confirmation: { ...deps.config().confirmation, steps: [] } };
    const warn = vi.spyOn(deps.logger, "warn");
    expect(dialogSettingsOf(record, { ...deps, config: () => changed })).toEqual(started);
    expect(warn).not.toHaveBeenCalled();
  });

  it("follows today's configuration when the stored snapshot no longer parses, and warns about it once", async () => {
    const { deps, orderId } = await newOrder();
    await getDb().orderDialog.update({ where: { orderId }, data: { configSnapshot: { version: 2, steps: ["delivery"] } } });
    const record = (await findOrder(getDb(), orderId))!;
    expect(record.dialog.settings).toBeNull();
    const warn = vi.spyOn(deps.logger, "warn");
    expect(dialogSettingsOf(record, deps)).toEqual(dialogSettingsFrom(deps.config()));
    expect(dialogSettingsOf((await findOrder(getDb(), orderId))!, deps)).toEqual(dialogSettingsFrom(deps.config()));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith({ orderId }, expect.stringContaining("no longer parses"));
  });
});

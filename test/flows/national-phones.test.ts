import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { exampleConfigPath } from "../../src/config/load-config.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { orderPayload } from "../support/order-payload.js";

const exampleWithCountry = (country: string | null) => {
  const doc = parseDocument(readFileSync(exampleConfigPath, "utf8"));
  if (country === null) doc.deleteIn(["shop", "country"]);
  else doc.setIn(["shop", "country"], country);
  return doc.toString();
};

describe("a shop in Russia that writes phones the Russian way", () => {
  let harness: Harness;
  let configFile: string;
  beforeAll(async () => {
    configFile = path.join(mkdtempSync(path.join(tmpdir(), "og-phones-")), "ordergram.config.yaml");
    writeFileSync(configFile, exampleWithCountry(null));
    harness = await startHarness({ configFile });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("finds an order stored before shop.country was set, once it is set", async () => {
    await harness.api("POST", "/orders", orderPayload({ externalId: "OLD-1", customer: { name: "Olga", phone: "+7 916 777 88 99" } }));
    // How ordergram stored "8 916 777-88-99" before it knew phones: "+" and the digits.
    await harness.app.services.db.customer.updateMany({ where: { phone: "+79167778899" }, data: { phone: "+89167778899" } });

    writeFileSync(configFile, exampleWithCountry("RU"));
    expect(await harness.app.reloadConfig()).toEqual({ ok: true });
    expect(await harness.app.services.db.customer.count({ where: { phone: "+79167778899" } })).toBe(1);

    const olga = harness.addCustomer({ firstName: "Olga", phone: "79167778899" });
    await olga.sendText("/start");
    await olga.waitForMessage();
    await olga.shareContact();
    expect((await olga.waitForMessage()).text).toBe("Here is what I found for +79167778899:");
    expect((await olga.waitForMessage()).text).toContain("• Order OLD-1");
  });

  it("matches an order placed with 8 916 123-45-67 to the contact +79161234567", async () => {
    const order = await harness.api(
      "POST",
      "/orders",
      orderPayload({ externalId: "RU-1", customer: { name: "Ivan", phone: "8 916 123-45-67" } }),
    );
    expect(order.status).toBe(201);
    expect(order.body.customer.phone).toBe("+79161234567");

    const ivan = harness.addCustomer({ firstName: "Ivan", phone: "+79161234567" });
    await ivan.sendText("/start");
    await ivan.waitForMessage();
    await ivan.shareContact();
    expect((await ivan.waitForMessage()).text).toBe("Here is what I found for +79161234567:");
    expect((await ivan.waitForMessage()).text).toContain("• Order RU-1");
  });
});

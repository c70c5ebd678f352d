import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { exampleConfigPath } from "../../src/config/load-config.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { orderPayload } from "../support/order-payload.js";

let harness: Harness;
beforeAll(async () => {
  const doc = parseDocument(readFileSync(exampleConfigPath, "utf8"));
  doc.setIn(["shop", "country"], "DE");
  harness = await startHarness({ configYaml: doc.toString() });
});
afterAll(async () => {
  await harness.close();
});

describe("the shop API: phone numbers (shop.country DE)", () => {
  it("stores a German national number in international form", async () => {
    const response = await harness.api("POST", "/orders", orderPayload({ customer: { name: "Jonas", phone: "0170 5555555" } }));
    expect(response.status).toBe(201);
    expect(response.body.customer.phone).toBe("+491705555555");
    expect(await harness.app.services.db.customer.count({ where: { phone: "+491705555555" } })).toBe(1);
  });

  it("keeps an international number of another country", async () => {
    const response = await harness.api("POST", "/orders", orderPayload({ customer: { name: "Olga", phone: "+7 (916) 123-45-67" } }));
    expect(response.body.customer.phone).toBe("+79161234567");
  });

  it("refuses a number that is no real phone number with a 400 naming the field", async () => {
    const response = await harness.api(
      "POST",
      "/orders",
      orderPayload({ externalId: "BAD-PHONE", customer: { name: "Jonas", phone: "0170 55" } }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: "VALIDATION_FAILED",
      problems: [{ path: "customer.phone", message: expect.stringContaining("a valid phone number") }],
    });
    expect((await harness.api("GET", "/orders?externalId=BAD-PHONE")).status).toBe(404);
  });
});

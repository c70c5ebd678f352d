import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiToken, startHarness, type Harness } from "../support/app-harness.js";
import { orderPayload } from "../support/order-payload.js";

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});

const problemPaths = (body: { error: { problems?: Array<{ path: string }> } }) => body.error.problems?.map((p) => p.path) ?? [];

describe("the shop API: authentication", () => {
  it("refuses a request without the token, or with a wrong one, and stores nothing", async () => {
    const payload = orderPayload();
    const missing = await harness.api("POST", "/orders", payload, null);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe("UNAUTHORIZED");
    const wrong = await harness.api("POST", "/orders", payload, "not-the-token-at-all");
    expect(wrong.status).toBe(401);
    for (const authorization of [
      `Basic ${Buffer.from(`shop:${apiToken}`).toString("base64")}`,
      "Bearer",
      `Bearer ${apiToken} extra`,
      `Token ${apiToken}`,
    ]) {
      const response = await fetch(`${harness.app.url}/api/v1/orders`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify(payload),
      });
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="ordergram"');
    }
    // Nor is anything under the API public for merely ending like the description's path.
    expect((await harness.api("GET", "/orders/openapi.json", undefined, null)).status).toBe(401);
    const lookup = await harness.api("GET", `/orders?externalId=${payload.externalId}`);
    expect(lookup.status).toBe(404);
  });

  it("serves its OpenAPI description without a token", async () => {
    const response = await fetch(`${harness.app.url}/api/v1/openapi.json`);
    const doc = (await response.json()) as any;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/orders", "/orders/{id}"]));
    expect(doc.components.schemas.OrderInput.required).toEqual(expect.arrayContaining(["externalId", "customer", "currency", "items"]));
    // The webhooks ordergram sends are described too (OpenAPI 3.1 `webhooks`), with their bodies.
    expect(Object.keys(doc.webhooks).sort()).toEqual([
      "customer.reachable",
      "customer.unreachable",
      "handoff.unanswered",
      "order.cancelled",
      "order.changed",
      "order.confirmed",
      "order.escalated",
      "order.rated",
      "order.remedy_chosen",
      "order.undeliverable",
      "order.unreached",
      "return.requested",
    ]);
    const cancelled = doc.webhooks["order.cancelled"].post.requestBody.content["application/json"].schema;
    expect(cancelled.properties.data.required).toEqual(expect.arrayContaining(["order", "reason"]));
  });
});

describe("the shop API: creating orders", () => {
  it("creates an order and answers with its id, state and start link", async () => {
    const payload = orderPayload({ externalId: "API-1" });
    const response = await harness.api("POST", "/orders", payload);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      externalId: "API-1",
      state: "awaiting_customer",
      currency: "EUR",
      itemsTotal: "21.90",
      total: "26.80",
      customer: { name: "Anna", phone: expect.stringMatching(/^\+49170\d{7}$/), telegramLinked: false },
      delivery: {
        method: "courier",
        address: "Hauptstr. 1, 10115 Berlin",
        date: "2026-12-02",
        window: "10:00-14:00",
        price: "4.90",
        fixed: false,
      },
    });
    const token = new URL(response.body.startLink).searchParams.get("start")!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    const byExternal = await harness.api("GET", "/orders?externalId=API-1");
    expect(byExternal.body.id).toBe(response.body.id);
    expect(byExternal.body.history).toEqual([expect.objectContaining({ type: "order.created", actor: "shop" })]);
  });

  it("treats a retried request as the same order, and sends the known customer one message", async () => {
    const customer = harness.addCustomer({ firstName: "Retry" });
    await customer.sendText("/start");
    await customer.waitForMessage();
    const payload = orderPayload({ customer: { name: "Retry", telegramUserId: customer.id } });
    const responses = await Promise.all([1, 2, 3].map(() => harness.api("POST", "/orders", payload)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    const readBack = await customer.waitForMessage((m) => m.text?.includes(`Order ${payload.externalId}`) ?? false);
    expect(readBack.text).toContain("Total: €26.80");
    await harness.api("POST", "/orders", payload);
    await harness.app.drain();
    expect(customer.messages.filter((m) => m.text?.includes(`Order ${payload.externalId}`))).toHaveLength(1);
  });

  it("treats the same order written another way as a retry: no new dialog, no second read-back", async () => {
    const customer = harness.addCustomer({ firstName: "Same" });
    await customer.sendText("/start");
    await customer.waitForMessage();
    const payload = orderPayload({ customer: { name: "Same", phone: "+49 170 5550123", telegramUserId: customer.id } });
    const created = await harness.api("POST", "/orders", payload);
    expect(created.status).toBe(201);
    await customer.waitForMessage((m) => m.text?.includes(`Order ${payload.externalId}`) ?? false);
    // Minor units for "4.50", the defaults spelt out, the phone written otherwise, the fields in another order.
    const { comment, ...rest } = payload;
    const rewritten = {
      comment: `  ${comment}`,
      ...rest,
      customer: { telegramUserId: customer.id, phone: "+491705550123", name: "Same" },
      items: [
        { sku: "TEA-1", name: "Green tea", quantity: 2, unitPrice: 450, returnable: true, substitutes: [] },
        { unitPrice: "12.90", quantity: 1, name: "Clay cup", sku: "CUP-7" },
      ],
      delivery: { ...payload.delivery, fixed: false },
    };
    const again = await harness.api("POST", "/orders", rewritten);
    expect(again.status).toBe(200);
    expect(again.body.dialog.version).toBe(created.body.dialog.version);
    expect(again.body.history).toBeUndefined();
    const history = (await harness.api("GET", `/orders/${created.body.id}`)).body.history.map((e: { type: string }) => e.type);
    expect(history).not.toContain("order.updated_by_shop");
    expect(
      await harness.database.db.outboxMessage.count({
        where: { orderId: created.body.id, idempotencyKey: { startsWith: `order:${created.body.id}:read_back:` } },
      }),
    ).toBe(1);
    // A real change still is one.
    const changed = await harness.api("POST", "/orders", {
      ...rewritten,
      items: [{ sku: "TEA-1", name: "Green tea", quantity: 3, unitPrice: 450 }],
    });
    expect(changed.body.dialog.version).toBe(created.body.dialog.version + 1);
  });

  it("replaces an unconfirmed order when the shop sends a change, and refuses to replace a confirmed one", async () => {
    const customer = harness.addCustomer();
    await customer.sendText("/start");
    await customer.waitForMessage();
    const payload = orderPayload({ customer: { name: "Chris", telegramUserId: customer.id } });
    await harness.api("POST", "/orders", payload);
    await customer.waitForMessage((m) => m.text?.includes("Is everything correct?") ?? false);
    const changed = { ...payload, items: [{ sku: "TEA-1", name: "Green tea", quantity: 5, unitPrice: "4.50" }] };
    const update = await harness.api("POST", "/orders", changed);
    expect(update.status).toBe(200);
    expect(update.body.total).toBe("27.40");
    const notice = await customer.waitForMessage((m) => m.text?.includes("has updated your order") ?? false);
    expect(notice.text).toContain("1. Green tea: 5 × €4.50 = €22.50");
    await customer.tapButton("✅ Confirm", { messageId: notice.message_id });
    const refused = await harness.api("POST", "/orders", { ...changed, comment: "too late" });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: "ORDER_FINAL" }, order: { state: "confirmed", total: "27.40" } });
  });

  it("keeps money exact: integer minor units and decimal strings, per the currency's digits", async () => {
    const response = await harness.api(
      "POST",
      "/orders",
      orderPayload({ currency: "JPY", items: [{ sku: "S", name: "Sencha", quantity: 3, unitPrice: "1500" }] }),
    );
    expect(response.body.total).toBe("4500");
    const kwd = await harness.api(
      "POST",
      "/orders",
      orderPayload({ currency: "KWD", items: [{ sku: "S", name: "Sencha", quantity: 1, unitPrice: "1.125" }] }),
    );
    expect(kwd.body.total).toBe("1.125");
  });
});

describe("the shop API: bad payloads", () => {
  it("lists every bad field with its path", async () => {
    const response = await harness.api("POST", "/orders", {
      externalId: "",
      customer: { name: "Anna", phone: "12", telegramUserId: "abc" },
      currency: "EURO",
      items: [
        { sku: "A", name: "A", quantity: -1, unitPrice: "1.00" },
        { sku: "B", name: "B", quantity: 1.5, unitPrice: "1.00" },
        { sku: "C", name: "C", quantity: 1, unitPrice: 1.5 },
      ],
      delivery: { date: "next tuesday", window: "morning" },
      extra: true,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(problemPaths(response.body).sort()).toEqual(
      [
        "externalId",
        "customer.phone",
        "customer.telegramUserId",
        "currency",
        "items.0.quantity",
        "items.1.quantity",
        "items.2.unitPrice",
        "delivery.date",
        "delivery.window",
        "extra",
      ].sort(),
    );
  });

  it("rejects amounts with more decimals than the currency has, and negative ones", async () => {
    const response = await harness.api(
      "POST",
      "/orders",
      orderPayload({
        items: [
          { sku: "A", name: "A", quantity: 1, unitPrice: "1.005" },
          { sku: "B", name: "B", quantity: 1, unitPrice: "-2.00" },
        ],
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error.problems).toEqual([
      { path: "items.0.unitPrice", message: "EUR has 2 decimal places at most" },
      { path: "items.1.unitPrice", message: "must not be negative" },
    ]);
    // In the same 400 as every other bad field, not after they are fixed.
    const both = await harness.api(
      "POST",
      "/orders",
      orderPayload({ externalId: "", items: [{ sku: "A", name: "A", quantity: 1, unitPrice: "1.005" }] }),
    );
    expect(problemPaths(both.body).sort()).toEqual(["externalId", "items.0.unitPrice"]);
  });

  it("refuses an amount so large that the order's total would not fit, naming the field, and stores no order", async () => {
    const response = await harness.api(
      "POST",
      "/orders",
      orderPayload({
        externalId: "HUGE-1",
        items: [
          {
            sku: "A",
            name: "A",
            quantity: 9999,
            unitPrice: "999999999999999.99",
            substitutes: [{ sku: "B", name: "B", unitPrice: 9007199254740991 }],
          },
        ],
        delivery: { method: "courier", price: "10000000000.01" },
      }),
    );
    expect(response.status).toBe(400);
    expect(problemPaths(response.body).sort()).toEqual(["delivery.price", "items.0.substitutes.0.unitPrice", "items.0.unitPrice"]);
    expect((await harness.api("GET", "/orders?externalId=HUGE-1")).status).toBe(404);
    // The largest amount still goes through, at the largest quantity.
    const largest = await harness.api(
      "POST",
      "/orders",
      orderPayload({ externalId: "HUGE-2", items: [{ sku: "A", name: "A", quantity: 9999, unitPrice: "10000000000.00" }] }),
    );
    expect(largest.status).toBe(201);
  });

  it("refuses a delivery window that ends before or when it starts, and stores no order", async () => {
    for (const [i, window] of ["18:00-10:00", "10:00-10:00"].entries()) {
      const response = await harness.api(
        "POST",
        "/orders",
        orderPayload({ externalId: `WIN-${i}`, delivery: { method: "courier", window } }),
      );
      expect(response.status, window).toBe(400);
      expect(problemPaths(response.body)).toEqual(["delivery.window"]);
      expect((await harness.api("GET", `/orders?externalId=WIN-${i}`)).status).toBe(404);
    }
  });

  it("refuses a delivery date beyond a year ahead or over a week back, and stores no order", async () => {
    // The test clock's today is 2026-12-01 in the shop's Europe/Berlin.
    for (const [i, date] of ["9999-12-31", "2027-12-03", "2026-11-23", "0001-01-01"].entries()) {
      const response = await harness.api(
        "POST",
        "/orders",
        orderPayload({ externalId: `DATE-${i}`, delivery: { method: "courier", date } }),
      );
      expect(response.status, date).toBe(400);
      expect(problemPaths(response.body)).toEqual(["delivery.date"]);
      expect((await harness.api("GET", `/orders?externalId=DATE-${i}`)).status).toBe(404);
    }
    for (const date of ["2027-12-02", "2026-11-24"]) {
      expect((await harness.api("POST", "/orders", orderPayload({ delivery: { method: "courier", date } }))).status, date).toBe(201);
    }
  });

  it("refuses a pickup point that is not in the config, or with another method, and stores no order", async () => {
    for (const [i, delivery] of [
      { method: "pickup", pointId: "nowhere" },
      { method: "post", pointId: "nowhere" },
    ].entries()) {
      const response = await harness.api("POST", "/orders", orderPayload({ externalId: `PT-${i}`, delivery }));
      expect(response.status).toBe(400);
      expect(problemPaths(response.body)).toEqual(["delivery.pointId"]);
      expect((await harness.api("GET", `/orders?externalId=PT-${i}`)).status).toBe(404);
    }
  });

  it("refuses a 1 MB string with the field's path, and a body that is not JSON", async () => {
    const huge = await harness.api("POST", "/orders", orderPayload({ comment: "x".repeat(1024 * 1024) }));
    expect(huge.status).toBe(400);
    expect(problemPaths(huge.body)).toEqual(["comment"]);
    const notJson = await harness.api("POST", "/orders", "{not json");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("BAD_REQUEST");
    const empty = await harness.api("POST", "/orders", { items: [] });
    expect(problemPaths(empty.body)).toEqual(expect.arrayContaining(["externalId", "customer", "currency", "items"]));
  });

  it("answers 404 for an order that does not exist", async () => {
    const response = await harness.api("GET", "/orders/nope");
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("NOT_FOUND");
  });
});

describe("the shop API: the start link as a QR code", () => {
  const get = (path: string, token: string | null = apiToken) =>
    fetch(`${harness.app.url}/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("serves the order's start link as PNG or SVG, for the shop to print or e-mail", async () => {
    const created = await harness.api("POST", "/orders", orderPayload({ externalId: "API-QR-1" }));
    expect(created.status).toBe(201);
    const QRCode = (await import("qrcode")).default;

    const svg = await get(`/orders/${created.body.id}/start-qr?format=svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toContain("image/svg+xml");
    const svgText = await svg.text();
    expect(svgText).toMatch(/^<svg /);
    // The same modules as the QR of this order's own start link, and not of another order's.
    expect(svgText).toBe(await QRCode.toString(created.body.startLink, { type: "svg", errorCorrectionLevel: "M", margin: 4 }));
    const other = await harness.api("POST", "/orders", orderPayload({ externalId: "API-QR-2" }));
    expect(svgText).not.toBe(await QRCode.toString(other.body.startLink, { type: "svg", errorCorrectionLevel: "M", margin: 4 }));

    const png = await get(`/orders/${created.body.id}/start-qr`);
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it("answers 404 for an unknown order, 400 for an unknown format and 401 without the token", async () => {
    const created = await harness.api("POST", "/orders", orderPayload({ externalId: "API-QR-3" }));
    expect((await get("/orders/no-such-order/start-qr")).status).toBe(404);
    const badFormat = await get(`/orders/${created.body.id}/start-qr?format=gif`);
    expect(badFormat.status).toBe(400);
    expect(((await badFormat.json()) as any).error.problems.map((p: { path: string }) => p.path)).toEqual(["format"]);
    expect((await get(`/orders/${created.body.id}/start-qr`, null)).status).toBe(401);
  });
});

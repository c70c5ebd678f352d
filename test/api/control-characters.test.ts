// PostgreSQL refuses NUL in text (SQLite keeps it): a control character anywhere the API takes
// text must be a 400 naming the field on both databases, never a 500 from the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/app-harness.js";
import { orderPayload } from "../support/order-payload.js";
import { DATABASE_PROVIDERS, postgresServerUrl } from "../support/test-database.js";

const problemPaths = (body: { error?: { problems?: Array<{ path: string }> } } | null) => body?.error?.problems?.map((p) => p.path) ?? [];

interface OpenApiParameter {
  name: string;
  in: string;
  schema?: { type?: string; enum?: unknown[] };
}

for (const provider of DATABASE_PROVIDERS) {
  describe.skipIf(provider === "postgresql" && !postgresServerUrl())(`control characters on ${provider}`, () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness({ provider });
    });
    afterAll(async () => {
      await harness?.close();
    });

    it("refuses a NUL or another control character in an order's texts, with each field's path, and stores no order", async () => {
      const response = await harness.api(
        "POST",
        "/orders",
        orderPayload({
          externalId: "NUL-1",
          customer: { name: "Ann\u0000" },
          items: [
            {
              sku: "A\u007f",
              name: "Tea\u001b[31m",
              quantity: 1,
              unitPrice: "1.00",
              substitutes: [{ sku: "B", name: "Cup\u0000", unitPrice: "1.00" }],
            },
          ],
          delivery: { method: "courier\u0000", address: "Hauptstr.\u0000 1, 10115 Berlin" },
          comment: "ring twice\n\tplease\u0000",
        }),
      );
      expect(response.status).toBe(400);
      expect(problemPaths(response.body).sort()).toEqual([
        "comment",
        "customer.name",
        "delivery.address",
        "delivery.method",
        "items.0.name",
        "items.0.sku",
        "items.0.substitutes.0.name",
      ]);
      expect((await harness.api("GET", "/orders?externalId=NUL-1")).status).toBe(404);
      const withNul = await harness.api("POST", "/orders", orderPayload({ externalId: "NUL\u00002" }));
      expect(problemPaths(withNul.body)).toEqual(["externalId"]);
      // A line break and a tab are fine where text may run over several lines.
      expect((await harness.api("POST", "/orders", orderPayload({ externalId: "NUL-3", comment: "ring twice\n\tplease" }))).status).toBe(
        201,
      );
    });

    it("refuses a NUL in a status report's and a stock update's texts, with the field's path", async () => {
      const created = await harness.api("POST", "/orders", orderPayload({ externalId: "NUL-STATUS" }));
      const status = await harness.api("POST", `/orders/${created.body.id}/status`, {
        status: "shipped",
        trackingNumber: "JJD\u0000",
        carrier: "DHL\u0000",
        trackingUrl: "https://track.example/\u0000",
        pickup: { point: "Kiosk\u0000", address: "Markt\u0000 3", hours: "9-18\u0000" },
      });
      expect(status.status).toBe(400);
      expect(problemPaths(status.body).sort()).toEqual([
        "carrier",
        "pickup.address",
        "pickup.hours",
        "pickup.point",
        "trackingNumber",
        "trackingUrl",
      ]);
      const stock = await harness.api("PUT", "/stock", { items: [{ sku: "TEA\u0000", available: 1 }] });
      expect(stock.status).toBe(400);
      expect(problemPaths(stock.body)).toEqual(["items.0.sku"]);
    });

    it("refuses a NUL in every path and query parameter of the API, naming it", async () => {
      const doc = (await (await fetch(`${harness.app.url}/api/v1/openapi.json`)).json()) as {
        paths: Record<string, Record<string, { parameters?: OpenApiParameter[] }>>;
      };
      const tried: string[] = [];
      for (const [template, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          for (const parameter of operation.parameters ?? []) {
            if (parameter.in !== "path" && parameter.in !== "query") continue;
            const nul = encodeURIComponent("x\u0000y");
            const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => (name === parameter.name ? nul : "x"));
            const url = parameter.in === "query" ? `${path}?${parameter.name}=${nul}` : path;
            const response = await harness.api(method.toUpperCase(), url, method === "get" ? undefined : {});
            const label = `${method.toUpperCase()} ${template} ${parameter.in} ${parameter.name}`;
            expect(response.status, label).toBe(400);
            expect(problemPaths(response.body), label).toContain(parameter.name);
            tried.push(label);
          }
        }
      }
      // The sweep reached the parameters this suite was written for.
      expect(tried).toEqual(
        expect.arrayContaining([
          "GET /orders query externalId",
          "GET /orders/{id} path id",
          "POST /orders/{id}/status path id",
          "GET /returns query orderId",
          "GET /webhooks query orderId",
        ]),
      );
    });
  });
}

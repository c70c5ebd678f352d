import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { advance, followUpConfig, knownCustomer } from "../support/follow-up-kit.js";
import { orderPayload, startTokenOf } from "../support/order-payload.js";

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const minute = 60_000;

/** The read-back is recorded in the history just after Telegram took it. */
const readBackRecorded = (h: Harness, orderId: string) =>
  expect.poll(() => h.database.db.orderEvent.count({ where: { orderId, type: "message.sent" } })).toBeGreaterThan(0);

describe("GET /api/v1/stats/reach", () => {
  it("counts the orders of a day: linked and by which way, read back, confirmed, and the median minutes", async () => {
    const clock = new ManualClock("2026-11-24T09:00:00Z"); // 10:00 in Berlin
    const h = (harness = await startHarness({ clock, configYaml: followUpConfig() }));

    // Anna is known to the bot: read back at once, confirmed five minutes later.
    const anna = await knownCustomer(h, { firstName: "Anna" });
    const known = (
      await h.api("POST", "/orders", orderPayload({ customer: { name: "Anna", phone: "+49 170 5551001", telegramUserId: anna.id } }))
    ).body;
    await anna.waitForMessage((m) => m.text?.includes(known.externalId) ?? false);
    await readBackRecorded(h, known.id);
    advance(h, clock, 5 * minute);
    await anna.tapButton("✅ Confirm");
    await expect.poll(async () => (await h.api("GET", `/orders/${known.id}`)).body.state).toBe("confirmed");

    // Boris opens his start link twenty minutes after his order; Clara never does.
    const byLink = (await h.api("POST", "/orders", orderPayload())).body;
    await h.api("POST", "/orders", orderPayload());
    advance(h, clock, 20 * minute);
    const boris = h.addCustomer({ firstName: "Boris" });
    await boris.sendText(`/start ${startTokenOf(byLink.startLink)}`);
    await boris.waitForMessage();
    await readBackRecorded(h, byLink.id);

    const stats = await h.api("GET", "/stats/reach?from=2026-11-24&to=2026-11-24");
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({
      from: "2026-11-23T23:00:00.000Z",
      to: "2026-11-24T23:00:00.000Z",
      created: 3,
      linked: 2,
      linkedBy: { start_link: 1, shared_phone: 0, telegram_user_id: 0, known_chat: 1 },
      readBack: 2,
      confirmed: 1,
      medianMinutesToReadBack: 10, // 0 and 20
      medianMinutesToConfirmation: 5,
    });
    // Another day has none of them.
    expect((await h.api("GET", "/stats/reach?from=2026-11-25&to=2026-11-26")).body).toMatchObject({
      created: 0,
      medianMinutesToReadBack: null,
    });
  });

  it("refuses a period that ends before it starts, a moment that is not one, and a missing token", async () => {
    const h = (harness = await startHarness({ configYaml: followUpConfig() }));
    const backwards = await h.api("GET", "/stats/reach?from=2026-11-25&to=2026-11-24");
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.problems.map((p: { path: string }) => p.path)).toEqual(["from"]);
    const nonsense = await h.api("GET", "/stats/reach?from=yesterday");
    expect(nonsense.status).toBe(400);
    expect(nonsense.body.error.problems.map((p: { path: string }) => p.path)).toEqual(["from"]);
    expect((await h.api("GET", "/stats/reach", undefined, null)).status).toBe(401);
  });
});

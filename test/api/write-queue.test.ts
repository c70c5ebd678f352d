import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { writeQueue } from "../../src/api/write-queue.js";

/** A route that holds each write until the test lets it go. */
function appWithQueue(options: Parameters<typeof writeQueue>[0]) {
  const releases: Array<() => void> = [];
  const order: number[] = [];
  const app = new Hono();
  app.use("*", writeQueue(options));
  app.post("/orders/:n", async (c) => {
    order.push(Number(c.req.param("n")));
    await new Promise<void>((resolve) => releases.push(resolve));
    return c.json({ ok: true }, 201);
  });
  app.get("/orders", (c) => c.json({ reads: "never wait" }));
  const post = (n: number) => app.request(`/orders/${n}`, { method: "POST" });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  return { app, post, releases, order, settle };
}

describe("the shop's writes under a burst", () => {
  it("serves writes a few at a time in arrival order, and answers 503 with Retry-After beyond the queue", async () => {
    const { app, post, releases, order, settle } = appWithQueue({ concurrent: 1, queued: 1, maxWaitMs: 60_000 });
    const first = post(1);
    await settle();
    const second = post(2);
    await settle();
    const third = await post(3);
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("2");
    expect(await third.json()).toMatchObject({ error: { code: "BUSY" } });
    // Reads are not queued behind writes.
    expect((await app.request("/orders")).status).toBe(200);
    expect(order).toEqual([1]);
    releases.shift()!();
    expect((await first).status).toBe(201);
    await settle();
    expect(order).toEqual([1, 2]);
    releases.shift()!();
    expect((await second).status).toBe(201);
  });

  it("answers 503 instead of starting a write that waited too long", async () => {
    const { post, releases, order, settle } = appWithQueue({ concurrent: 1, queued: 10, maxWaitMs: 30 });
    const first = post(1);
    await settle();
    const late = post(2);
    await new Promise((resolve) => setTimeout(resolve, 60));
    releases.shift()!();
    expect((await first).status).toBe(201);
    expect((await late).status).toBe(503);
    expect(order).toEqual([1]); // the late one never ran
    await settle();
  });
});

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * The sandbox as a shop owner uses it: `npm start` without a token, the page in Chromium, and
 * every flow tried by clicking. Debian's chromium (`apt-get install chromium`; .ci/run installs
 * it). UPDATE_SCREENSHOTS=1 also writes the README's pictures to docs/images/.
 */

const root = path.resolve(import.meta.dirname, "../..");
const chromiumPath = "/usr/bin/chromium";
const haveChromium = existsSync(chromiumPath);
if (!haveChromium && process.env.CI) throw new Error(`${chromiumPath} is missing: CI requires it (apt-get install chromium)`);
if (!haveChromium) process.stderr.write(`\n[sandbox browser test] skipped: no ${chromiumPath} (apt-get install chromium)\n`);

const wait = { timeout: 20_000 };
const screenshots = process.env.UPDATE_SCREENSHOTS ? path.join(root, "docs/images") : null;

/** The first Monday 09:00 UTC after now: a working morning, whatever day the test runs on. */
function nextMondayMorning(): Date {
  const at = new Date();
  at.setUTCHours(9, 0, 0, 0);
  do at.setUTCDate(at.getUTCDate() + 1);
  while (at.getUTCDay() !== 1);
  return at;
}

describe.skipIf(!haveChromium)("the sandbox in the browser", () => {
  let child: ChildProcess;
  let dir: string;
  let browser: BrowserContext;
  let page: Page;
  let sandboxUrl: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "og-sandbox-browser-"));
    child = spawn(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "src/main.ts")], {
      cwd: dir,
      env: { PATH: process.env.PATH, DATABASE_URL: `file:${path.join(dir, "og.db")}`, PORT: "0", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    await vi.waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${stdout}`);
        if (!stdout.includes("Press Ctrl-C to stop.")) throw new Error(`no banner yet:\n${stdout}`);
      },
      { timeout: 45_000, interval: 100 },
    );
    sandboxUrl = /Sandbox page\s+(http:\/\/127\.0\.0\.1:\d+\/sandbox\/)/.exec(stdout)![1]!;

    // A working morning on the sandbox clock, so contact and working hours are open.
    const moved = await fetch(`${sandboxUrl}clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ to: nextMondayMorning().toISOString() }),
    });
    expect(moved.status).toBe(200);

    browser = await chromium.launchPersistentContext(path.join(dir, "chromium-profile"), {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1500, height: 1250 },
      // The machine has no network: without these Chromium keeps trying to reach Google.
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on("pageerror", (error) => pageErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const pane = (name: "customer" | "managers" | "desk"): Locator => page.locator(`[data-pane="${name}"]`);
  const bubble = (where: Locator, text: string | RegExp) => where.locator(".msg").filter({ hasText: text });

  async function snapshot(name: string, where: Locator) {
    if (!screenshots) return;
    mkdirSync(screenshots, { recursive: true });
    await where.screenshot({ path: path.join(screenshots, `sandbox-${name}.png`) });
  }

  it(
    "creates an order on the desk, confirms it as the customer, skips to the delivery reminder, and a manager takes the chat and answers",
    { timeout: 120_000 },
    async () => {
      await page.goto(sandboxUrl);
      await page.locator('#connection[data-state="live"]').waitFor(wait);
      const customer = pane("customer");
      const managers = pane("managers");
      const desk = pane("desk");

      // The desk creates the ready courier order for Anna through the real API.
      await expect.poll(() => desk.getByRole("textbox", { name: "Order JSON" }).inputValue()).toContain('"telegramUserId"');
      await desk.getByRole("button", { name: "Create order" }).click();
      const created = await desk.getByText(/^Created DEMO-/).textContent(wait);
      const externalId = /DEMO-[A-Z0-9]+/.exec(created!)![0];

      // Anna gets the read-back and confirms by tapping.
      const readBack = bubble(customer, externalId).filter({ has: page.getByRole("button", { name: "✅ Confirm" }) });
      await readBack.waitFor(wait);
      await readBack.getByRole("button", { name: "✅ Confirm" }).click();
      await bubble(customer, "Confirmed.").waitFor(wait);

      // An hour later the follow-ups are planned; the next thing that happens is the reminder.
      await desk.getByRole("button", { name: "+1 hour" }).click();
      await desk.getByRole("list", { name: "Coming up" }).getByText(`delivery.reminder · ${externalId}`).waitFor(wait);
      await desk.getByRole("button", { name: "⏭ Next scheduled" }).click();
      await bubble(customer, `A reminder, Anna: your order ${externalId} arrives`).waitFor(wait);
      // The reminder goes 3 hours before the 14:00-18:00 window.
      await expect.poll(() => page.locator("#clock-now").textContent()).toContain(", 11:0");

      // Anna asks for a person.
      await customer.getByRole("textbox", { name: "Message to the bot" }).fill("/help");
      await customer.getByRole("button", { name: "Send", exact: true }).click();
      await customer.getByRole("button", { name: "🙋 Talk to a person" }).click(wait);
      await bubble(customer, "A person from Demo Shop will answer you here").first().waitFor(wait);

      // Her topic opens in the managers' group with the order card; Maria takes the chat.
      await managers.getByRole("button", { name: `💬 Anna · ${externalId}` }).waitFor(wait);
      const card = bubble(managers, "🆘 Anna");
      await card.getByRole("button", { name: "🙋 Take" }).click(wait);
      await bubble(customer, "Maria Manager from Demo Shop is with you now").waitFor(wait);

      // She answers; Anna reads it under the manager's and the shop's name.
      await managers.getByRole("textbox", { name: "Manager's message" }).fill("Hello Anna, I am Maria. How can I help?");
      await managers.getByRole("button", { name: "Send", exact: true }).click();
      await bubble(customer, /Maria Manager, Demo Shop\s+Hello Anna, I am Maria\. How can I help\?/).waitFor(wait);

      // A note stays with the staff: on the card, never in Anna's chat.
      await managers.getByRole("checkbox", { name: "Internal note" }).check();
      await managers.getByRole("textbox", { name: "Manager's message" }).fill("prefers calls after 17:00");
      await managers.getByRole("button", { name: "Send", exact: true }).click();
      await card.getByText("• Maria Manager: prefers calls after 17:00").waitFor(wait);
      await snapshot("customer", customer);
      await snapshot("managers", managers);
      expect(await customer.getByText("prefers calls").count()).toBe(0);

      // The shop's webhooks arrived, signed.
      const confirmedHook = desk.getByRole("list", { name: "Webhooks received" }).locator("li").filter({ hasText: "order.confirmed" });
      await confirmedHook.waitFor(wait);
      await expect.poll(() => confirmedHook.textContent()).toContain("✔ signed");

      // The shop reports the parcel shipped; Anna hears it (delivery reminders and status updates
      // still reach her while a manager has the chat only when configured, so hand back first).
      await card.getByRole("button", { name: "↩️ Hand back", exact: true }).click(wait);
      await bubble(customer, "has finished helping you, and I am here again").waitFor(wait);
      await desk.getByRole("row").filter({ hasText: externalId }).click();
      await desk.getByRole("combobox", { name: "Delivery status" }).selectOption("shipped");
      await desk.getByRole("textbox", { name: "Tracking number" }).fill("JJD0001");
      await desk.getByRole("button", { name: "Send status" }).click();
      await bubble(customer, "Your order has been shipped.").waitFor(wait);
      // Each webhook opens to the body the shop got.
      const summary = confirmedHook.locator("summary");
      await summary.click();
      await expect.poll(() => confirmedHook.locator("pre").textContent()).toContain(`"externalId": "${externalId}"`);
      await summary.click();
      await desk.locator(".desk").evaluate((element) => element.scrollTo(0, 0));
      await snapshot("desk", desk);

      // An order for a customer the bot does not know yet: the desk shows its start link's QR code.
      await desk.getByRole("combobox", { name: "Example order" }).selectOption("start-link");
      await desk.getByRole("button", { name: "Create order" }).click();
      const qr = desk.getByRole("img", { name: /^QR code of https:\/\/t\.me\// });
      await qr.waitFor(wait);
      // The reach chart counts both orders (refreshed with the schedule every few seconds).
      await expect.poll(() => desk.locator('.reach-row[data-step="Created"] .reach-count').textContent(), { timeout: 10_000 }).toBe("2");
      await expect
        .poll(() =>
          qr.evaluate((img) => {
            const image = img as unknown as { complete: boolean; naturalWidth: number };
            return image.complete && image.naturalWidth;
          }),
        )
        .toBe(512);

      expect(pageErrors).toEqual([]);
    },
  );
});

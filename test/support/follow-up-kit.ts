// Helpers for the tests of what the bot says on its own: a config with overrides, a customer the
// bot knows, and moving the injected clock (then waking the scheduler and the outbox).
import { readFileSync } from "node:fs";
import type { Message } from "grammy/types";
import { expect } from "vitest";
import { parse, stringify } from "yaml";
import type { ConfigFile } from "../../src/config/config-schema.js";
import { exampleConfigPath } from "../../src/config/load-config.js";
import { ManualClock } from "../../src/shared/clock.js";
import type { TelegramTestGroup, TelegramTestUser } from "../../src/telegram-standin/index.js";
import { startHarness, type Harness } from "./app-harness.js";
import { openOrderDialog, orderPayload } from "./order-payload.js";

const minute = 60_000;

type Tree = Record<string, unknown>;
const merge = (base: Tree, extra: Tree): Tree =>
  Object.fromEntries(
    [...new Set([...Object.keys(base), ...Object.keys(extra)])].map((key) => {
      const [a, b] = [base[key], extra[key]];
      const isTree = (v: unknown): v is Tree => typeof v === "object" && v !== null && !Array.isArray(v);
      return [key, isTree(a) && isTree(b) ? merge(a, b) : b === undefined ? a : b];
    }),
  );

/**
 * The shipped example config with `overrides` merged in. Per-chat pacing is raised (the stand-in
 * has no flood limits in these tests), so a test that sends several messages to one chat is quick.
 */
export function followUpConfig(overrides: Tree = {}): string {
  const example = parse(readFileSync(exampleConfigPath, "utf8")) as Tree;
  return stringify(merge(example, merge({ telegram: { rateLimits: { perChatPerSecond: 30 } } }, overrides)));
}

/** Moves the injected clock and wakes the scheduler and the outbox, as time passing would. */
/** ordergram on a manual clock set to `at`, with the follow-up config and `overrides`. */
export async function startOnClock(
  at: string,
  overrides: Tree = {},
  prepare?: ReturnType<typeof managersGroup>["prepare"],
): Promise<{ harness: Harness; clock: ManualClock }> {
  const clock = new ManualClock(at);
  const harness = await startHarness({ clock, configYaml: followUpConfig(overrides), ...(prepare ? { prepare } : {}) });
  return { harness, clock };
}

export function advance(harness: Harness, clock: ManualClock, ms: number): void {
  clock.advance(ms);
  harness.app.scheduler.kick();
  harness.app.services.outbox.kick();
}

export function setClock(harness: Harness, clock: ManualClock, to: string): void {
  clock.set(to);
  harness.app.scheduler.kick();
  harness.app.services.outbox.kick();
}

/** A customer who has written to the bot before, so the bot may write first. */
export async function knownCustomer(harness: Harness, options: { languageCode?: string; firstName?: string } = {}) {
  const customer = harness.addCustomer(options);
  await customer.sendText("/start");
  await customer.waitForMessage();
  return customer;
}

/** Waits until the reconciler has planned the order's follow-ups (it runs every clock minute). */
export async function waitForPlan(
  harness: Harness,
  clock: ManualClock,
  orderId: string,
  kind: "order.confirmed" | "order.awaiting",
): Promise<void> {
  // What the reconciler looks for must be written first: the read-back is recorded just after it is sent.
  if (kind === "order.awaiting")
    await expect.poll(() => harness.database.db.orderEvent.count({ where: { orderId, type: "message.sent" } })).toBeGreaterThan(0);
  advance(harness, clock, minute);
  await expect
    .poll(() => harness.database.db.job.count({ where: { dedupeKey: `${kind}:${orderId}`, status: "done" } }), { timeout: 5000 })
    .toBe(1);
}

/** An order the customer has confirmed in the chat, its follow-ups planned. */
export async function confirmedOrder(harness: Harness, clock: ManualClock, overrides: Record<string, unknown> = {}) {
  const opened = await openOrderDialog(harness, overrides);
  await opened.customer.tapButton("✅ Confirm");
  await expect.poll(async () => (await harness.api("GET", `/orders/${opened.order.id}`)).body.state).toBe("confirmed");
  await waitForPlan(harness, clock, opened.order.id, "order.confirmed");
  return opened;
}

export { orderPayload };

/**
 * The shop's managers' forum with one manager, Maria, for tests where a person has the chat:
 * pass `prepare` to startHarness; `managers` is filled in when the harness starts.
 */
export function managersGroup() {
  const managers = {} as { group: TelegramTestGroup; maria: TelegramTestUser };
  return {
    managers,
    prepare: (standin: Harness["standin"], file: ConfigFile) => {
      managers.maria = standin.addUser({ firstName: "Maria", languageCode: "en" });
      managers.group = standin.addForumGroup({ title: "Demo Shop managers", members: [], admins: [managers.maria] });
      file.managers.groupChatId = BigInt(managers.group.id);
      file.managers.workingHours = null;
    },
  };
}

/** The order card in the managers' group (the first message of the customer's topic). */
export const isOrderCard = (externalId: string) => (message: Message) =>
  (message.text?.startsWith("🆘") ?? false) && message.text!.includes(externalId);

/** Maria takes the customer's chat from the order's card; resolves with the card. */
export async function managerTakes(managers: ReturnType<typeof managersGroup>["managers"], externalId: string): Promise<Message> {
  const card = await managers.maria.waitForMessage(isOrderCard(externalId), { chat: managers.group, timeoutMs: 5000 });
  await managers.maria.tapButton("🙋 Take", { chat: managers.group, messageId: card.message_id, timeoutMs: 5000 });
  // The card shows the hand back buttons once it is Maria's.
  const buttons = () =>
    managers.group &&
    managers.maria
      .messagesIn({ chat: managers.group })
      .find((m) => m.message_id === card.message_id)
      ?.reply_markup?.inline_keyboard.flat()
      .map((b) => b.text);
  await expect.poll(buttons, { timeout: 5000 }).toContain("↩️ Hand back");
  return card;
}

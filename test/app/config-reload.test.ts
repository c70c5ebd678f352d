import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { exampleConfigPath } from "../../src/config/load-config.js";
import { startHarness, type Harness } from "../support/app-harness.js";
import { openOrderDialog } from "../support/order-payload.js";

const example = readFileSync(exampleConfigPath, "utf8");
const cancelReasonsLine = /\n {2}cancelReasons: \[[^\]]*\]\n/;
/** The example config with the shop's own confirmation section and wording. */
const configWith = (confirmation: string, texts = "") => example.replace(cancelReasonsLine, `\n${confirmation}\n`) + texts;
const buttonTexts = (message: { reply_markup?: { inline_keyboard: Array<Array<{ text: string }>> } } | undefined) =>
  message?.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [];

const before = configWith("  cancelReasons: [changed_mind, other]\n  steps: []");
const after = configWith(
  "  cancelReasons: [found_cheaper]\n  steps: [comment]",
  'texts:\n  en:\n    order.question: "Did we get everything right?"\n',
);

describe("changing the config while ordergram runs", () => {
  let harness: Harness;
  let configFile: string;
  beforeAll(async () => {
    configFile = path.join(mkdtempSync(path.join(tmpdir(), "og-reload-")), "ordergram.config.yaml");
    writeFileSync(configFile, before);
    harness = await startHarness({ configFile });
  });
  afterAll(async () => {
    await harness.close();
  });

  it("puts a valid new file in force for new dialogs, while a dialog under way keeps its reasons and steps", async () => {
    const old = await openOrderDialog(harness, { comment: undefined });
    expect(old.readBack.text).toContain("Is everything correct?");

    writeFileSync(configFile, after);
    expect(await harness.app.reloadConfig()).toEqual({ ok: true });

    // The dialog under way: the cancel reasons it started with; no comment step it never had.
    await old.customer.tapButton("❌ Cancel the order");
    const shownOld = () => old.customer.messages.find((m) => m.message_id === old.readBack.message_id);
    expect(buttonTexts(shownOld())).toEqual(["I changed my mind", "Another reason", "« Keep the order"]);
    await old.customer.tapButton("« Keep the order");
    // ...in the owner's new words, which are in force everywhere at once.
    expect(shownOld()?.text).toContain("Did we get everything right?");
    expect(shownOld()?.text).not.toContain("Anything to add for the shop");

    // A new order: the new steps and reasons.
    const fresh = await openOrderDialog(harness, { comment: undefined });
    expect(fresh.readBack.text).toContain("Anything to add for the shop");
    await fresh.customer.tapButton("Skip »");
    await fresh.customer.tapButton("❌ Cancel the order");
    const shownFresh = fresh.customer.messages.find((m) => m.message_id === fresh.readBack.message_id);
    expect(buttonTexts(shownFresh)).toEqual(["I found it cheaper", "« Keep the order"]);
  });

  it("refuses an invalid file with every problem, and the config in force stays", async () => {
    writeFileSync(configFile, after);
    await harness.app.reloadConfig();
    writeFileSync(
      configFile,
      configWith("  cancelReasons: [found_cheaper]\n  steps: [comment, teleport]", 'texts:\n  en:\n    order.questoin: "Right?"\n'),
    );
    const result = await harness.app.reloadConfig();
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual([
      expect.stringMatching(/^confirmation\.steps\.1 \(line \d+\): /),
      expect.stringMatching(
        /^texts\.en\.order\.questoin \(line \d+\): there is no text "order\.questoin" \(did you mean order\.question\?\)/,
      ),
    ]);
    expect(harness.app.services.config().confirmation).toMatchObject({ cancelReasons: ["found_cheaper"], steps: ["comment"] });

    const fresh = await openOrderDialog(harness, { comment: undefined });
    expect(fresh.readBack.text).toContain("Anything to add for the shop");
  });

  it("notices the file changed on disk, without a signal", async () => {
    writeFileSync(configFile, configWith("  cancelReasons: [delivery_too_slow]\n  steps: []"));
    await vi.waitFor(() => expect(harness.app.services.config().confirmation.cancelReasons).toEqual(["delivery_too_slow"]), {
      timeout: 10_000,
    });
    const fresh = await openOrderDialog(harness, { comment: undefined });
    expect(fresh.readBack.text).toContain("Is everything correct?");
  });
});

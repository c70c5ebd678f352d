import { describe, expect, it } from "vitest";
import { configOf, parseConfigFile, parseEnv, type Config } from "../../src/config/load-config.js";
import { sandboxConfig, sandboxWebhookSecret } from "../../src/sandbox/sandbox-config.js";

const ownerFile = `
shop:
  name: Flowers & Co
  assistantName: florist Maria
webhooks:
  url: https://shop.example/ordergram-hooks
managers:
  groupChatId: -1009876543210
  userIds: [42]
  answerWithin: { en: "an hour" }
`;
const config = (env: Record<string, string> = {}): Config =>
  configOf({ env: parseEnv(env), file: parseConfigFile(ownerFile, "ordergram.config.yaml"), configPath: "ordergram.config.yaml" });
const wiring = { managersGroupId: -1001000000001, managerIds: [100000002], webhookUrl: "http://127.0.0.1:5555/shop-webhooks" };

describe("the configuration the sandbox runs with", () => {
  it("should keep the owner's wording and settings, and point the managers' group and the webhooks into the sandbox", () => {
    const wired = sandboxConfig(config(), wiring);
    expect(wired.file.shop).toMatchObject({ name: "Flowers & Co", assistantName: "florist Maria" });
    expect(wired.file.managers).toMatchObject({ groupChatId: -1001000000001n, userIds: [100000002], answerWithin: { en: "an hour" } });
    // The shop's production receiver never gets sandbox orders.
    expect(wired.file.webhooks.url).toBe(wiring.webhookUrl);
    expect(wired.env).toMatchObject({ ORDERGRAM_WEBHOOK_URL: wiring.webhookUrl, ORDERGRAM_WEBHOOK_SECRET: sandboxWebhookSecret });
  });

  it("should send webhooks to a receiver the owner names in ORDERGRAM_WEBHOOK_URL, signed with their secret", () => {
    const wired = sandboxConfig(
      config({ ORDERGRAM_WEBHOOK_URL: "http://127.0.0.1:9000/hooks", ORDERGRAM_WEBHOOK_SECRET: "the-owners-own-secret-123" }),
      wiring,
    );
    expect(wired.env).toMatchObject({
      ORDERGRAM_WEBHOOK_URL: "http://127.0.0.1:9000/hooks",
      ORDERGRAM_WEBHOOK_SECRET: "the-owners-own-secret-123",
    });
  });
});

import { z } from "zod";
import { checkTextOverride } from "../locales/text-overrides.js";
import { supportedLanguages, type Language } from "../locales/supported-languages.js";

/**
 * The owner's wording (config key `texts`): per language, a text key and its new wording, e.g.
 *   texts:
 *     en:
 *       order.question: "Did we get everything right?"
 * Every text is checked at start-up and by `npm run config:check`: the key must exist, the
 * placeholders must be the message's own, and the HTML must be what Telegram accepts.
 */
export const textsConfigSchema = z
  .partialRecord(z.enum(supportedLanguages), z.record(z.string().min(1).max(200), z.string().min(1).max(4096)))
  .superRefine((texts, ctx) => {
    for (const [language, entries] of Object.entries(texts)) {
      for (const [key, text] of Object.entries(entries ?? {})) {
        for (const message of checkTextOverride(key, text, language as Language))
          ctx.addIssue({ code: "custom", path: [language, key], message });
      }
    }
  });

export type TextsConfig = z.infer<typeof textsConfigSchema>;

import { z } from "zod";

/**
 * The names of the commands ordergram answers (config key `commands`). A shop that mounts
 * ordergram into its own bot can rename one that its bot already uses: `commands: { help: "support" }`
 * makes ordergram answer /support, and leaves /help to the shop's bot. /start cannot be renamed
 * (Telegram's links open the bot with /start); its payloads that are not ordergram's pass through.
 */
const commandName = z.string().regex(/^[a-z0-9_]{1,32}$/, { error: "1-32 characters of a-z, 0-9 and _ (Telegram's rule)" });

export const renameableCommands = ["help", "return", "language", "orders"] as const;

export const commandsConfigSchema = z
  .strictObject(
    Object.fromEntries(renameableCommands.map((name) => [name, commandName.default(name)])) as Record<
      (typeof renameableCommands)[number],
      z.ZodDefault<typeof commandName>
    >,
  )
  .refine((names) => new Set(Object.values(names)).size === Object.values(names).length, { error: "two commands have the same name" });

export type CommandsConfig = z.infer<typeof commandsConfigSchema>;

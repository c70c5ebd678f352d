import { readFileSync } from "node:fs";

export interface SpecField {
  name: string;
  types: string[];
  required: boolean;
}

export interface SpecMethod {
  name: string;
  fields?: SpecField[];
  returns: string[];
}

export interface SpecType {
  name: string;
  fields?: SpecField[];
  subtypes?: string[];
}

export interface BotApiSpec {
  version: string;
  methods: Record<string, SpecMethod>;
  types: Record<string, SpecType>;
  /** Telegram matches method names case-insensitively, so lookups go through this index. */
  methodsByLowerName: Map<string, SpecMethod>;
}

let cached: BotApiSpec | undefined;

/** The official Bot API description shipped in vendor/, read once per process. */
export function loadBotApiSpec(): BotApiSpec {
  if (cached) return cached;
  const url = new URL("../../vendor/telegram-bot-api/api.json", import.meta.url);
  const raw = JSON.parse(readFileSync(url, "utf8")) as Omit<BotApiSpec, "methodsByLowerName">;
  const methodsByLowerName = new Map<string, SpecMethod>();
  for (const method of Object.values(raw.methods)) methodsByLowerName.set(method.name.toLowerCase(), method);
  cached = { ...raw, methodsByLowerName };
  return cached;
}

import { startTelegramStandin, type StandinOptions, type TelegramStandin } from "../../src/telegram-standin/index.js";

export const TOKEN = "7000000001:AAtest-token_for_the_shop_bot";

export interface ApiAnswer {
  status: number;
  body: { ok: boolean; result?: any; error_code?: number; description?: string; parameters?: { retry_after?: number } };
}

export type Encoding = "json" | "form" | "multipart" | "query";

/** Calls the stand-in over real HTTP, the way any Bot API client would. */
export async function callApi(
  standin: TelegramStandin,
  method: string,
  params: Record<string, unknown> = {},
  encoding: Encoding = "json",
  token = TOKEN,
): Promise<ApiAnswer> {
  const url = `${standin.url}/bot${token}/${method}`;
  const asStrings = Object.entries(params).map(
    ([key, value]) =>
      [key, typeof value === "object" ? JSON.stringify(value) : String(value as string | number | boolean)] as [string, string],
  );
  let response: Response;
  switch (encoding) {
    case "json":
      response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(params) });
      break;
    case "form":
      response = await fetch(url, { method: "POST", body: new URLSearchParams(asStrings) });
      break;
    case "multipart": {
      const form = new FormData();
      for (const [key, value] of asStrings) form.append(key, value);
      response = await fetch(url, { method: "POST", body: form });
      break;
    }
    case "query":
      response = await fetch(`${url}?${new URLSearchParams(asStrings).toString()}`);
      break;
  }
  return { status: response.status, body: (await response.json()) as ApiAnswer["body"] };
}

/** A stand-in with the shop bot, started for one test. */
export async function startWithBot(options: StandinOptions = {}): Promise<TelegramStandin> {
  const standin = await startTelegramStandin(options);
  standin.addBot({ token: TOKEN, username: "shop_bot", firstName: "Shop" });
  return standin;
}

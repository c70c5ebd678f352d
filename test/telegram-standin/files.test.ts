import { Api, InputFile } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TelegramStandin, TelegramTestUser } from "../../src/telegram-standin/index.js";
import { createPng } from "../../src/telegram-standin/index.js";
import { callApi, startWithBot, TOKEN } from "./standin-harness.js";

let standin: TelegramStandin;
let ann: TelegramTestUser;
let api: Api;

beforeEach(async () => {
  standin = await startWithBot();
  ann = standin.addUser({ firstName: "Ann" });
  await ann.sendText("/start");
  api = new Api(TOKEN, { apiRoot: standin.url });
});
afterEach(() => standin.close());

describe("photos and documents", () => {
  it("a photo uploaded with grammY's multipart comes back as sizes, and getFile serves the bytes", async () => {
    const png = createPng({ width: 1600, height: 1200 });
    const sent = await api.sendPhoto(ann.id, new InputFile(png, "label.png"), { caption: "Your parcel" });
    expect(sent.caption).toBe("Your parcel");
    expect(sent.photo.map((size) => [size.width, size.height])).toEqual([
      [90, 68],
      [320, 240],
      [800, 600],
      [1280, 960],
      [1600, 1200],
    ]);
    const largest = sent.photo.at(-1);
    const file = await api.getFile(largest?.file_id ?? "");
    expect(file.file_path).toMatch(/^photos\/file_\d+\.png$/);
    const download = await fetch(`${standin.url}/file/bot${TOKEN}/${file.file_path}`);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(png);
    expect(ann.lastBotMessage()?.photo).toHaveLength(5);
  });

  it("refuses bytes that are not an image, as Telegram does", async () => {
    const answer = api.sendPhoto(ann.id, new InputFile(new TextEncoder().encode("not an image"), "x.jpg"));
    await expect(answer).rejects.toThrow("Bad Request: IMAGE_PROCESS_FAILED");
  });

  it("a photo the user sends can be downloaded by the bot", async () => {
    const message = await ann.sendPhoto({ width: 400, height: 300 }, { caption: "damaged box" });
    const fileId = message.photo?.at(-1)?.file_id ?? "";
    const file = await api.getFile(fileId);
    const bytes = new Uint8Array(await (await fetch(`${standin.url}/file/bot${TOKEN}/${file.file_path}`)).arrayBuffer());
    expect(Buffer.from(bytes.subarray(1, 4)).toString()).toBe("PNG");
    const update = (await api.getUpdates()).at(-1);
    expect(update?.message?.caption).toBe("damaged box");
  });

  it("a document is stored with its name and can be re-sent by file_id", async () => {
    const sent = await api.sendDocument(ann.id, new InputFile(new TextEncoder().encode("a,b\n1,2\n"), "invoice.csv"));
    expect(sent.document).toMatchObject({ file_name: "invoice.csv", mime_type: "text/csv", file_size: 8 });
    const again = await api.sendDocument(ann.id, sent.document.file_id);
    expect(again.document.file_id).toBe(sent.document.file_id);
    expect(await callApi(standin, "getFile", { file_id: "nope" })).toMatchObject({ body: { description: "Bad Request: invalid file_id" } });
  });

  it("answers 404 for a file path that does not exist", async () => {
    const response = await fetch(`${standin.url}/file/bot${TOKEN}/photos/missing.jpg`);
    expect(response.status).toBe(404);
  });
});

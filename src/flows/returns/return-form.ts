import { createConversation, type Conversation } from "@grammyjs/conversations";
import type { Middleware } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { BotContext, FormContext } from "../../bots/bot-context.js";
import { telegramFileSource } from "./telegram-file-source.js";
import { reasonCode, type ReturnsConfig } from "../../config/returns-config.js";
import type { ReturnableLine, ReturnResolution } from "../../domain/return-request.js";
import { keepReturnPhotos } from "../../services/returns/return-photos.js";
import { askPersonAboutReturn, type ReturnPersonResult } from "../../services/returns/return-person.js";
import { personHasChat } from "../../services/handoff/handoff-read-model.js";
import { loadReturnStart, type ReturnStart } from "../../services/returns/return-start.js";
import { submitReturn, type SubmittedPhoto, type SubmitReturnResult } from "../../services/returns/submit-return.js";
import { newId } from "../../shared/ids.js";
import { bestEffort } from "../../telegram/telegram-error.js";
import { parseReturnFormTap, type ReturnFormTap } from "./return-callback.js";
import { entriesThatFit, pageOfChoices } from "../../shared/telegram-limits.js";
import {
  estimateLine,
  exchangeLabel,
  formButton,
  keyboard,
  leaveRow,
  reasonLabel,
  reasonLabelOf,
  refusalMessage,
  resolutionLabel,
} from "./return-messages.js";

/**
 * The return form: which items and how many, the reason, photos when the reason calls for them, a
 * comment, the resolution the customer prefers, a read-back, then the request goes to the shop.
 * Built on @grammyjs/conversations, which replays this code on every update: every database call
 * runs in conversation.external() and returns plain JSON, and the replay log is stored, so a form
 * half filled in survives a restart.
 *
 * Every question has "Cancel" and "Talk to a person" under it; the latter hands the chat to the
 * managers (as the order dialog's button does) and ends the form. While a person has the chat
 * (however it got there) the form asks nothing: the customer's messages go to the managers'
 * topic before they could reach it, and a tap on one of its buttons is answered with "a person
 * has your chat" and changes nothing; once the chat is the bot's again its buttons work again.
 */

export const returnFormId = "return-request";
export interface ReturnFormArgs {
  orderId: string;
}

/** A form left unanswered this long is dropped (photos can take a while to take). */
const formTimeoutMs = 24 * 60 * 60 * 1000;
const maxCommentLength = 1000;
const maxExchangeLength = 200;
/** Quantity buttons shown at most; a larger quantity is typed. */
const maxQuantityButtons = 10;

type FormConversation = Conversation<BotContext, FormContext>;

/** The form's conversation and the order it is about (what "Talk to a person" needs). */
interface Form {
  conversation: FormConversation;
  orderId: string;
  orderNumber: string;
}

/**
 * Everything the form needs, read in external() (plain JSON): at the start, and again when the shop changed its settings under the
 * form.
 */
interface FormSetup {
  requestId: string;
  start: ReturnStart;
  settings: Pick<ReturnsConfig, "reasons" | "resolutions" | "exchangeOptions"> & { photoReasons: string[]; maxPhotos: number };
}

interface Draft {
  items: Map<number, number>;
  reason: string;
  photos: SubmittedPhoto[];
  comment: string | null;
  resolution: ReturnResolution;
  exchangeFor: string | null;
}

/** One update, sorted by what the form can do with it. */
type Input =
  | { kind: "tap"; tap: ReturnFormTap; ctx: FormContext }
  | { kind: "text"; text: string; ctx: FormContext }
  | { kind: "photo"; photo: SubmittedPhoto; ctx: FormContext }
  /** A file, sticker, voice note...: nothing a step takes. */
  | { kind: "other"; isImageFile: boolean; ctx: FormContext };

const cancelled = Symbol("cancelled");
type Cancelled = typeof cancelled;

async function nextInput(form: Form): Promise<Input | Cancelled> {
  const { conversation } = form;
  for (;;) {
    const ctx = await conversation.wait({ maxMilliseconds: formTimeoutMs });
    const data = ctx.callbackQuery?.data;
    if (data !== undefined) {
      const tap = parseReturnFormTap(data);
      // Another flow's button: the customer moved on; leave the form and let it be handled.
      if (!tap) await conversation.halt({ next: true });
      // A person has the chat (escalated meanwhile): the form waits, it does not talk over them.
      if (await conversation.external((outer) => personHasChat(outer.services, BigInt(outer.chat!.id)))) {
        await ctx.answerCallbackQuery({ text: ctx.t("returns.person.already", { shopName: ctx.shop.name }), show_alert: true });
        continue;
      }
      if (tap!.type === "cancel") {
        await takeButtonsOff(ctx);
        await ctx.answerCallbackQuery();
        await ctx.reply(ctx.t("returns.form.cancelled"));
        return cancelled;
      }
      if (tap!.type === "person") {
        const result = await conversation.external((outer): Promise<ReturnPersonResult> =>
          askPersonAboutReturn(outer.services, { orderId: form.orderId, detail: "asked for a person in the return form", fromForm: true }),
        );
        await takeButtonsOff(ctx);
        await ctx.answerCallbackQuery();
        const key =
          result.type === "escalated"
            ? "returns.person.passed"
            : result.type === "already_with_people"
              ? "returns.person.already"
              : "returns.refusals.notFound";
        await ctx.reply(ctx.t(key, { orderNumber: form.orderNumber, shopName: ctx.shop.name }));
        return cancelled;
      }
      return { kind: "tap", tap: tap!, ctx };
    }
    const message = ctx.message;
    // Edits, reactions, membership changes: not for the form.
    if (!message) await conversation.skip({ next: true });
    if (message!.text?.startsWith("/")) await conversation.halt({ next: true });
    if (message!.text !== undefined) return { kind: "text", text: message!.text, ctx };
    const largest = message!.photo?.at(-1);
    if (largest) {
      return {
        kind: "photo",
        photo: {
          fileId: largest.file_id,
          fileUniqueId: largest.file_unique_id,
          width: largest.width,
          height: largest.height,
          fileSize: largest.file_size ?? null,
        },
        ctx,
      };
    }
    return { kind: "other", isImageFile: message!.document?.mime_type?.startsWith("image/") ?? false, ctx };
  }
}

/**
 * Takes the buttons off the question just answered, so it cannot be answered twice. Buttons already
 * gone are fine; another refusal is logged (again when the form replays that step) and the form goes on.
 */
const takeButtonsOff = (ctx: FormContext) =>
  bestEffort(ctx.logger, "taking the buttons off a return form question", () => ctx.editMessageReplyMarkup());

/** The answer to a tap on a button of an earlier step (its message is still on screen). */
async function staleTap(input: Extract<Input, { kind: "tap" }>): Promise<void> {
  await input.ctx.answerCallbackQuery({ text: input.ctx.t("returns.wrong.staleButton") });
}

/** Kind words for input a step cannot use, saying what it needs instead. */
async function wrongInput(input: Exclude<Input, { kind: "tap" }>, expected: "buttons" | "photos" | "text"): Promise<void> {
  const { ctx } = input;
  const key =
    input.kind === "photo"
      ? expected === "text"
        ? "returns.wrong.photoForText"
        : "returns.wrong.photoForButtons"
      : input.kind === "other" && input.isImageFile && expected === "photos"
        ? "returns.wrong.fileForPhoto"
        : expected === "photos"
          ? "returns.wrong.textForPhotos"
          : expected === "text"
            ? "returns.wrong.otherForText"
            : "returns.wrong.textForButtons";
  await ctx.reply(ctx.t(key));
}

/** The chosen items' lines, as many as fit one message around `head` and `tail`, then how many more. */
function fittedItemLines(ctx: FormContext, head: string[], chosen: string[], tail: string[]): string {
  const build = (shown: number) =>
    [
      ...head,
      ...chosen.slice(0, shown),
      ...(shown < chosen.length ? [ctx.t("order.moreItems", { count: chosen.length - shown })] : []),
      ...tail,
    ].join("\n");
  return build(entriesThatFit(build, chosen.length));
}

function itemsText(ctx: FormContext, orderNumber: string, lines: ReturnableLine[], items: Map<number, number>): string {
  const chosen = lines.filter((line) => items.has(line.position));
  const head = [ctx.t("returns.form.items", { orderNumber })];
  if (!chosen.length) return head.join("\n");
  return fittedItemLines(
    ctx,
    [...head, "", ctx.t("returns.form.chosen")],
    chosen.map((line) => ctx.t("returns.form.chosenLine", { name: line.name, quantity: items.get(line.position)! })),
    [],
  );
}

function itemsKeyboard(ctx: FormContext, lines: ReturnableLine[], items: Map<number, number>, requestedPage = 0) {
  const page = pageOfChoices(lines.length, requestedPage);
  const rows: InlineKeyboardButton[][] = (page ? lines.slice(page.from, page.to) : lines).map((line) => {
    const quantity = items.get(line.position);
    const text = quantity
      ? ctx.t("returns.buttons.itemChosen", { name: line.name, quantity, left: line.left })
      : ctx.t("returns.buttons.item", { name: line.name, left: line.left });
    return [formButton(text, { type: "item", position: line.position })];
  });
  // A long order's items come a page at a time: Telegram takes 100 buttons at most.
  if (page) {
    const nav = [
      ...(page.current > 0 ? [formButton("◀", { type: "page", page: page.current - 1 })] : []),
      ...(page.current < page.count - 1 ? [formButton("▶", { type: "page", page: page.current + 1 })] : []),
    ];
    rows.push(nav);
  }
  if (items.size) rows.push([formButton(ctx.t("returns.buttons.continue"), { type: "items_done" })]);
  rows.push(leaveRow(ctx.t));
  return keyboard(rows);
}

function quantityKeyboard(ctx: FormContext, line: ReturnableLine, chosen: number | undefined) {
  const numbers = Array.from({ length: Math.min(line.left, maxQuantityButtons) }, (_, i) => i + 1);
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < numbers.length; i += 5)
    rows.push(numbers.slice(i, i + 5).map((n) => formButton(String(n), { type: "quantity", quantity: n })));
  if (chosen) rows.push([formButton(ctx.t("returns.buttons.none"), { type: "quantity", quantity: 0 })]);
  rows.push(leaveRow(ctx.t));
  return keyboard(rows);
}

/** Items and quantities: one message, edited in place as the customer picks. */
async function askItems(form: Form, ctx: FormContext, lines: ReturnableLine[]): Promise<Map<number, number> | Cancelled> {
  const { orderNumber } = form;
  const items = new Map<number, number>();
  let page = 0;
  await ctx.reply(itemsText(ctx, orderNumber, lines, items), { parse_mode: "HTML", reply_markup: itemsKeyboard(ctx, lines, items, page) });
  let choosing: ReturnableLine | null = null;
  for (;;) {
    const input = await nextInput(form);
    if (input === cancelled) return cancelled;
    if (input.kind !== "tap") {
      // A typed number answers "how many".
      const typed = input.kind === "text" && choosing && /^\s*\d{1,4}\s*$/.test(input.text) ? Number(input.text) : null;
      if (choosing && typed !== null && typed >= 1 && typed <= choosing.left) {
        items.set(choosing.position, typed);
        choosing = null;
        await input.ctx.reply(itemsText(input.ctx, orderNumber, lines, items), {
          parse_mode: "HTML",
          reply_markup: itemsKeyboard(input.ctx, lines, items, page),
        });
        continue;
      }
      if (choosing && input.kind === "text") {
        await input.ctx.reply(input.ctx.t("returns.wrong.quantity", { max: choosing.left }));
        continue;
      }
      await wrongInput(input, "buttons");
      continue;
    }
    const { tap, ctx: tapCtx } = input;
    if (tap.type === "page" && !choosing) {
      page = tap.page;
      await tapCtx.editMessageReplyMarkup({ reply_markup: itemsKeyboard(tapCtx, lines, items, page) });
      await tapCtx.answerCallbackQuery();
      continue;
    }
    if (tap.type === "item") {
      const line = lines.find((l) => l.position === tap.position);
      if (!line) {
        await staleTap(input);
        continue;
      }
      if (line.left === 1) {
        if (items.has(line.position)) items.delete(line.position);
        else items.set(line.position, 1);
        await tapCtx.editMessageText(itemsText(tapCtx, orderNumber, lines, items), {
          parse_mode: "HTML",
          reply_markup: itemsKeyboard(tapCtx, lines, items, page),
        });
      } else {
        choosing = line;
        await tapCtx.editMessageText(tapCtx.t("returns.form.howMany", { name: line.name, left: line.left }), {
          parse_mode: "HTML",
          reply_markup: quantityKeyboard(tapCtx, line, items.get(line.position)),
        });
      }
      await tapCtx.answerCallbackQuery();
      continue;
    }
    if (tap.type === "quantity" && choosing && tap.quantity <= choosing.left) {
      if (tap.quantity === 0) items.delete(choosing.position);
      else items.set(choosing.position, tap.quantity);
      choosing = null;
      await tapCtx.editMessageText(itemsText(tapCtx, orderNumber, lines, items), {
        parse_mode: "HTML",
        reply_markup: itemsKeyboard(tapCtx, lines, items, page),
      });
      await tapCtx.answerCallbackQuery();
      continue;
    }
    if (tap.type === "items_done" && items.size && !choosing) {
      await takeButtonsOff(tapCtx);
      await tapCtx.answerCallbackQuery();
      return items;
    }
    await staleTap(input);
  }
}

/** Waits for one of the taps `accept` takes (from buttons just sent); everything else is answered kindly. */
async function askChoice<T>(
  form: Form,
  accept: (tap: ReturnFormTap) => T | null,
  expected: "buttons" | "text" = "buttons",
): Promise<T | { text: string } | Cancelled> {
  for (;;) {
    const input = await nextInput(form);
    if (input === cancelled) return cancelled;
    if (input.kind === "tap") {
      const value = accept(input.tap);
      if (value === null) {
        await staleTap(input);
        continue;
      }
      await takeButtonsOff(input.ctx);
      await input.ctx.answerCallbackQuery();
      return value;
    }
    if (expected === "text" && input.kind === "text") return { text: input.text };
    await wrongInput(input, expected);
  }
}

const isText = (value: unknown): value is { text: string } => typeof value === "object" && value !== null && "text" in value;

async function askPhotos(form: Form, ctx: FormContext, max: number): Promise<SubmittedPhoto[] | Cancelled> {
  const photos: SubmittedPhoto[] = [];
  await ctx.reply(ctx.t("returns.form.photos", { max, count: max }), { parse_mode: "HTML", reply_markup: keyboard([leaveRow(ctx.t)]) });
  for (;;) {
    const input = await nextInput(form);
    if (input === cancelled) return cancelled;
    if (input.kind === "photo") {
      photos.push(input.photo);
      if (photos.length >= max) {
        await input.ctx.reply(input.ctx.t("returns.form.photosFull", { n: photos.length, count: photos.length }));
        return photos;
      }
      await input.ctx.reply(input.ctx.t("returns.form.photoReceived", { n: photos.length, max }), {
        reply_markup: keyboard([[formButton(input.ctx.t("returns.buttons.photosDone"), { type: "photos_done" })], leaveRow(input.ctx.t)]),
      });
      continue;
    }
    if (input.kind === "tap") {
      if (input.tap.type === "photos_done" && photos.length > 0) {
        await takeButtonsOff(input.ctx);
        await input.ctx.answerCallbackQuery();
        return photos;
      }
      if (input.tap.type === "photos_done") {
        await input.ctx.answerCallbackQuery({ text: input.ctx.t("returns.wrong.noPhotosYet") });
        continue;
      }
      await staleTap(input);
      continue;
    }
    await wrongInput(input, "photos");
  }
}

async function askComment(form: Form, ctx: FormContext): Promise<string | null | Cancelled> {
  await ctx.reply(ctx.t("returns.form.comment"), {
    reply_markup: keyboard([[formButton(ctx.t("returns.buttons.skip"), { type: "skip_comment" })], leaveRow(ctx.t)]),
  });
  for (;;) {
    const answer = await askChoice(form, (tap) => (tap.type === "skip_comment" ? ("skip" as const) : null), "text");
    if (answer === cancelled || answer === "skip") return answer === cancelled ? cancelled : null;
    const comment = answer.text.trim();
    if (comment.length > maxCommentLength) {
      await ctx.reply(ctx.t("returns.wrong.tooLong", { max: maxCommentLength, count: maxCommentLength }));
      continue;
    }
    return comment;
  }
}

async function askResolution(
  form: Form,
  ctx: FormContext,
  setup: FormSetup,
): Promise<{ resolution: ReturnResolution; exchangeFor: string | null } | Cancelled> {
  const { resolutions, exchangeOptions } = setup.settings;
  let resolution = resolutions[0]!;
  if (resolutions.length > 1) {
    await ctx.reply(ctx.t("returns.form.resolution"), {
      reply_markup: keyboard([
        ...resolutions.map((r) => [formButton(resolutionLabel(r, ctx.t), { type: "resolution", resolution: r })]),
        leaveRow(ctx.t),
      ]),
    });
    const chosen = await askChoice(form, (tap) =>
      tap.type === "resolution" && resolutions.includes(tap.resolution) ? tap.resolution : null,
    );
    if (chosen === cancelled) return cancelled;
    resolution = chosen as ReturnResolution;
  }
  if (resolution !== "exchange") return { resolution, exchangeFor: null };
  if (exchangeOptions.length) {
    await ctx.reply(ctx.t("returns.form.exchangeOptions"), {
      reply_markup: keyboard([
        ...exchangeOptions.map((o) => [
          formButton(exchangeLabel(o.code, exchangeOptions, ctx.language), { type: "exchange_option", code: o.code }),
        ]),
        leaveRow(ctx.t),
      ]),
    });
    const option = await askChoice(form, (tap) =>
      tap.type === "exchange_option" && exchangeOptions.some((o) => o.code === tap.code) ? tap.code : null,
    );
    return option === cancelled ? cancelled : { resolution, exchangeFor: option as string };
  }
  await ctx.reply(ctx.t("returns.form.exchangeText"), { reply_markup: keyboard([leaveRow(ctx.t)]) });
  for (;;) {
    const answer = await askChoice(form, () => null, "text");
    if (answer === cancelled) return cancelled;
    const wish = isText(answer) ? answer.text.trim() : "";
    if (wish.length > 0 && wish.length <= maxExchangeLength) return { resolution, exchangeFor: wish };
    await ctx.reply(ctx.t("returns.wrong.tooLong", { max: maxExchangeLength, count: maxExchangeLength }));
  }
}

function reviewText(ctx: FormContext, setup: FormSetup & { start: { type: "eligible" } }, draft: Draft): string {
  const { t } = ctx;
  const head = [t("returns.review.title", { orderNumber: setup.start.orderNumber }), t("returns.review.items")];
  const chosen: string[] = [];
  for (const line of setup.start.lines) {
    const quantity = draft.items.get(line.position);
    if (quantity) chosen.push(t("returns.review.item", { name: line.name, quantity }));
  }
  const tail = [t("returns.review.reason", { reason: reasonLabelOf(draft.reason, setup.settings.reasons, ctx) })];
  if (draft.photos.length) tail.push(t("returns.review.photos", { n: draft.photos.length }));
  if (draft.comment) tail.push(t("returns.review.comment", { comment: draft.comment }));
  tail.push(t("returns.review.resolution", { resolution: resolutionLabel(draft.resolution, t) }));
  if (draft.exchangeFor)
    tail.push(
      t("returns.review.exchangeFor", { exchangeFor: exchangeLabel(draft.exchangeFor, setup.settings.exchangeOptions, ctx.language) }),
    );
  tail.push("", t("returns.review.question"));
  return fittedItemLines(ctx, head, chosen, tail);
}

/** What the form asks from: the order as it is now and the shop's settings in force (plain JSON). */
function loadSetup(conversation: FormConversation, args: ReturnFormArgs, requestId?: string): Promise<FormSetup> {
  return conversation.external(async (outer): Promise<FormSetup> => {
    const config = outer.services.config().returns;
    return {
      requestId: requestId ?? newId(),
      start: await loadReturnStart(outer.services, { orderId: args.orderId, telegramUserId: BigInt(outer.from!.id) }),
      settings: {
        reasons: config.reasons,
        resolutions: config.resolutions,
        exchangeOptions: config.exchangeOptions,
        photoReasons: config.photos.requiredFor,
        maxPhotos: config.photos.max,
      },
    };
  });
}

async function returnForm(conversation: FormConversation, ctx: FormContext, args: ReturnFormArgs): Promise<void> {
  let setup = await loadSetup(conversation, args);

  for (;;) {
    const { start } = setup;
    if (start.type !== "eligible") {
      const refusal = refusalMessage(start, ctx);
      await ctx.reply(refusal.text, { parse_mode: "HTML", ...(refusal.reply_markup ? { reply_markup: refusal.reply_markup } : {}) });
      return;
    }
    const eligible = { ...setup, start };
    const form: Form = { conversation, orderId: start.orderId, orderNumber: start.orderNumber };

    const items = await askItems(form, ctx, start.lines);
    if (items === cancelled) return;

    await ctx.reply(ctx.t("returns.form.reason"), {
      reply_markup: keyboard([
        ...setup.settings.reasons.map((r) => [formButton(reasonLabel(r, ctx), { type: "reason", code: reasonCode(r) })]),
        leaveRow(ctx.t),
      ]),
    });
    const codes = setup.settings.reasons.map(reasonCode);
    const reason = await askChoice(form, (tap) => (tap.type === "reason" && codes.includes(tap.code) ? tap.code : null));
    if (reason === cancelled) return;

    const photos = setup.settings.photoReasons.includes(reason as string) ? await askPhotos(form, ctx, setup.settings.maxPhotos) : [];
    if (photos === cancelled) return;
    const comment = await askComment(form, ctx);
    if (comment === cancelled) return;
    const resolution = await askResolution(form, ctx, setup);
    if (resolution === cancelled) return;

    const draft: Draft = { items, reason: reason as string, photos, comment, ...resolution };
    await ctx.reply(reviewText(ctx, eligible, draft), {
      parse_mode: "HTML",
      reply_markup: keyboard([
        [formButton(ctx.t("returns.buttons.send"), { type: "send" })],
        [formButton(ctx.t("returns.buttons.startOver"), { type: "start_over" })],
        leaveRow(ctx.t),
      ]),
    });
    const decision = await askChoice(form, (tap) => (tap.type === "send" || tap.type === "start_over" ? tap.type : null));
    if (decision === cancelled) return;
    if (decision === "start_over") continue;

    const result = await conversation.external(async (outer): Promise<SubmitReturnResult> => {
      const submitted = await submitReturn(outer.services, {
        requestId: setup.requestId,
        orderId: start.orderId,
        telegramUserId: BigInt(outer.from!.id),
        language: outer.language,
        items: [...draft.items].map(([position, quantity]) => ({ position, quantity })),
        reason: draft.reason,
        comment: draft.comment,
        resolution: draft.resolution,
        exchangeFor: draft.exchangeFor,
        photos: draft.photos,
      });
      if (submitted.type === "submitted") {
        const sent = outer.t("returns.form.sent", { orderNumber: start.orderNumber, shopName: outer.shop.name });
        const answer = estimateLine("answer", outer.services.config().returns.estimates, {
          t: outer.t,
          language: outer.language,
          shop: outer.shop,
        });
        await outer.reply(answer ? `${sent}\n${answer}` : sent);
        // After the answer, so the customer does not wait for the downloads.
        await keepReturnPhotos(outer.services, telegramFileSource(outer.api), submitted.requestId);
      }
      return submitted;
    });
    switch (result.type) {
      case "submitted":
        return;
      case "window_closed":
      case "already_requested":
      case "not_found":
      case "not_yours": {
        const refusal = refusalMessage(result.type === "window_closed" ? { ...result, orderId: start.orderId } : result, ctx);
        await ctx.reply(refusal.text, { parse_mode: "HTML", ...(refusal.reply_markup ? { reply_markup: refusal.reply_markup } : {}) });
        return;
      }
      case "invalid":
        // The shop changed its return settings (reasons, resolutions, photos) while the form was
        // open: it starts over at once with the settings now in force (or says why it cannot).
        await ctx.reply(ctx.t("returns.form.settingsChanged"));
        setup = await loadSetup(conversation, args, setup.requestId);
        continue;
    }
  }
}

/** Registers the form; `contextPlugins` gives the code inside it the same context as outside. */
export function returnForms(contextPlugins: Middleware<FormContext>[]): Middleware<BotContext>[] {
  return [createConversation<BotContext, FormContext>(returnForm, { id: returnFormId, plugins: contextPlugins })];
}

import { createConversation, type Conversation } from "@grammyjs/conversations";
import type { Middleware } from "grammy";
import type { BotContext, FormContext } from "../../bots/bot-context.js";
import type { CustomerCommand } from "../../domain/order-dialog.js";
import { orderLimits } from "../../domain/order.js";
import { applyCustomerCommand } from "../../services/apply-customer-command.js";
import { answerTo } from "../../services/dialog-answer.js";
import { sendOrderMessage } from "./order-dialog-presenter.js";
import { withOrderVariables, type OrderTextVariables } from "./order-texts.js";
import { rejectionText } from "./rejection-text.js";

/**
 * Short in-chat forms of the order dialog: the customer types an address, a comment or a
 * quantity. Built on @grammyjs/conversations, which replays this code on every update, so every
 * database call runs in conversation.external() and returns plain JSON.
 */

export const formCancelData = "og:f:cancel";
/** A form left unanswered this long is dropped; the next message is handled as usual. */
const formTimeoutMs = 24 * 60 * 60 * 1000;

export interface FormArgs {
  orderId: string;
  position?: number;
  /** The order's placeholders for the form's texts (absent in forms stored before they existed). */
  texts?: OrderTextVariables;
}

interface FormSpec {
  id: string;
  prompt(t: FormContext["t"], args: FormArgs, lineName: string): string;
  /** The command the typed text means, or null when it cannot be one (asked again). */
  toCommand(text: string, args: FormArgs): CustomerCommand | null;
}

const forms: FormSpec[] = [
  {
    id: "order-comment",
    prompt: (t) => t("order.forms.askComment"),
    toCommand: (text) => ({ type: "set_comment", comment: text }),
  },
  {
    id: "order-quantity",
    prompt: (t, _args, name) => t("order.forms.askQuantity", { name, max: orderLimits.maxQuantity }),
    toCommand: (text, args) => {
      const quantity = /^\s*\d{1,6}\s*$/.test(text) ? Number(text) : Number.NaN;
      return Number.isNaN(quantity) || args.position === undefined ? null : { type: "set_quantity", position: args.position, quantity };
    },
  },
];

export const formIds = { comment: "order-comment", quantity: "order-quantity" } as const;

type FormOutcome = { type: "done" } | { type: "invalid"; text: string } | { type: "refused"; text: string };

function buildForm(spec: FormSpec) {
  return async (conversation: Conversation<BotContext, FormContext>, ctx: FormContext, args: FormArgs, lineName = "") => {
    // The form's texts in the language of the update at hand, with the order's placeholders.
    const textsOf = (context: FormContext) => withOrderVariables(context.t, args.texts);
    const t = textsOf(ctx);
    await ctx.reply(spec.prompt(t, args, lineName), {
      reply_markup: { inline_keyboard: [[{ text: t("order.buttons.cancelForm"), callback_data: formCancelData }]] },
    });
    for (;;) {
      const answer = await conversation.wait({ maxMilliseconds: formTimeoutMs });
      if (answer.callbackQuery?.data === formCancelData) {
        await answer.answerCallbackQuery();
        await answer.reply(textsOf(answer)("order.forms.abandoned"));
        await conversation.external((outer) => sendOrderMessage(outer.api, outer, args.orderId, "none", outer.from?.language_code));
        return;
      }
      // Another button or a command: the customer moved on; leave the form and let it be handled.
      if (answer.callbackQuery || answer.message?.text?.startsWith("/")) await conversation.halt({ next: true });
      const text = answer.message?.text;
      if (!text) {
        await answer.reply(textsOf(answer)("order.forms.textExpected"));
        continue;
      }
      const command = spec.toCommand(text, args);
      const outcome: FormOutcome = command
        ? await conversation.external(async (outer): Promise<FormOutcome> => {
            // Accepted: the service has shown the dialog as it now stands, as a new message.
            const result = await applyCustomerCommand(outer.services, {
              orderId: args.orderId,
              telegramUserId: BigInt(outer.from!.id),
              command,
              answerTo: answerTo(undefined, outer.from?.language_code),
            });
            if (result.type === "accepted") return { type: "done" };
            if (result.type === "rejected") {
              const text = rejectionText(textsOf(outer), result.code, result.record.order.state);
              return result.code.startsWith("INVALID_") ? { type: "invalid", text } : { type: "refused", text };
            }
            return { type: "refused", text: rejectionText(outer.t, result.type === "not_yours" ? "NOT_YOURS" : "NOT_FOUND") };
          })
        : { type: "invalid", text: rejectionText(textsOf(answer), spec.id === formIds.quantity ? "INVALID_QUANTITY" : "INVALID_COMMENT") };
      if (outcome.type === "done") return;
      await answer.reply(outcome.text);
      if (outcome.type === "refused") return;
    }
  };
}

/** Registers the forms; `contextPlugins` gives the code inside a form the same context as outside. */
export function orderForms(contextPlugins: Middleware<FormContext>[]): Middleware<BotContext>[] {
  return forms.map((spec) => createConversation<BotContext, FormContext>(buildForm(spec), { id: spec.id, plugins: contextPlugins }));
}

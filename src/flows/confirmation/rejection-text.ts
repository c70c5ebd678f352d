import type { RejectionCode } from "../../domain/order-dialog.js";
import type { OrderState } from "../../domain/order.js";
import type { Translate } from "../../locales/i18n.js";

/** The polite sentence a customer sees when a tap or a form answer changes nothing. */
export function rejectionText(t: Translate, code: RejectionCode | "SLOT_FULL" | "NOT_YOURS" | "NOT_FOUND", state?: OrderState): string {
  switch (code) {
    case "ORDER_FINAL":
      return t("order.rejections.final", { state: t(`order.states.${state ?? "confirmed"}`) });
    case "STALE":
      return t("order.rejections.stale");
    case "WOULD_EMPTY_ORDER":
      return t("order.rejections.wouldEmpty");
    case "UNKNOWN_LINE":
      return t("order.rejections.unknownLine");
    case "NOT_YOURS":
      return t("order.rejections.notYours");
    case "NOT_FOUND":
      return t("order.rejections.notFound");
    case "INVALID_QUANTITY":
      return t("order.forms.invalidQuantity", { max: 9999 });
    case "INVALID_ADDRESS":
      return t("order.forms.invalidAddress", { min: 5, max: 500, count: 500 });
    case "INVALID_COMMENT":
      return t("order.forms.invalidComment", { max: 1000, count: 1000 });
    case "UNKNOWN_CANCEL_REASON":
      return t("order.rejections.stale");
    case "NOT_OFFERED":
      return t("order.rejections.notOffered");
    case "DELIVERY_FIXED":
      return t("order.rejections.deliveryFixed");
    case "SLOT_FULL":
      return t("order.rejections.slotFull");
  }
}

import { z } from "zod";

/**
 * Callback data of the order dialog's buttons: "og:o:<orderId>:<version>:<action>[:<a>[:<b>]]".
 * "og:" namespaces ordergram's buttons inside a host bot; the version makes a tap on an older
 * message detectable. Telegram allows 64 bytes: a 36-character order id, a 5-digit version and
 * the longest action fit in 60.
 */
export const confirmationActions = {
  confirm: "c",
  editMenu: "e",
  back: "b",
  chooseLineForQuantity: "lq",
  chooseLineForRemoval: "lr",
  chooseQuantityFor: "q",
  setQuantity: "s",
  removeLine: "r",
  askAddress: "fa",
  askComment: "fc",
  askQuantity: "fq",
  openCancel: "x",
  cancelWithReason: "xr",
  requestHuman: "h",
  takeSubstitute: "ss",
  takeAvailable: "ta",
  chooseAgain: "ca",
  chooseLineToChooseAgain: "lc",
  openDelivery: "d",
  chooseMethod: "dm",
  chooseZone: "dz",
  chooseDay: "dd",
  chooseWindow: "dw",
  choosePoint: "dp",
  skipComment: "sc",
  /** Shows another page of a long list of lines (args: the page). */
  linePage: "lp",
  /** Sends every item of an order too long for one message. */
  showItems: "li",
} as const;

export type ConfirmationAction = keyof typeof confirmationActions;
const actionByCode = new Map<string, ConfirmationAction>(
  Object.entries(confirmationActions).map(([name, code]) => [code, name as ConfirmationAction]),
);

export interface ConfirmationCallback {
  orderId: string;
  version: number;
  action: ConfirmationAction;
  /** Line position, quantity, an index into a list the dialog's settings fix, or a date as YYYYMMDD. */
  args: number[];
}

const prefix = "og:o:";
const orderIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,36}$/);
const smallInt = z.coerce.number().int().min(0).max(99_999_999);
const partsSchema = z.tuple([orderIdSchema, smallInt, z.string()]).rest(smallInt);

export function packConfirmationCallback(data: ConfirmationCallback): string {
  const packed = [prefix + data.orderId, data.version, confirmationActions[data.action], ...data.args].join(":");
  if (Buffer.byteLength(packed) > 64) throw new Error(`callback data over 64 bytes: ${packed}`);
  return packed;
}

/** Parses our own button data; anything else (a forged or foreign button) gives null. */
export function parseConfirmationCallback(data: string): ConfirmationCallback | null {
  if (!data.startsWith(prefix)) return null;
  const parsed = partsSchema.safeParse(data.slice(prefix.length).split(":"));
  if (!parsed.success) return null;
  const [orderId, version, code, ...args] = parsed.data;
  const action = actionByCode.get(code);
  return action ? { orderId, version, action, args } : null;
}

export const confirmationCallbackPattern = /^og:o:/;

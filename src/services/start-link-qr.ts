import QRCode from "qrcode";

/**
 * An order's start link as a QR code, for the shop to print or send: the same picture in the API
 * (GET /orders/{id}/start-qr) and in the order.unreached webhook. Margin 4 modules is the quiet
 * zone the QR standard asks for; level M still reads a smudged print.
 */
const options = { errorCorrectionLevel: "M" as const, margin: 4 };

export const startLinkQrSvg = (link: string): Promise<string> => QRCode.toString(link, { ...options, type: "svg" });

export const startLinkQrPng = (link: string): Promise<Buffer> => QRCode.toBuffer(link, { ...options, type: "png", width: 512 });

/** The PNG as a data: URL, ready for an <img> in an e-mail or a web page. */
export const startLinkQrDataUrl = async (link: string): Promise<string> =>
  `data:image/png;base64,${(await startLinkQrPng(link)).toString("base64")}`;

/** Where the shop's system fetches the QR code (with its API token). */
export const startQrPath = (orderId: string): string => `/api/v1/orders/${encodeURIComponent(orderId)}/start-qr`;

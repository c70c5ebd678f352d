import type { ReturnRequestRecord } from "../../db/return-request-repository.js";

/** Where the shop downloads a photo, relative to the server's root. */
export const returnPhotoPath = (returnId: string, photoId: string): string => `/api/v1/returns/${returnId}/photos/${photoId}`;

/**
 * A return request as the shop sees it, in the API and in the return.requested webhook. Photo
 * links are absolute when `baseUrl` is known (the API's own address, or the configured one), and
 * always carry their path; they are served to the shop only (bearer token).
 */
export function returnRequestView(request: ReturnRequestRecord, context: { orderExternalId: string; baseUrl: string | null }) {
  return {
    id: request.id,
    orderId: request.orderId,
    orderExternalId: context.orderExternalId,
    status: request.status,
    items: request.items.map((item) => ({ position: item.position, sku: item.sku, name: item.name, quantity: item.quantity })),
    reason: request.reason,
    comment: request.comment,
    resolution: { type: request.resolution, exchangeFor: request.exchangeFor },
    photos: request.photos.map((photo) => {
      const path = returnPhotoPath(request.id, photo.id);
      return {
        id: photo.id,
        url: context.baseUrl ? `${context.baseUrl.replace(/\/+$/, "")}${path}` : null,
        path,
        width: photo.width,
        height: photo.height,
        fileSize: photo.fileSize,
        telegramFileId: photo.fileId,
        telegramFileUniqueId: photo.fileUniqueId,
        kept: photo.storedPath !== null,
      };
    }),
    language: request.language,
    history: request.history,
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
  };
}

export type ReturnRequestView = ReturnType<typeof returnRequestView>;

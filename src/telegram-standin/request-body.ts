import { parseMultipart } from "./multipart.js";
import type { UploadedFile } from "./uploaded-file.js";

export interface RequestParams {
  /** Parameter values as sent: typed values from JSON, strings from query, urlencoded and multipart. */
  params: Record<string, unknown>;
  files: Map<string, UploadedFile>;
}

export type ReadParamsResult = { ok: true; value: RequestParams } | { ok: false; description: string };

/** Reads Bot API parameters the ways Telegram accepts them: query string, JSON, urlencoded, multipart. */
export async function readRequestParams(request: Request): Promise<ReadParamsResult> {
  const params: Record<string, unknown> = {};
  const files = new Map<string, UploadedFile>();
  for (const [key, value] of new URL(request.url).searchParams) params[key] = value;
  if (request.method === "GET" || request.method === "HEAD") return { ok: true, value: { params, files } };

  const contentType = request.headers.get("content-type") ?? "";
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length === 0) return { ok: true, value: { params, files } };

  if (/^application\/json/i.test(contentType)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return { ok: false, description: "Bad Request: can't parse JSON request body" };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return { ok: false, description: "Bad Request: JSON request body must be an object" };
    }
    Object.assign(params, parsed);
  } else if (/^multipart\/form-data/i.test(contentType)) {
    const content = parseMultipart(body, contentType);
    if (!content) return { ok: false, description: "Bad Request: can't parse multipart/form-data request body" };
    for (const [key, value] of content.fields) params[key] = value;
    for (const [key, file] of content.files) files.set(key, file);
  } else {
    // Telegram treats any other body as application/x-www-form-urlencoded.
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) params[key] = value;
  }
  return { ok: true, value: { params, files } };
}

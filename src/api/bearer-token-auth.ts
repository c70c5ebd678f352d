import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { apiError } from "./api-error.js";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * `Authorization: Bearer <ORDERGRAM_API_TOKEN>` on every request; anything else (no header,
 * another scheme, a malformed header, a wrong token) is 401 and the request goes no further.
 * Compared as digests in constant time, so neither the token's content nor its length leaks
 * through timing, and a token with any characters works.
 */
export function bearerTokenAuth(apiToken: string, tokenName = "ORDERGRAM_API_TOKEN"): MiddlewareHandler {
  const expected = digest(apiToken);
  return async (c, next) => {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
    if (match && timingSafeEqual(digest(match[1]!), expected)) return next();
    c.header("WWW-Authenticate", 'Bearer realm="ordergram"');
    return c.json(
      match
        ? apiError("UNAUTHORIZED", `The token is wrong (${tokenName}).`)
        : apiError("UNAUTHORIZED", `Send Authorization: Bearer <${tokenName}>.`),
      401,
    );
  };
}

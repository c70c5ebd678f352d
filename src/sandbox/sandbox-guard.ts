import type { MiddlewareHandler } from "hono";

const loopbackAddress = (address: string | undefined): boolean =>
  address !== undefined && (address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127."));

const loopbackHost = (host: string | undefined): boolean => {
  if (!host) return false;
  const name = host
    .replace(/:\d+$/, "")
    .replace(/^\[(.*)\]$/, "$1")
    .toLowerCase();
  return name === "localhost" || name === "::1" || /^127(\.\d{1,3}){3}$/.test(name);
};

/**
 * The sandbox has no login: whoever reaches it acts as customers and managers and moves the clock.
 * So by default it answers only this machine: a loopback peer address, and a loopback Host header
 * (a web page elsewhere that re-points its own name at 127.0.0.1, DNS rebinding, still sends its
 * own name). Requests that change something must be JSON, which a foreign page cannot send
 * without a CORS preflight that the sandbox never grants.
 */
export function sandboxGuard(options: { allowRemote: boolean }): MiddlewareHandler {
  return async (c, next) => {
    if (!options.allowRemote) {
      const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
      if (!loopbackAddress(env?.incoming?.socket?.remoteAddress) || !loopbackHost(c.req.header("host"))) {
        return c.json(
          {
            error: {
              code: "FORBIDDEN",
              message: "The sandbox answers only on this machine (set ORDERGRAM_SANDBOX_ALLOW_REMOTE=true to allow others).",
            },
          },
          403,
        );
      }
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && !(c.req.header("content-type") ?? "").startsWith("application/json")) {
      return c.json({ error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Send JSON (Content-Type: application/json)." } }, 415);
    }
    await next();
  };
}

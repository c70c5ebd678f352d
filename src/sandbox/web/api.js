// Talking to the server: the sandbox control API (/sandbox), the shop API (/api/v1, with the
// sandbox's token, exactly as a shop system calls it) and the live event stream.

import { toast } from "./dom.js";

let apiToken = "";

export function setApiToken(token) {
  apiToken = token;
}

/**
 * @param {string} url
 * @param {{ method?: string, body?: unknown, headers?: Record<string, string> }} [options]
 */
async function call(url, { method = "GET", body, headers = {} } = {}) {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { raw: text };
  }
  return { ok: response.ok, status: response.status, body: json };
}

/** The sandbox control API; shows a toast and throws on an error answer. */
export async function sandbox(path, options = {}) {
  const result = await call(`/sandbox${path}`, options);
  if (!result.ok) {
    const message = result.body?.error?.message ?? `HTTP ${result.status}`;
    toast(message, "error");
    throw new Error(message);
  }
  return result.body;
}

/** The real shop API; returns status and body (the desk shows errors as the shop would get them). */
export function shopApi(path, options = {}) {
  return call(`/api/v1${path}`, { ...options, headers: { authorization: `Bearer ${apiToken}` } });
}

/** An image from the shop API (with the token, as a shop system fetches it), as an object URL for an <img>. */
export async function shopApiImage(path) {
  const response = await fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${apiToken}` } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return URL.createObjectURL(await response.blob());
}

/**
 * Listens to the sandbox's server-sent events. `onHello` runs on every (re)connect: the page then
 * reloads its state, so nothing is missed while the connection was down.
 */
export function connectEvents(handlers, onStatus) {
  const source = new EventSource("/sandbox/events");
  source.addEventListener("open", () => onStatus("loading"));
  source.addEventListener("error", () => onStatus(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting"));
  for (const [name, handler] of Object.entries(handlers)) {
    source.addEventListener(name, (event) => handler(JSON.parse(event.data)));
  }
  return source;
}

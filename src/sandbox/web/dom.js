// Small DOM and formatting helpers shared by the panes. Plain ES modules: the browser loads them
// as they are, there is no build step.

/**
 * Creates an element: h("button", { class: "x", onclick: fn }, "text", child).
 * Attributes starting with "on" become listeners; `dataset` sets data-*; null/false are skipped.
 * Children are nodes or strings (strings become text, never HTML).
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name === "value") element.value = value;
    else if (name === "checked") element.checked = Boolean(value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

let timeZone = "UTC";

export function setShopTimeZone(zone) {
  timeZone = zone;
}

/** "Tue 24 Nov, 10:05" in the shop's time zone. */
export function formatDateTime(date) {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

/** "10:05" in the shop's time zone. */
export function formatTime(date) {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(date);
}

/** "2 d 3 h" for an offset in milliseconds. */
export function formatOffset(ms) {
  const minutes = Math.round(ms / 60000);
  if (minutes <= 0) return "real time";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return `${[days ? `${days} d` : "", hours ? `${hours} h` : "", rest ? `${rest} min` : ""].filter(Boolean).join(" ")} ahead`;
}

/** The page's element with this id; the page's HTML has it, so a missing one is a bug. */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The sandbox page has no #${id}`);
  return element;
}

/** A short message at the bottom of the page; `kind` is "info", "alert" or "error". */
export function toast(text, kind = "info") {
  const box = byId("toasts");
  const item = h("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" }, text);
  box.append(item);
  setTimeout(() => item.remove(), kind === "info" ? 4000 : 8000);
}

/** Calls fn at most once per animation frame, with the latest arguments. */
export function batched(fn) {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      fn();
    });
  };
}

/**
 * Calls fn once `ms` after the last call.
 * @param {() => unknown} fn
 * @param {number} ms
 */
export function debounced(fn, ms) {
  let timer;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

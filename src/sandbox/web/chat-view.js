// Drawing a Telegram chat: bubbles with formatted text (HTML made safe by the server from the
// message's entities), photos, inline keyboards that can be tapped, service lines.

import { formatTime, h } from "./dom.js";

/** Every chat the page has seen, by the stand-in's chat key; messages by id (edits replace). */
export class ChatStore {
  constructor() {
    this.chats = new Map();
    this.listeners = new Set();
    /** Event logs of the loads in flight. */
    this.inFlight = new Set();
  }

  chat(key) {
    let chat = this.chats.get(key);
    if (!chat) {
      chat = new Map();
      this.chats.set(key, chat);
    }
    return chat;
  }

  /**
   * Replaces a chat's messages with a fresh load: `fetchChat` resolves to { key, views }. Events
   * that arrive while the load is in flight are replayed over it, because the server may have
   * taken its snapshot before them (a manager's card sent just after its topic opened).
   */
  async load(fetchChat) {
    const during = [];
    this.inFlight.add(during);
    try {
      const { key, views } = await fetchChat();
      const chat = this.chat(key);
      chat.clear();
      for (const view of views) chat.set(view.id, view);
      for (const [change, view] of during) if (view.chatKey === key) applyTo(chat, change, view);
      this.notify(key);
    } finally {
      this.inFlight.delete(during);
    }
  }

  apply(change, view) {
    for (const during of this.inFlight) during.push([change, view]);
    applyTo(this.chat(view.chatKey), change, view);
    this.notify(view.chatKey);
  }

  messages(key) {
    return [...this.chat(key).values()].sort((a, b) => a.id - b.id);
  }

  onChange(listener) {
    this.listeners.add(listener);
  }

  notify(key) {
    for (const listener of this.listeners) listener(key);
  }
}

function applyTo(chat, change, view) {
  if (change === "deleted") chat.delete(view.id);
  else chat.set(view.id, view);
}

/**
 * Renders messages into `list`, keeping the view pinned to the bottom when it was there.
 * options: side(view) -> "in" | "out"; showSender(view) -> bool; onTap(view, button);
 * onLink(url, event) -> true when the page handled the link itself.
 */
export function renderMessages(list, views, options) {
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
  const nodes = views.map((view) => messageNode(view, options));
  if (nodes.length === 0) nodes.push(h("p", { class: "empty" }, options.emptyText ?? "No messages yet."));
  list.replaceChildren(...nodes);
  if (!atBottom) return;
  list.scrollTop = list.scrollHeight;
  // A photo gets its height when it has loaded: stay at the bottom then too.
  for (const image of list.querySelectorAll("img")) {
    if (!image.complete) image.addEventListener("load", () => (list.scrollTop = list.scrollHeight), { once: true });
  }
}

function messageNode(view, options) {
  if (view.from.kind === "service") {
    return h("div", { class: "msg msg-service", dataset: { messageId: view.id } }, h("span", {}, view.note ?? ""));
  }
  const side = options.side(view);
  const text = h("div", { class: "text" });
  // Safe: the server built this HTML from the message's entities and escaped all text.
  text.innerHTML = view.html;
  text.addEventListener("click", (event) => {
    const anchor = event.target instanceof Element ? event.target.closest("a") : null;
    if (anchor && options.onLink?.(anchor.href, event)) event.preventDefault();
  });
  const bubble = h(
    "div",
    { class: "bubble" },
    options.showSender(view) ? h("div", { class: "sender" }, view.from.name) : null,
    view.replyTo ? h("div", { class: "reply-to" }, view.replyTo.snippet) : null,
    view.photo
      ? h("img", { class: "photo", src: view.photo.url, alt: "photo", width: Math.min(view.photo.width, 260), loading: "lazy" })
      : null,
    view.document
      ? h("a", { class: "document", href: view.document.url, target: "_blank", rel: "noopener" }, `📄 ${view.document.name}`)
      : null,
    view.note ? h("div", { class: "note" }, view.note) : null,
    view.html ? text : null,
    h("div", { class: "meta" }, view.edited ? "edited " : "", formatTime(new Date(view.date * 1000))),
  );
  const keyboard =
    view.buttons.length > 0
      ? h(
          "div",
          { class: "inline-keyboard" },
          view.buttons.map((row) =>
            h(
              "div",
              { class: "row" },
              row.map((button) => inlineButton(view, button, options)),
            ),
          ),
        )
      : null;
  return h("div", { class: `msg msg-${side}`, dataset: { messageId: view.id } }, bubble, keyboard);
}

function inlineButton(view, button, options) {
  if (button.kind === "url") {
    return h(
      "a",
      {
        class: "key",
        href: button.url,
        target: "_blank",
        rel: "noopener noreferrer",
        onclick: (event) => {
          if (options.onLink?.(button.url, event)) event.preventDefault();
        },
      },
      `${button.text} ↗`,
    );
  }
  return h(
    "button",
    {
      class: "key",
      type: "button",
      disabled: button.kind !== "callback",
      onclick: async (event) => {
        const element = event.currentTarget;
        element.classList.add("pressed");
        try {
          await options.onTap(view, button);
        } finally {
          element.classList.remove("pressed");
        }
      },
    },
    button.text,
  );
}

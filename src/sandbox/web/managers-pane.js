// The managers' pane: the shop's forum supergroup, one topic per customer who needed a person.
// The user acts as a manager: taps the card's buttons (Take, Hand back, Close...), writes to the
// customer, and leaves internal notes the customer never sees.

import { sandbox } from "./api.js";
import { renderMessages } from "./chat-view.js";
import { batched, fill, h, toast } from "./dom.js";
import { drawnPhoto } from "./photo.js";

export function managersPane(root, app) {
  const group = app.state.managersGroup;
  const chatKey = `chat:${group.id}`;
  let managerId = app.state.managers[0]?.id ?? null;
  let topics = [];
  /** null: the General topic. */
  let threadId = null;
  const seen = new Map();

  const managerSelect = h("select", {
    "aria-label": "Acting as manager",
    onchange: () => ((managerId = Number(managerSelect.value)), render()),
  });
  const topicList = h("nav", { class: "topics", "aria-label": "Topics" });
  const topicTitle = h("div", { class: "chat-title" });
  const messages = h("div", { class: "messages chat-bg", role: "log", "aria-label": "Managers' group chat" });
  const note = h("input", { type: "checkbox", "aria-label": "Internal note" });
  const input = h("input", { type: "text", placeholder: "Write to the customer", "aria-label": "Manager's message", autocomplete: "off" });
  note.addEventListener("change", () => {
    input.placeholder = note.checked ? "Internal note (staff only)" : "Write to the customer";
  });

  fill(
    root,
    h(
      "div",
      { class: "pane-head" },
      h("h2", { id: "managers-title" }, "Managers' group"),
      h("div", { class: "toolbar" }, h("label", { class: "inline" }, "Acting as ", managerSelect)),
    ),
    h(
      "div",
      { class: "forum" },
      topicList,
      h(
        "div",
        { class: "topic-chat" },
        topicTitle,
        messages,
        h(
          "form",
          { class: "composer", onsubmit: (event) => (event.preventDefault(), send()) },
          h(
            "button",
            { type: "button", class: "icon", title: "Send a drawn photo", "aria-label": "Send a photo", onclick: () => sendPhoto() },
            "🖼",
          ),
          input,
          h("label", { class: "inline small", title: "Sent as /note: stays in the group and on the order card" }, note, " note"),
          h("button", { type: "submit" }, "Send"),
        ),
      ),
    ),
  );

  const inTopic = (view) => (view.threadId ?? null) === threadId;

  const render = batched(() => {
    fill(
      managerSelect,
      app.state.managers.map((m) => h("option", { value: m.id, selected: m.id === managerId }, m.firstName)),
    );
    const all = app.store.messages(chatKey);
    const newest = new Map();
    for (const view of all) newest.set(view.threadId ?? null, view.id);
    seen.set(threadId, newest.get(threadId) ?? 0);
    const entries = [{ message_thread_id: null, name: "General", closed: false }, ...topics];
    fill(
      topicList,
      entries.map((topic) => {
        const id = topic.message_thread_id;
        const unread = (newest.get(id) ?? 0) > (seen.get(id) ?? 0);
        return h(
          "button",
          {
            type: "button",
            class: `topic${id === threadId ? " selected" : ""}`,
            "aria-current": id === threadId ? "true" : null,
            onclick: () => select(id),
          },
          h("span", { class: "topic-name" }, id === null ? "# General" : `💬 ${topic.name}`),
          topic.closed ? h("span", { class: "badge" }, "closed") : null,
          unread ? h("span", { class: "dot", title: "new messages" }) : null,
        );
      }),
    );
    const current = entries.find((topic) => topic.message_thread_id === threadId);
    fill(
      topicTitle,
      h("span", { class: "avatar" }, "👥"),
      h("div", {}, h("strong", {}, current?.name ?? "General"), h("div", { class: "muted small" }, group.title)),
    );
    renderMessages(messages, all.filter(inTopic), {
      side: (view) => (view.from.kind === "user" && view.from.id === managerId ? "out" : "in"),
      showSender: (view) => !(view.from.kind === "user" && view.from.id === managerId),
      onTap: tap,
      emptyText: threadId === null ? "Chats that need a person open a topic here." : "No messages in this topic.",
    });
  });
  app.store.onChange((key) => key === chatKey && render());

  function select(id) {
    threadId = id;
    render();
  }

  async function reload() {
    await app.store.load(async () => {
      const loaded = await sandbox("/managers-group");
      const before = new Set(topics.map((topic) => topic.message_thread_id));
      topics = loaded.topics;
      // A topic that just opened is where the action is: show it, unless the user is reading another.
      const opened = topics.filter((topic) => !before.has(topic.message_thread_id)).at(-1);
      if (opened && threadId === null) threadId = opened.message_thread_id;
      return { key: chatKey, views: loaded.messages };
    });
  }

  const path = (action) => `/managers/${managerId}/${action}?wait=0`;

  async function tap(view, button) {
    const { answer } = await sandbox(path("tap"), { method: "POST", body: { button: button.text, messageId: view.id } });
    if (answer?.text) toast(answer.text, answer.showAlert ? "alert" : "info");
  }

  async function send() {
    const text = input.value.trim();
    if (!text || managerId === null) return;
    input.value = "";
    const body = { text: note.checked ? `/note ${text}` : text, ...(threadId !== null ? { threadId } : {}) };
    await sandbox(path("messages"), { method: "POST", body }).catch(() => (input.value = text));
  }

  async function sendPhoto() {
    const photo = await drawnPhoto();
    const caption = input.value.trim();
    input.value = "";
    await sandbox(path("photo"), {
      method: "POST",
      body: { photo, ...(caption ? { caption } : {}), ...(threadId !== null ? { threadId } : {}) },
    });
  }

  return { reload, onTopics: () => reload().then(render) };
}

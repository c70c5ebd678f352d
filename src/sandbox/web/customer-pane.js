// The customer's pane: a private chat with the shop's bot, as a simulated customer sees it in
// Telegram. Several customers can be simulated; each has the language their Telegram reports.

import { sandbox } from "./api.js";
import { renderMessages } from "./chat-view.js";
import { batched, fill, h, toast } from "./dom.js";
import { drawnPhoto, pickedPhoto } from "./photo.js";

/** The shop's languages, one it does not offer (to see the fallback), and none at all. */
function languageChoices(shopLanguages) {
  const names = new Intl.DisplayNames(["en"], { type: "language" });
  const codes = [...shopLanguages, ...["de", "fr", "es"].filter((code) => !shopLanguages.includes(code)).slice(0, 1)];
  return [
    ...codes.map((code) => [code, `${names.of(code) ?? code}${shopLanguages.includes(code) ? "" : " (not offered)"}`]),
    ["", "(none)"],
  ];
}

export function customerPane(root, app) {
  let customerId = app.state.customers[0]?.id ?? null;
  const languages = languageChoices(app.state.shop.languages);
  const keyboards = new Map();
  const chatKey = () => `private:${app.state.bot.id}:${customerId}`;
  const customer = () => app.state.customers.find((c) => c.id === customerId);

  const select = h("select", { "aria-label": "Simulated customer", onchange: () => switchTo(Number(select.value)) });
  const language = h("select", { "aria-label": "Telegram language", onchange: () => setLanguage(language.value) });
  const messages = h("div", { class: "messages chat-bg", role: "log", "aria-label": "Customer chat" });
  const replyKeyboard = h("div", { class: "reply-keyboard", hidden: true });
  const input = h("input", { type: "text", placeholder: "Message", "aria-label": "Message to the bot", autocomplete: "off" });
  const attachMenu = h(
    "div",
    { class: "attach-menu", hidden: true, role: "menu" },
    h("button", { type: "button", role: "menuitem", onclick: () => sendPhoto(drawnPhoto) }, "🖼 Send a drawn photo"),
    h("button", { type: "button", role: "menuitem", onclick: () => sendPhoto(pickedPhoto) }, "📁 Send a photo file…"),
    h("button", { type: "button", role: "menuitem", onclick: () => shareContact() }, "📇 Share my phone number"),
  );
  const addForm = addCustomerForm();

  fill(
    root,
    h(
      "div",
      { class: "pane-head" },
      h("h2", { id: "customer-title" }, "Customer"),
      h(
        "div",
        { class: "toolbar" },
        select,
        h("label", { class: "inline" }, "Telegram language ", language),
        h("button", { type: "button", onclick: () => (addForm.hidden = !addForm.hidden) }, "+ Customer"),
      ),
    ),
    addForm,
    h(
      "div",
      { class: "chat-title" },
      h("span", { class: "avatar" }, "🛍"),
      h("div", {}, h("strong", {}, app.state.shop.name), h("div", { class: "muted small" }, `@${app.state.bot.username} · bot`)),
    ),
    messages,
    replyKeyboard,
    h(
      "form",
      { class: "composer", onsubmit: (event) => (event.preventDefault(), sendText()) },
      h(
        "button",
        { type: "button", class: "icon", title: "Attach", "aria-label": "Attach", onclick: () => (attachMenu.hidden = !attachMenu.hidden) },
        "📎",
      ),
      attachMenu,
      input,
      h("button", { type: "submit" }, "Send"),
    ),
  );

  const render = batched(() => {
    renderMessages(messages, app.store.messages(chatKey()), {
      side: (view) => (view.from.kind === "bot" ? "in" : "out"),
      showSender: () => false,
      onTap: tap,
      onLink: openLink,
      emptyText: "No messages yet. Create an order on the shop desk, or write to the bot.",
    });
    renderReplyKeyboard();
  });
  app.store.onChange((key) => key === chatKey() && render());

  function renderCustomers() {
    fill(
      select,
      app.state.customers.map((c) => h("option", { value: c.id, selected: c.id === customerId }, `${c.firstName} (${c.id})`)),
    );
    fill(
      language,
      languages.map(([code, name]) => h("option", { value: code, selected: (customer()?.languageCode ?? "") === code }, name)),
    );
  }

  function renderReplyKeyboard() {
    const keyboard = keyboards.get(chatKey());
    replyKeyboard.hidden = !keyboard;
    if (!keyboard) return replyKeyboard.replaceChildren();
    fill(
      replyKeyboard,
      keyboard.rows.map((row) =>
        h(
          "div",
          { class: "row" },
          row.map((button) => h("button", { type: "button", class: "key", onclick: () => pressReplyButton(button) }, button.text)),
        ),
      ),
    );
    if (keyboard.placeholder) input.placeholder = keyboard.placeholder;
  }

  async function reload() {
    if (customerId === null) return;
    await app.store.load(async () => {
      const chat = await sandbox(`/customers/${customerId}/chat`);
      keyboards.set(chat.chatKey, chat.keyboard);
      return { key: chat.chatKey, views: chat.messages };
    });
  }

  async function switchTo(id) {
    customerId = id;
    app.selectedCustomer = id;
    renderCustomers();
    await reload();
    app.emit("customer-changed", id);
  }

  const path = (action) => `/customers/${customerId}/${action}?wait=0`;

  async function sendText(text = input.value.trim()) {
    if (!text || customerId === null) return;
    input.value = "";
    await sandbox(path("messages"), { method: "POST", body: { text } }).catch(() => (input.value = text));
  }

  async function tap(view, button) {
    const { answer } = await sandbox(path("tap"), { method: "POST", body: { button: button.text, messageId: view.id } });
    if (answer?.text) toast(answer.text, answer.showAlert ? "alert" : "info");
  }

  async function pressReplyButton(button) {
    if (button.requestContact) {
      const who = customer();
      if (!window.confirm(`Share ${who?.firstName ?? "the customer"}'s phone number ${who?.phone ?? ""} with the bot?`)) return;
    }
    await sandbox(path("reply-button"), { method: "POST", body: { text: button.text } });
  }

  async function shareContact() {
    attachMenu.hidden = true;
    await sandbox(path("contact"), { method: "POST", body: {} });
  }

  async function sendPhoto(source) {
    attachMenu.hidden = true;
    const photo = await source();
    if (!photo) return;
    const caption = input.value.trim();
    input.value = "";
    await sandbox(path("photo"), { method: "POST", body: { photo, ...(caption ? { caption } : {}) } });
  }

  async function setLanguage(code) {
    const result = await sandbox(`/customers/${customerId}/language`, { method: "POST", body: { languageCode: code || null } });
    const who = customer();
    if (who) who.languageCode = result.languageCode;
    toast(`${who?.firstName}'s Telegram now reports ${code || "no language"}.`);
  }

  /** The bot's own start links open the bot as this customer, as tapping them in Telegram would. */
  function openLink(url) {
    const match = /^https:\/\/t\.me\/([A-Za-z0-9_]+)\?start=([A-Za-z0-9_-]+)$/.exec(url);
    if (!match || match[1] !== app.state.bot.username) return false;
    void sendText(`/start ${match[2]}`);
    return true;
  }

  function addCustomerForm() {
    const name = h("input", { type: "text", required: true, placeholder: "First name", "aria-label": "First name", maxlength: 64 });
    const lang = h(
      "select",
      { "aria-label": "Language" },
      languages.slice(0, -1).map(([code, label]) => h("option", { value: code }, label)),
    );
    const phone = h("input", { type: "tel", placeholder: "+49 170 0000000", "aria-label": "Phone" });
    const started = h("input", { type: "checkbox", checked: true });
    const form = h(
      "form",
      {
        class: "add-customer",
        hidden: true,
        onsubmit: async (event) => {
          event.preventDefault();
          const created = await sandbox("/customers", {
            method: "POST",
            body: {
              firstName: name.value.trim(),
              languageCode: lang.value,
              ...(phone.value.trim() ? { phone: phone.value.trim() } : {}),
              startBot: started.checked,
            },
          });
          form.hidden = true;
          name.value = "";
          phone.value = "";
          await app.reloadState();
          await switchTo(created.id);
        },
      },
      name,
      lang,
      phone,
      h("label", { class: "inline" }, started, " has opened the bot"),
      h("button", { type: "submit" }, "Add"),
    );
    return form;
  }

  renderCustomers();
  return {
    reload: async () => {
      if (!app.state.customers.some((c) => c.id === customerId)) customerId = app.state.customers[0]?.id ?? null;
      renderCustomers();
      await reload();
    },
    onKeyboard: (event) => {
      keyboards.set(event.chatKey, event.keyboard);
      if (event.chatKey === chatKey()) renderReplyKeyboard();
    },
    customers: renderCustomers,
    sendText,
    currentCustomer: () => customerId,
  };
}

// The sandbox page: three panes over one live event stream. On every (re)connect the page loads
// the whole state again, then applies events as they come: no reloads, nothing missed.

import { connectEvents, sandbox, setApiToken } from "./api.js";
import { ChatStore } from "./chat-view.js";
import { customerPane } from "./customer-pane.js";
import { deskPane } from "./desk-pane.js";
import { byId, formatDateTime, formatOffset, setShopTimeZone } from "./dom.js";
import { managersPane } from "./managers-pane.js";

const connection = byId("connection");
const setStatus = (state) => {
  connection.dataset.state = state;
  connection.textContent = state;
};

function showClock(clock) {
  byId("clock-now").textContent = formatDateTime(new Date(clock.now));
  byId("clock-offset").textContent = `(${formatOffset(clock.offsetMs)})`;
}

async function main() {
  const state = await sandbox("/state");
  setApiToken(state.apiToken);
  setShopTimeZone(state.shop.timeZone);
  byId("shop-name").textContent = `· ${state.shop.name} · ${state.shop.timeZone}`;
  document.title = `ordergram sandbox · ${state.shop.name}`;

  const listeners = new Map();
  const app = {
    state,
    store: new ChatStore(),
    selectedCustomer: state.customers[0]?.id ?? null,
    clockOffsetMs: state.clock.offsetMs,
    setClock(clock) {
      app.clockOffsetMs = clock.offsetMs;
      showClock(clock);
    },
    async reloadState() {
      const fresh = await sandbox("/state");
      Object.assign(app.state, fresh);
      app.setClock(fresh.clock);
    },
    on(name, listener) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
    },
    emit(name, value) {
      for (const listener of listeners.get(name) ?? []) listener(value);
    },
    /** The desk hands a start link to the customer pane, as a shop's thank-you page would. */
    openStartLink(link, customerId) {
      const token = new URL(link).searchParams.get("start");
      if (customerId === customer.currentCustomer() && token) void customer.sendText(`/start ${token}`);
    },
  };

  const customer = customerPane(document.querySelector('[data-pane="customer"]'), app);
  const managers = managersPane(document.querySelector('[data-pane="managers"]'), app);
  const desk = deskPane(document.querySelector('[data-pane="desk"]'), app);
  app.on("customer-changed", () => desk.onCustomerChanged());

  // The clock runs in real time between skips: tick the header on the shown offset.
  app.setClock(state.clock);
  setInterval(() => showClock({ now: new Date(Date.now() + app.clockOffsetMs).toISOString(), offsetMs: app.clockOffsetMs }), 1000);

  const reloadAll = async () => {
    await app.reloadState();
    await Promise.all([customer.reload(), managers.reload(), desk.reload()]);
    setStatus("live");
  };

  connectEvents(
    {
      hello: () => void reloadAll().catch(() => setStatus("error")),
      message: (event) => {
        app.store.apply(event.change, event.view);
        desk.onActivity();
      },
      keyboard: (event) => customer.onKeyboard(event),
      topics: () => void managers.onTopics(),
      webhook: (event) => desk.onWebhook(event.webhook),
      clock: (event) => app.setClock(event),
      customers: () => void app.reloadState().then(() => customer.customers()),
    },
    setStatus,
  );
}

main().catch((error) => {
  setStatus("error");
  document
    .querySelector("main")
    ?.prepend(
      Object.assign(document.createElement("p"), { className: "error", textContent: `The sandbox page could not start: ${error.message}` }),
    );
});

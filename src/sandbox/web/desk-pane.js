// The shop desk: what the shop's system does, through the real API (/api/v1, with the sandbox's
// token): create orders, report stock and parcel statuses; the webhooks it receives back; and
// the sandbox clock, to see reminders and follow-ups without waiting for them.

import { sandbox, shopApi, shopApiImage } from "./api.js";
import { debounced, fill, formatDateTime, h, toast } from "./dom.js";

const hour = 3_600_000;

export function deskPane(root, app) {
  let examples = [];
  let orders = [];
  let webhooks = [];
  let selectedOrder = null;

  // -- Clock
  const clockResult = h("p", { class: "muted small", "aria-live": "polite" });
  const upcoming = h("ul", { class: "upcoming", "aria-label": "Coming up" });
  const clockButtons = h(
    "div",
    { class: "button-row" },
    h("button", { type: "button", onclick: () => moveClock({ advanceMs: hour }) }, "+1 hour"),
    h("button", { type: "button", onclick: () => moveClock({ advanceMs: 24 * hour }) }, "+1 day"),
    h("button", { type: "button", class: "primary", onclick: () => moveClock({ next: true }) }, "⏭ Next scheduled"),
  );

  // -- New order
  const exampleSelect = h("select", { "aria-label": "Example order", onchange: () => useExample(exampleSelect.value) });
  const exampleText = h("p", { class: "muted small" });
  const orderJson = h("textarea", { rows: 12, spellcheck: "false", "aria-label": "Order JSON" });
  const orderResult = h("div", { class: "result", "aria-live": "polite" });

  // -- Orders and statuses
  const orderTable = h("tbody");
  const statusSelect = h(
    "select",
    { "aria-label": "Delivery status" },
    app.state.deliveryStatuses.map((s) => h("option", { value: s }, s.replaceAll("_", " "))),
  );
  const tracking = h("input", { type: "text", placeholder: "Tracking number (optional)", "aria-label": "Tracking number" });
  const expected = h("input", { type: "date", "aria-label": "Expected date" });
  // With delivery_failed: why (the customer reads it and is offered the ways out that fit).
  const failureReason = h("select", { "aria-label": "Failure reason" }, [
    h("option", { value: "" }, "no failure reason"),
    ...(app.state.deliveryFailureReasons ?? []).map((r) => h("option", { value: r }, r.replaceAll("_", " "))),
  ]);
  const statusFor = h("span", { class: "muted small" }, "Pick an order above.");

  // -- Stock
  const sku = h("input", { type: "text", placeholder: "SKU, e.g. CUP-7", "aria-label": "SKU", required: true });
  const available = h("input", { type: "number", min: 0, value: "0", "aria-label": "Available", required: true });

  // -- Reach (GET /api/v1/stats/reach)
  const reachChart = h("div", { class: "reach-chart", role: "img", "aria-label": "Reach of the last 30 days" });
  const reachMedians = h("p", { class: "muted small" });

  // -- Webhooks
  const webhookList = h("ul", { class: "webhooks", "aria-label": "Webhooks received" });
  const webhookInfo = h("p", { class: "muted small" });

  fill(
    root,
    h("div", { class: "pane-head" }, h("h2", { id: "desk-title" }, "Shop desk")),
    h(
      "div",
      { class: "desk" },
      section("Sandbox clock", clockButtons, clockResult, h("h4", {}, "Coming up"), upcoming),
      section(
        "New order",
        h("div", { class: "toolbar" }, exampleSelect),
        exampleText,
        orderJson,
        h(
          "div",
          { class: "button-row" },
          h("button", { type: "button", class: "primary", onclick: () => createOrder() }, "Create order"),
          h("span", { class: "muted small" }, "POST /api/v1/orders"),
        ),
        orderResult,
      ),
      section(
        "Orders",
        h(
          "table",
          { class: "orders" },
          h(
            "thead",
            {},
            h("tr", {}, h("th", {}, "Order"), h("th", {}, "Customer"), h("th", {}, "State"), h("th", {}, "Chat"), h("th", {}, "Parcel")),
          ),
          orderTable,
        ),
        h(
          "form",
          { class: "status-form", onsubmit: (event) => (event.preventDefault(), pushStatus()) },
          statusFor,
          statusSelect,
          tracking,
          expected,
          failureReason,
          h("button", { type: "submit" }, "Send status"),
        ),
      ),
      section(
        "Stock",
        h(
          "form",
          { class: "stock-form", onsubmit: (event) => (event.preventDefault(), setStock()) },
          sku,
          available,
          h("button", { type: "submit" }, "Set stock"),
          h("span", { class: "muted small" }, "PUT /api/v1/stock"),
        ),
      ),
      section("Reach, last 30 days", reachChart, reachMedians, h("p", { class: "muted small" }, "GET /api/v1/stats/reach")),
      section("Webhooks to the shop", webhookInfo, webhookList),
    ),
  );

  function section(title, ...children) {
    return h("details", { class: "desk-section", open: true }, h("summary", {}, h("h3", {}, title)), ...children);
  }

  // ---- clock

  async function moveClock(move) {
    const result = await sandbox("/clock", { method: "POST", body: move });
    clockResult.textContent =
      result.type === "nothing-scheduled"
        ? "Nothing is scheduled: the clock stays where it is."
        : `${result.reason} → ${formatDateTime(new Date(result.now))}`;
    app.setClock(result);
    refreshSchedule();
  }

  async function loadSchedule() {
    const schedule = await sandbox("/schedule");
    const items = [
      ...schedule.jobs.map((job) => ({ at: job.dueAt, text: `${job.kind}${job.externalId ? ` · ${job.externalId}` : ""}` })),
      ...schedule.held.map((message) => ({
        at: message.dueAt,
        text: `${message.channel}: ${message.what}${message.externalId ? ` · ${message.externalId}` : ""} (waiting)`,
      })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    fill(
      upcoming,
      items.length
        ? items.slice(0, 12).map((item) => h("li", {}, h("time", { datetime: item.at }, formatDateTime(new Date(item.at))), " ", item.text))
        : h("li", { class: "muted" }, "Nothing scheduled."),
    );
    orders = schedule.orders;
    renderOrders();
    await loadReach();
  }

  /** How many orders reached each step: one bar per step, as wide as its share of the orders created. */
  async function loadReach() {
    const response = await shopApi("/stats/reach");
    if (!response.ok) return;
    const stats = response.body;
    const steps = [
      ["Created", stats.created],
      ["Linked", stats.linked],
      ["Read back", stats.readBack],
      ["Confirmed", stats.confirmed],
    ];
    fill(
      reachChart,
      steps.map(([label, count]) => {
        const bar = h("span", { class: "reach-bar" });
        // Through the CSSOM: the page's CSP allows no inline style attributes.
        bar.style.width = `${stats.created ? Math.round((count / stats.created) * 100) : 0}%`;
        return h(
          "div",
          { class: "reach-row", dataset: { step: label } },
          h("span", { class: "reach-label" }, label),
          bar,
          h("span", { class: "reach-count" }, String(count)),
        );
      }),
    );
    const ways = Object.entries(stats.linkedBy)
      .filter(([, n]) => n > 0)
      .map(([way, n]) => `${way.replaceAll("_", " ")} ${n}`);
    const minutes = (value) => (value === null ? "–" : `${value} min`);
    reachMedians.textContent =
      `Median to read-back ${minutes(stats.medianMinutesToReadBack)}, to confirmation ` +
      `${minutes(stats.medianMinutesToConfirmation)}${ways.length ? ` · linked by ${ways.join(", ")}` : ""}.`;
  }
  const refreshSchedule = debounced(() => loadSchedule().catch(() => undefined), 250);
  // Jobs are planned and run in the background without a chat message to announce them: look
  // again every few seconds too.
  setInterval(() => document.visibilityState === "visible" && refreshSchedule(), 3000);

  // ---- orders

  async function loadExamples() {
    const result = await sandbox(`/examples?customerId=${app.selectedCustomer ?? ""}`);
    examples = result.examples;
    const current = exampleSelect.value || examples[0]?.id;
    fill(
      exampleSelect,
      examples.map((example) => h("option", { value: example.id, selected: example.id === current }, example.title)),
    );
    if (current) useExample(current);
  }

  function useExample(id) {
    const example = examples.find((candidate) => candidate.id === id);
    if (!example) return;
    exampleText.textContent = example.description;
    const externalId = `DEMO-${Date.now().toString(36).toUpperCase().slice(-6)}`;
    orderJson.value = JSON.stringify({ externalId, ...example.payload }, null, 2);
  }

  async function createOrder() {
    let payload;
    try {
      payload = JSON.parse(orderJson.value);
    } catch (error) {
      fill(orderResult, h("p", { class: "error" }, `Not valid JSON: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    const response = await shopApi("/orders", { method: "POST", body: payload });
    if (!response.ok) {
      fill(
        orderResult,
        h("p", { class: "error" }, `${response.status}: ${response.body?.error?.message ?? "refused"}`),
        ...(response.body?.error?.problems ?? []).map((problem) => h("p", { class: "error small" }, `${problem.path}: ${problem.message}`)),
      );
      return;
    }
    const order = response.body;
    selectedOrder = order.id;
    const customerId = app.selectedCustomer;
    fill(
      orderResult,
      h(
        "p",
        { class: "ok" },
        `${response.status === 201 ? "Created" : "Updated"} ${order.externalId}: ${order.state.replaceAll("_", " ")}, total ` +
          `${order.total} ${order.currency}.`,
      ),
      order.customer.telegramLinked
        ? h("p", { class: "muted small" }, "The bot writes to the customer first (within contact hours).")
        : order.startLink
          ? h(
              "p",
              { class: "small" },
              "Start link: ",
              h("code", {}, order.startLink),
              " ",
              h("button", { type: "button", onclick: () => app.openStartLink(order.startLink, customerId) }, "Open it as the customer"),
            )
          : null,
    );
    // The QR code the shop prints or sends (GET /orders/{id}/start-qr, the same one order.unreached carries).
    if (!order.customer.telegramLinked && order.startLink) {
      shopApiImage(`/orders/${encodeURIComponent(order.id)}/start-qr`)
        .then((url) =>
          orderResult.append(
            h(
              "p",
              { class: "small" },
              h("img", { class: "start-qr", src: url, alt: `QR code of ${order.startLink}`, width: 160, height: 160 }),
            ),
          ),
        )
        .catch((error) => toast(`QR code: ${error.message}`, "error"));
    }
    // A new externalId, so pressing Create again makes another order rather than a retry.
    useExample(exampleSelect.value);
    refreshSchedule();
  }

  function renderOrders() {
    fill(
      orderTable,
      orders.length
        ? orders.map((order) =>
            h(
              "tr",
              {
                class: order.id === selectedOrder ? "selected" : "",
                onclick: () => ((selectedOrder = order.id), renderOrders()),
                tabindex: 0,
              },
              h("td", {}, order.externalId),
              h("td", {}, order.customerName),
              h("td", {}, order.state.replaceAll("_", " ")),
              h("td", {}, (order.owner ?? "").replace(/^manager:\d+$/, "manager").replaceAll("_", " ")),
              h("td", {}, (order.deliveryStatus ?? "").replaceAll("_", " ")),
            ),
          )
        : h("tr", {}, h("td", { colspan: 5, class: "muted" }, "No orders yet.")),
    );
    const order = orders.find((candidate) => candidate.id === selectedOrder);
    statusFor.textContent = order ? `Status for ${order.externalId}:` : "Pick an order above.";
  }

  async function pushStatus() {
    const order = orders.find((candidate) => candidate.id === selectedOrder);
    if (!order) return toast("Pick an order first.", "error");
    const body = {
      status: statusSelect.value,
      ...(tracking.value.trim() ? { trackingNumber: tracking.value.trim() } : {}),
      ...(expected.value ? { expectedDate: expected.value } : {}),
      ...(statusSelect.value === "delivery_failed" && failureReason.value ? { failureReason: failureReason.value } : {}),
    };
    const response = await shopApi(`/orders/${order.id}/status`, { method: "POST", body });
    if (!response.ok) return toast(`${response.status}: ${response.body?.error?.message ?? "refused"}`, "error");
    toast(
      response.body.changed
        ? `${order.externalId}: ${body.status.replaceAll("_", " ")}${response.body.messaged ? ", the customer is told" : ""}.`
        : `${order.externalId} already had this status.`,
    );
    refreshSchedule();
  }

  async function setStock() {
    const response = await shopApi("/stock", {
      method: "PUT",
      body: { items: [{ sku: sku.value.trim(), available: Number(available.value) }] },
    });
    if (!response.ok) return toast(`${response.status}: ${response.body?.error?.message ?? "refused"}`, "error");
    const affected = response.body.openOrdersAffected.length;
    toast(`${sku.value.trim()}: ${available.value} in stock.${affected ? ` ${affected} open order(s) affected.` : ""}`);
  }

  // ---- webhooks

  function renderWebhooks() {
    const { url, capturedHere } = app.state.webhooks;
    webhookInfo.textContent = capturedHere
      ? "What your system would receive, with the signature check it should make (X-Ordergram-Signature, HMAC-SHA256)."
      : `Webhooks go to ${url} (ORDERGRAM_WEBHOOK_URL); unset it to see them here.`;
    fill(
      webhookList,
      webhooks.length
        ? [...webhooks].reverse().map((webhook) =>
            h(
              "li",
              {},
              h(
                "details",
                {},
                h(
                  "summary",
                  {},
                  h("time", {}, formatDateTime(new Date(webhook.receivedAt))),
                  " ",
                  h("strong", {}, webhook.event ?? "?"),
                  " ",
                  webhook.signatureValid
                    ? h("span", { class: "sig ok", title: "Signature valid" }, "✔ signed")
                    : h("span", { class: "sig bad", title: "Signature check failed" }, "✘ bad signature"),
                  Math.abs(webhook.skewSeconds ?? 0) > 300
                    ? h(
                        "span",
                        {
                          class: "sig bad",
                          title: "A shop refuses timestamps more than 5 minutes off; here the sandbox clock moved while it was on its way",
                        },
                        ` timestamp ${Math.round(webhook.skewSeconds / 60)} min off`,
                      )
                    : null,
                ),
                h("pre", { class: "json" }, JSON.stringify(webhook.body, null, 2)),
              ),
            ),
          )
        : h("li", { class: "muted" }, "None yet."),
    );
  }

  return {
    async reload() {
      await Promise.all([
        loadSchedule(),
        loadExamples(),
        sandbox("/webhooks").then((result) => {
          webhooks = result.webhooks;
          renderWebhooks();
        }),
      ]);
    },
    onWebhook(webhook) {
      webhooks.push(webhook);
      renderWebhooks();
      refreshSchedule();
    },
    onActivity: refreshSchedule,
    onCustomerChanged: () => loadExamples(),
  };
}

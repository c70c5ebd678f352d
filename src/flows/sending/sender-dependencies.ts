import type { PresenterDependencies } from "../confirmation/order-dialog-presenter.js";

/** What the outbox's senders render and read with: the services (read models) and the translator. */
export type SenderDependencies = PresenterDependencies;

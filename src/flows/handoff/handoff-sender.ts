import { customerKinds } from "./intents/customer-intents.js";
import { relayEditKinds } from "./intents/relay-edit-intent.js";
import { topicKinds } from "./intents/topic-intents.js";

/**
 * What the handoff queued in the outbox, rendered from the state as it is now: into the
 * managers' group (the customer's topic, kept by managers-topic.ts), into the customer's chat,
 * and edits of relayed messages either way.
 */
export const handoffKinds = [...topicKinds, ...customerKinds, ...relayEditKinds];

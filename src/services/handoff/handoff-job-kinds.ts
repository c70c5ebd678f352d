/** The durable jobs of the handoff (src/scheduler), by kind. */
export const handoffJobKinds = {
  /** Nobody took the chat yet: ping the group again. */
  reping: "handoff.reping",
  /** Still nobody after the last re-ping: tell the customer honestly, tell the shop. */
  unanswered: "handoff.unanswered",
} as const;

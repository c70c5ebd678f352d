/** A manager acting in the managers' group, as Telegram names them. */
export interface Manager {
  id: bigint;
  /** First name (and last name): what the customer and the other managers see. */
  name: string;
}

// The application imports model types and Prisma helpers from here, never from src/generated.
// The SQLite client's `Prisma` namespace serves both databases: its values (JsonNull, DbNull,
// Decimal, the error classes) come from the one shared @prisma/client runtime.
export { Prisma } from "../generated/sqlite/client.js";
export type {
  Customer,
  Handoff,
  Job,
  Order,
  OrderDialog,
  OrderEvent,
  OrderItem,
  OutboxMessage,
  TelegramChat,
} from "../generated/sqlite/client.js";

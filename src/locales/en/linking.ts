export const linking = {
  unknownToken:
    "This link does not lead to an order (it may be mistyped). If you placed an order, tap /start and share your phone number: I will find it.",
  claimedByOther: "This order is already linked to another Telegram account. If it is yours, please contact {{shopName}}.",
  askContact: "To find your orders, please share the phone number you ordered with, using the button below.",
  /** A customer wrote an order number in the chat: the phone on it proves it is theirs. */
  orderNumberAskContact:
    "If order {{orderNumber}} is yours, share the phone number it was placed with (the button below) and I will show it to you.",
  shareContact: "📱 Share my phone number",
  notOwnContact: "Please share your own number with the button below, not someone else's contact.",
  invalidPhone: "That does not look like a phone number. Please use the button below.",
  noneFound:
    "I could not find open orders for {{phone}}. If you ordered with another number, tell the shop, or open the link from your order confirmation.",
  found: "Here is what I found for {{phone}}:",
  foundLine: "• Order {{orderNumber}}: {{total}}, {{items}}",
  confirmWhich: "Are these orders yours?",
  allMine: "Yes, they are mine",
  onlyThis: "Only {{orderNumber}}",
  notMine: "No, not mine",
  notMineReply: "Understood, I have not linked anything. If you need help, write to {{shopName}}.",
  nothingLinked: "Those orders are no longer waiting for you. Tap /start to look again.",
  noOpenOrders: "You have no orders waiting for your confirmation right now.",
};

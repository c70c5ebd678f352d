/** The customer's list of their orders (/orders): "where is my order?". */
export const orders = {
  title_one: "📦 <b>{{count}} recent order</b>",
  title_other: "📦 <b>{{count}} recent orders</b>",
  item: "<b>Order {{orderNumber}}</b>",
  status: "Status: {{status}}",
  none: "You have no orders with us from the last 30 days. If you placed one, tap /start and share the phone number you ordered with: I will find it.",
};

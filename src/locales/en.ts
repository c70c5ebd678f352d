/**
 * English: the reference locale. Every other locale must have exactly these keys (the type
 * checker and test/locales enforce it). Texts are Telegram HTML; {{placeholders}} are escaped.
 */
export const en = {
  start: {
    welcome:
      "Hello, {{customerName}}! This is {{shopName}}, {{assistantName}}. I will read your order back to you, agree the delivery and keep you posted until it arrives.",
    welcomeAnonymous:
      "Hello! This is {{shopName}}, {{assistantName}}. I will read your orders back to you, agree the delivery and keep you posted until they arrive.",
  },
  fallback: {
    notUnderstood:
      "Sorry, I did not understand that. Please use the buttons under my last message, or tap /start to see your orders.",
  },
  errors: {
    internal: "Sorry, something went wrong on our side. We have been told and will sort it out.",
  },
  order: {
    greeting: {
      morning: "Good morning, {{customerName}}! This is {{shopName}}, {{assistantName}}.",
      afternoon: "Good afternoon, {{customerName}}! This is {{shopName}}, {{assistantName}}.",
      evening: "Good evening, {{customerName}}! This is {{shopName}}, {{assistantName}}.",
    },
    intro: "Let me read your order back to you, so that everything arrives as you want it.",
    updatedByShop: "{{shopName}} has updated your order. Here it is again:",
    title: "<b>Order {{orderNumber}}</b>",
    line: "{{index}}. {{name}}: {{quantity}} × {{unitPrice}} = {{lineTotal}}",
    total: "<b>Total: {{total}}</b>",
    customer: "Name: {{customerName}}",
    deliveryMethod: "Delivery: {{method}}",
    deliveryNotAgreed: "Delivery: to be agreed",
    deliveryDate: "Date: {{date}}",
    deliveryDateWindow: "Date: {{date}}, {{window}}",
    address: "Address: {{address}}",
    comment: "Comment: {{comment}}",
    question: "Is everything correct?",
    confirmed: "✅ <b>Confirmed.</b> Thank you, {{customerName}}! We will keep you posted about the delivery.",
    cancelled: "❌ <b>Cancelled.</b> We are sorry to see it go, {{customerName}}. If you change your mind, we are here.",
    methods: {
      courier: "courier",
      pickup: "pickup point",
      post: "post",
    },
    buttons: {
      confirm: "✅ Confirm",
      change: "✏️ Change something",
      cancel: "❌ Cancel the order",
      human: "🙋 Talk to a person",
      changeQuantity: "Change a quantity",
      removeLine: "Remove an item",
      changeAddress: "Change the address",
      changeComment: "Add a comment",
      back: "« Back",
      otherQuantity: "Another amount…",
      keepOrder: "« Keep the order",
      cancelForm: "« Never mind",
    },
    prompts: {
      chooseLineForQuantity: "Which item's quantity would you like to change?",
      chooseLineForRemoval: "Which item should I remove?",
      chooseQuantity: "How many of <b>{{name}}</b> would you like?",
      chooseCancelReason: "We are sorry to hear that. What is the reason?",
      editMenu: "What would you like to change?",
    },
    forms: {
      askAddress: "Please send the delivery address in one message (street, house, flat, city).",
      askComment: "Please write your comment for the shop in one message.",
      askQuantity: "Please type how many of <b>{{name}}</b> you would like (a whole number from 1 to {{max}}).",
      invalidAddress: "That looks too short or too long for an address ({{min}} to {{max}} characters). Please try again.",
      invalidComment: "Please write the comment as one text message of up to {{max}} characters.",
      invalidQuantity: "Please send a whole number from 1 to {{max}}.",
      textExpected: "Please send it as a text message.",
      abandoned: "All right, nothing was changed.",
    },
    rejections: {
      final: "This order is already {{state}}, so nothing was changed.",
      stale: "That button belongs to an older message. Please use the buttons on the latest one.",
      wouldEmpty: "This is the last item in the order. To drop it, cancel the order instead.",
      unknownLine: "That item is no longer in the order.",
      notYours: "This button belongs to someone else's order.",
      notFound: "I cannot find this order any more.",
    },
    states: {
      confirmed: "confirmed",
      cancelled: "cancelled",
      awaiting_customer: "waiting for your confirmation",
    },
    humanRequested: "Thank you! A person from {{shopName}} will answer you here as soon as possible.",
    cancelReasons: {
      changed_mind: "I changed my mind",
      found_cheaper: "I found it cheaper",
      delivery_too_slow: "Delivery takes too long",
      ordered_by_mistake: "I ordered by mistake",
      other: "Another reason",
    },
  },
  linking: {
    unknownToken:
      "This link does not lead to an order (it may be mistyped). If you placed an order, tap /start and share your phone number: I will find it.",
    claimedByOther:
      "This order is already linked to another Telegram account. If it is yours, please contact {{shopName}}.",
    askContact:
      "To find your orders, please share the phone number you ordered with, using the button below.",
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
  },
  defaults: {
    assistantName: "your order assistant",
  },
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** The shape every locale must have: the same keys as English, any strings. */
export type LocaleResource = Widen<typeof en>;

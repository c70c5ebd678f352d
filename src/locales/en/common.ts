export const common = {
  start: {
    welcome:
      "Hello, {{customerName}}! This is {{shopName}}, {{assistantName}}. I will read your order back to you, agree the delivery and keep you posted until it arrives.",
    welcomeAnonymous:
      "Hello! This is {{shopName}}, {{assistantName}}. I will read your orders back to you, agree the delivery and keep you posted until they arrive.",
  },
  fallback: {
    notUnderstood: "Sorry, I did not understand that. Please use the buttons under my last message, or tap /start to see your orders.",
  },
  errors: {
    busy: "Sorry, I am swamped for a moment and could not do that. Please try again in a few seconds.",
    internal: "Sorry, something went wrong on our side. We have been told and will sort it out.",
  },
  defaults: {
    assistantName: "your order assistant",
  },
};

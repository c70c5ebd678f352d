import type { LocaleResource } from "../locale-resource.js";

export const common: Pick<LocaleResource<"ru">, "start" | "fallback" | "errors" | "defaults"> = {
  start: {
    welcome:
      "Здравствуйте, {{customerName}}! Это {{shopName}}, {{assistantName}}. Я прочитаю вам заказ, согласую доставку и буду держать вас в курсе, пока он не приедет.",
    welcomeAnonymous:
      "Здравствуйте! Это {{shopName}}, {{assistantName}}. Я прочитаю вам заказы, согласую доставку и буду держать вас в курсе, пока они не приедут.",
  },
  fallback: {
    notUnderstood:
      "Извините, я не понял. Пожалуйста, воспользуйтесь кнопками под моим последним сообщением или нажмите /start, чтобы увидеть ваши заказы.",
  },
  errors: {
    busy: "Простите, я на мгновение перегружен и не смог это сделать. Пожалуйста, попробуйте ещё раз через несколько секунд.",
    internal: "Извините, у нас что-то пошло не так. Мы уже знаем и разберёмся.",
  },
  defaults: {
    assistantName: "ваш помощник по заказам",
  },
};

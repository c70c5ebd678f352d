import type { LocaleResource } from "../locale-resource.js";

export const common: Pick<LocaleResource<"uk">, "start" | "fallback" | "errors" | "defaults"> = {
  start: {
    welcome:
      "Вітаю, {{customerName}}! Це {{shopName}}, {{assistantName}}. Я звірю з вами замовлення, узгоджу доставку й повідомлятиму вам новини, доки воно не надійде.",
    welcomeAnonymous:
      "Вітаю! Це {{shopName}}, {{assistantName}}. Я звірю з вами замовлення, узгоджу доставку й повідомлятиму вам новини, доки вони не надійдуть.",
  },
  fallback: {
    notUnderstood:
      "Вибачте, я не зрозумів. Будь ласка, скористайтеся кнопками під моїм останнім повідомленням або натисніть /start, щоб побачити ваші замовлення.",
  },
  errors: {
    busy: "Вибачте, я на мить перевантажений і не зміг цього зробити. Будь ласка, спробуйте ще раз за кілька секунд.",
    internal: "Вибачте, у нас щось пішло не так. Ми вже знаємо про це й усе владнаємо.",
  },
  defaults: {
    assistantName: "ваш помічник із замовлень",
  },
};

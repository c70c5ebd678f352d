import type { LocaleResource } from "../locale-resource.js";

export const language: LocaleResource<"ru">["language"] = {
  prompt: "На каком языке вам удобнее переписываться?",
  chosen: "Спасибо! Теперь я буду писать вам по-русски.",
  onlyOne: "Здесь я могу писать вам только по-русски.",
  notOffered: "Простите, этот язык больше недоступен. Пожалуйста, выберите язык кнопкой.",
};

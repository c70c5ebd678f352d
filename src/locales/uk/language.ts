import type { LocaleResource } from "../locale-resource.js";

export const language: LocaleResource<"uk">["language"] = {
  prompt: "Якою мовою вам зручніше листуватися?",
  chosen: "Дякую! Відтепер я писатиму вам українською.",
  onlyOne: "Тут я можу писати вам лише українською.",
  notOffered: "Вибачте, ця мова більше недоступна. Будь ласка, оберіть мову кнопкою.",
};

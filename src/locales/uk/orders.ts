import type { LocaleResource } from "../locale-resource.js";

export const orders: LocaleResource<"uk">["orders"] = {
  title_one: "📦 <b>{{count}} нещодавнє замовлення</b>",
  title_few: "📦 <b>{{count}} нещодавні замовлення</b>",
  title_many: "📦 <b>{{count}} нещодавніх замовлень</b>",
  title_other: "📦 <b>{{count}} нещодавнього замовлення</b>",
  item: "<b>Замовлення {{orderNumber}}</b>",
  status: "Статус: {{status}}",
  none: "За останні 30 днів у вас не було замовлень. Якщо ви зробили замовлення, натисніть /start і поділіться номером телефону, який вказали під час замовлення: я його знайду.",
};

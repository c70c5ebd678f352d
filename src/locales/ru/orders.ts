import type { LocaleResource } from "../locale-resource.js";

export const orders: LocaleResource<"ru">["orders"] = {
  title_one: "📦 <b>{{count}} недавний заказ</b>",
  title_few: "📦 <b>{{count}} недавних заказа</b>",
  title_many: "📦 <b>{{count}} недавних заказов</b>",
  title_other: "📦 <b>{{count}} недавнего заказа</b>",
  item: "<b>Заказ {{orderNumber}}</b>",
  status: "Статус: {{status}}",
  none: "За последние 30 дней у вас не было заказов. Если вы сделали заказ, нажмите /start и поделитесь номером телефона, который указали при заказе: я его найду.",
};

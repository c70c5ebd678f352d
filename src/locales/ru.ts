import type { LocaleResource } from "./en.js";

export const ru: LocaleResource = {
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
    internal: "Извините, у нас что-то пошло не так. Мы уже знаем и разберёмся.",
  },
  order: {
    greeting: {
      morning: "Доброе утро, {{customerName}}! Это {{shopName}}, {{assistantName}}.",
      afternoon: "Добрый день, {{customerName}}! Это {{shopName}}, {{assistantName}}.",
      evening: "Добрый вечер, {{customerName}}! Это {{shopName}}, {{assistantName}}.",
    },
    intro: "Давайте сверим ваш заказ, чтобы всё пришло так, как вы хотите.",
    updatedByShop: "{{shopName}} обновил ваш заказ. Вот он ещё раз:",
    title: "<b>Заказ {{orderNumber}}</b>",
    line: "{{index}}. {{name}}: {{quantity}} × {{unitPrice}} = {{lineTotal}}",
    total: "<b>Итого: {{total}}</b>",
    customer: "Имя: {{customerName}}",
    deliveryMethod: "Доставка: {{method}}",
    deliveryNotAgreed: "Доставка: согласуем",
    deliveryDate: "Дата: {{date}}",
    deliveryDateWindow: "Дата: {{date}}, {{window}}",
    address: "Адрес: {{address}}",
    comment: "Комментарий: {{comment}}",
    question: "Всё верно?",
    confirmed: "✅ <b>Заказ подтверждён.</b> Спасибо, {{customerName}}! Мы будем держать вас в курсе доставки.",
    cancelled: "❌ <b>Заказ отменён.</b> Жаль, {{customerName}}. Если передумаете, мы на связи.",
    methods: {
      courier: "курьер",
      pickup: "пункт выдачи",
      post: "почта",
    },
    buttons: {
      confirm: "✅ Подтвердить",
      change: "✏️ Изменить",
      cancel: "❌ Отменить заказ",
      human: "🙋 Связаться с человеком",
      changeQuantity: "Изменить количество",
      removeLine: "Убрать товар",
      changeAddress: "Изменить адрес",
      changeComment: "Добавить комментарий",
      back: "« Назад",
      otherQuantity: "Другое количество…",
      keepOrder: "« Оставить заказ",
      cancelForm: "« Не нужно",
    },
    prompts: {
      chooseLineForQuantity: "Количество какого товара изменить?",
      chooseLineForRemoval: "Какой товар убрать?",
      chooseQuantity: "Сколько <b>{{name}}</b> вам нужно?",
      chooseCancelReason: "Очень жаль. Подскажите, пожалуйста, причину?",
      editMenu: "Что вы хотите изменить?",
    },
    forms: {
      askAddress: "Пришлите, пожалуйста, адрес доставки одним сообщением (улица, дом, квартира, город).",
      askComment: "Напишите, пожалуйста, комментарий для магазина одним сообщением.",
      askQuantity: "Напишите, сколько <b>{{name}}</b> вам нужно (целое число от 1 до {{max}}).",
      invalidAddress: "Для адреса это слишком коротко или слишком длинно (от {{min}} до {{max}} символов). Попробуйте ещё раз.",
      invalidComment: "Пришлите комментарий одним текстовым сообщением, не длиннее {{max}} символов.",
      invalidQuantity: "Пришлите целое число от 1 до {{max}}.",
      textExpected: "Пришлите это, пожалуйста, текстовым сообщением.",
      abandoned: "Хорошо, ничего не изменили.",
    },
    rejections: {
      final: "Этот заказ уже {{state}}, поэтому ничего не изменилось.",
      stale: "Эта кнопка из старого сообщения. Пожалуйста, используйте кнопки последнего.",
      wouldEmpty: "Это последний товар в заказе. Чтобы убрать его, отмените заказ.",
      unknownLine: "Этого товара уже нет в заказе.",
      notYours: "Эта кнопка относится к чужому заказу.",
      notFound: "Я больше не могу найти этот заказ.",
    },
    states: {
      confirmed: "подтверждён",
      cancelled: "отменён",
      awaiting_customer: "ждёт вашего подтверждения",
    },
    humanRequested: "Спасибо! Сотрудник {{shopName}} ответит вам здесь, как только сможет.",
    cancelReasons: {
      changed_mind: "Передумал(а)",
      found_cheaper: "Нашёл(ла) дешевле",
      delivery_too_slow: "Слишком долгая доставка",
      ordered_by_mistake: "Заказал(а) по ошибке",
      other: "Другая причина",
    },
  },
  linking: {
    unknownToken:
      "Эта ссылка не ведёт к заказу (возможно, в ней опечатка). Если вы сделали заказ, нажмите /start и поделитесь номером телефона: я его найду.",
    claimedByOther:
      "Этот заказ уже привязан к другому аккаунту Telegram. Если это ваш заказ, свяжитесь, пожалуйста, с {{shopName}}.",
    askContact:
      "Чтобы найти ваши заказы, поделитесь, пожалуйста, номером телефона, с которым вы оформляли заказ, кнопкой ниже.",
    shareContact: "📱 Поделиться номером",
    notOwnContact: "Пожалуйста, поделитесь своим номером кнопкой ниже, а не чужим контактом.",
    invalidPhone: "Это не похоже на номер телефона. Пожалуйста, воспользуйтесь кнопкой ниже.",
    noneFound:
      "Я не нашёл открытых заказов для номера {{phone}}. Если вы оформляли заказ на другой номер, напишите магазину или откройте ссылку из подтверждения заказа.",
    found: "Вот что я нашёл для номера {{phone}}:",
    foundLine: "• Заказ {{orderNumber}}: {{total}}, {{items}}",
    confirmWhich: "Это ваши заказы?",
    allMine: "Да, мои",
    onlyThis: "Только {{orderNumber}}",
    notMine: "Нет, не мои",
    notMineReply: "Понял, ничего не привязываю. Если нужна помощь, напишите {{shopName}}.",
    nothingLinked: "Эти заказы больше не ждут вашего ответа. Нажмите /start, чтобы поискать снова.",
    noOpenOrders: "Сейчас нет заказов, которые ждут вашего подтверждения.",
  },
  defaults: {
    assistantName: "ваш помощник по заказам",
  },
};

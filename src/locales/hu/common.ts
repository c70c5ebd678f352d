import type { LocaleResource } from "../locale-resource.js";

// Magyarul az ügyfelet magázzuk (Ön), ahogy egy udvarias bolti ügyintéző. A {{shopName}} elé nem
// teszünk névelőt (a/az a név hangzásától függene): zárójelben vagy a mondat elején áll.
export const common: Pick<LocaleResource<"hu">, "start" | "fallback" | "errors" | "defaults"> = {
  start: {
    welcome:
      "Jó napot kívánok, {{customerName}}! {{shopName}}, itt {{assistantName}}. Átnézem Önnel a rendelését, egyeztetem a szállítást, és folyamatosan tájékoztatom, amíg meg nem érkezik.",
    welcomeAnonymous:
      "Jó napot kívánok! {{shopName}}, itt {{assistantName}}. Átnézem Önnel a rendeléseit, egyeztetem a szállítást, és folyamatosan tájékoztatom, amíg meg nem érkeznek.",
  },
  fallback: {
    notUnderstood:
      "Elnézést, ezt nem értettem. Kérem, használja a legutóbbi üzenetem alatti gombokat, vagy koppintson a /start parancsra, hogy lássa a rendeléseit.",
  },
  errors: {
    busy: "Elnézést, egy pillanatra túlterhelt vagyok, és ezt nem sikerült elvégeznem. Kérem, próbálja újra néhány másodperc múlva.",
    internal: "Elnézést, nálunk valami hiba történt. Már tudunk róla, és megoldjuk.",
  },
  defaults: {
    assistantName: "az Ön rendelési asszisztense",
  },
};

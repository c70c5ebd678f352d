import type { LocaleResource } from "../locale-resource.js";

export const linking: LocaleResource<"hu">["linking"] = {
  unknownToken:
    "Ez a link nem vezet rendeléshez (lehet, hogy elírás van benne). Ha leadott egy rendelést, koppintson a /start parancsra, és ossza meg a telefonszámát: megkeresem.",
  claimedByOther: "Ez a rendelés már egy másik Telegram-fiókhoz tartozik. Ha az Öné, kérem, vegye fel velünk a kapcsolatot ({{shopName}}).",
  askContact: "A rendelései megkereséséhez kérem, ossza meg az alábbi gombbal azt a telefonszámot, amellyel a rendelést leadta.",
  orderNumberAskContact:
    "Ha a(z) {{orderNumber}} rendelés az Öné, ossza meg a telefonszámot, amellyel leadta (az alábbi gombbal), és megmutatom.",
  shareContact: "📱 Telefonszám megosztása",
  notOwnContact: "Kérem, a saját számát ossza meg az alábbi gombbal, ne valaki más névjegyét.",
  invalidPhone: "Ez nem tűnik telefonszámnak. Kérem, használja az alábbi gombot.",
  noneFound:
    "Nem találtam nyitott rendelést ehhez a számhoz: {{phone}}. Ha másik számmal rendelt, kérem, jelezze a boltnak, vagy nyissa meg a rendelés visszaigazolásában kapott linket.",
  found: "Ezt találtam ehhez a számhoz: {{phone}}",
  foundLine: "• Rendelés {{orderNumber}}: {{total}}, {{items}}",
  confirmWhich: "Ezek az Ön rendelései?",
  allMine: "Igen, az enyémek",
  onlyThis: "Csak ez: {{orderNumber}}",
  notMine: "Nem, nem az enyémek",
  notMineReply: "Értem, semmit sem kapcsoltam össze. Ha segítségre van szüksége, írjon nekünk bátran ({{shopName}}).",
  nothingLinked: "Ezek a rendelések már nem várnak az Ön válaszára. Koppintson a /start parancsra, és megnézem újra.",
  noOpenOrders: "Jelenleg nincs olyan rendelése, amely az Ön megerősítésére várna.",
};

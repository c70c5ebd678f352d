import type { LocaleResource } from "../locale-resource.js";

export const orders: LocaleResource<"hu">["orders"] = {
  title_one: "📦 <b>Legutóbbi rendelései: {{count}} db</b>",
  title_other: "📦 <b>Legutóbbi rendelései: {{count}} db</b>",
  item: "<b>Rendelés {{orderNumber}}</b>",
  status: "Állapot: {{status}}",
  none: "Az elmúlt 30 napban nem adott le nálunk rendelést. Ha mégis rendelt, koppintson a /start parancsra, és ossza meg a rendeléskor megadott telefonszámát: megkeresem a rendelést.",
};

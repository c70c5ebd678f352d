import type { LocaleResource } from "../locale-resource.js";

export const language: LocaleResource<"hu">["language"] = {
  prompt: "Milyen nyelven írjak Önnek?",
  chosen: "Köszönöm! Mostantól magyarul írok Önnek.",
  onlyOne: "Itt sajnos csak magyarul tudok írni Önnek.",
  notOffered: "Elnézést, ez a nyelv már nem érhető el. Kérem, válasszon a gombok közül.",
};

import { describe, expect, it } from "vitest";
import { answerPromise, chatOwnerFor, decideFreeText, matchedKeyword, repingDueAt, workingContactHours } from "../../src/domain/handoff.js";

const berlin = "Europe/Berlin";
const weekdays = workingContactHours({ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "18:00" });

describe("the handoff's decisions", () => {
  it("should name who speaks in the chat for each state", () => {
    expect(chatOwnerFor("waiting", null)).toBe("waiting_manager");
    expect(chatOwnerFor("taken", 42n)).toBe("manager:42");
    expect(chatOwnerFor("ended", 42n)).toBe("bot");
  });

  it("should promise an answer soon within working hours and at the next opening outside them", () => {
    expect(answerPromise(new Date("2026-11-23T10:00:00Z"), weekdays, berlin)).toEqual({ type: "soon" });
    // Friday 19:00 in Berlin: back on Monday at 09:00 (08:00 UTC).
    expect(answerPromise(new Date("2026-11-27T18:00:00Z"), weekdays, berlin)).toEqual({ type: "when_open", opensAt: new Date("2026-11-30T08:00:00Z") });
    expect(answerPromise(new Date("2026-11-27T18:00:00Z"), null, berlin)).toEqual({ type: "soon" });
  });

  it("should count the minutes before a re-ping in working time", () => {
    expect(repingDueAt(new Date("2026-11-23T10:00:00Z"), 10, weekdays, berlin)).toEqual(new Date("2026-11-23T10:10:00Z"));
    expect(repingDueAt(new Date("2026-11-28T10:00:00Z"), 10, weekdays, berlin)).toEqual(new Date("2026-11-30T08:10:00Z"));
  });

  it("should find the owner's keywords as whole words in any case", () => {
    expect(matchedKeyword("I have a COMPLAINT!", ["complaint"])).toBe("complaint");
    expect(matchedKeyword("Это жалоба на доставку", ["complaint", "жалоба"])).toBe("жалоба");
    expect(matchedKeyword("complaints department", ["complaint"])).toBeNull();
  });

  it("should send a person the second unusable text in a row, but not when the dialog moved in between", () => {
    const rules = { keywords: ["complaint"], limit: 2 };
    const first = decideFreeText("hello?", { count: 0, mark: null }, "o1:3", rules);
    expect(first).toEqual({ type: "not_understood", counter: { count: 1, mark: "o1:3" } });
    expect(decideFreeText("anyone?", first.counter, "o1:3", rules)).toMatchObject({ type: "escalate", reason: "unrecognised_text" });
    expect(decideFreeText("anyone?", first.counter, "o1:4", rules)).toEqual({ type: "not_understood", counter: { count: 1, mark: "o1:4" } });
    expect(decideFreeText("a complaint", { count: 0, mark: null }, "o1:3", rules)).toMatchObject({ type: "escalate", reason: "keyword", keyword: "complaint" });
  });
});

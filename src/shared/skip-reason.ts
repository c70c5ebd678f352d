/**
 * Why an outbox message or a job did not happen, as data beside the words in `lastError`: the
 * hand back finds what a person's time held back by its code (src/services/resume-follow-ups.ts),
 * so rewording a log line cannot break it.
 */
export const skipCodes = ["with_person", "no_chat", "unreachable", "no_longer_applies"] as const;
export type SkipCode = (typeof skipCodes)[number];

/** A skip as the outbox channels and job handlers report it: the code, and words for the log. */
export interface Skip {
  skipped: string;
  code?: SkipCode;
}

/** The code a skip is stored with: what it says, else "it no longer applies". */
export const skipCodeOf = (skip: { code?: SkipCode }): SkipCode => skip.code ?? "no_longer_applies";

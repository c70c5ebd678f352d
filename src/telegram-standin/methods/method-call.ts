import type { ApiMethods } from "@grammyjs/types";
import type { BotRecord } from "../records.js";
import type { UploadedFile } from "../uploaded-file.js";
import type { StandinWorld } from "../world.js";

/** One checked Bot API call, as a method handler sees it. */
export interface MethodCall {
  world: StandinWorld;
  bot: BotRecord;
  /** Parameters already checked against the spec and converted to their types. */
  params: Record<string, unknown>;
  /** Aborted when the HTTP client goes away, so long polls stop waiting. */
  signal: AbortSignal;
}

export type MethodHandler = (call: MethodCall) => unknown;
export type MethodTable = Record<string, MethodHandler>;

/**
 * The parameters of a method as @grammyjs/types describes them, with uploads as UploadedFile.
 * Safe to assume once the spec check passed.
 */
export type ParamsOf<M extends keyof ApiMethods<UploadedFile>> = Parameters<ApiMethods<UploadedFile>[M]>[0] & object;

export function paramsOf<M extends keyof ApiMethods<UploadedFile>>(call: MethodCall, _method: M): ParamsOf<M> {
  return call.params;
}

import { BotApiError } from "./bot-api-error.js";
import { METHOD_TABLE } from "./methods/method-table.js";
import { checkParams } from "./param-check.js";
import type { ApiCallOutcome } from "./standin-events.js";
import { UploadedFile } from "./uploaded-file.js";
import type { StandinWorld } from "./world.js";

export interface BotApiRequest {
  token: string;
  method: string;
  params: Record<string, unknown>;
  files: Map<string, UploadedFile>;
  signal: AbortSignal;
}

export interface BotApiResponse {
  status: number;
  body: ApiCallOutcome;
}

/**
 * Answers one Bot API call the way Telegram does, in Telegram's order of checks: token (401),
 * method (404), parameters against the official spec (400), then the method itself. Every call is
 * announced on the event stream with its outcome.
 */
export async function dispatchBotApiCall(world: StandinWorld, request: BotApiRequest): Promise<BotApiResponse> {
  const startedAt = Date.now();
  const bot = world.bots.get(request.token);
  const spec = world.spec.methodsByLowerName.get(request.method.toLowerCase());
  let params = request.params;
  let outcome: ApiCallOutcome;
  try {
    if (!bot) throw new BotApiError(401, "Unauthorized");
    if (!spec) throw new BotApiError(404, "Not Found");
    const checked = checkParams(world.spec, spec, request.params, request.files);
    if (!checked.ok) throw new BotApiError(400, checked.description);
    params = checked.params;
    const handler = METHOD_TABLE.get(spec.name.toLowerCase());
    if (!handler) throw BotApiError.badRequest(`method ${spec.name} is not supported by the local stand-in`);
    const fault = world.faults.take(spec.name, params.chat_id);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.error) throw fault.error;
    const result: unknown = await handler({ world, bot, params, signal: request.signal });
    outcome = { ok: true, result };
  } catch (error) {
    outcome = errorOutcome(error);
  }
  if (!outcome.ok && outcome.error_code === 429) world.tooManyRequestsSent++;
  world.events.emit("api-call", {
    botId: bot?.user.id,
    method: spec?.name ?? request.method,
    params: describeParams(params),
    outcome,
    at: new Date(startedAt),
    durationMs: Date.now() - startedAt,
  });
  return { status: outcome.ok ? 200 : outcome.error_code, body: outcome };
}

function errorOutcome(error: unknown): ApiCallOutcome {
  if (error instanceof BotApiError) {
    return {
      ok: false,
      error_code: error.errorCode,
      description: error.description,
      ...(error.parameters ? { parameters: error.parameters } : {}),
    };
  }
  // A bug in the stand-in: answer like Telegram's own hiccups so the bot's retry path runs, and say why.
  console.error("telegram-standin: method handler failed", error);
  return { ok: false, error_code: 500, description: `Internal Server Error: ${String(error)}` };
}

/** Observers get parameters without file bytes, which would flood logs and UIs. */
function describeParams(params: Record<string, unknown>): Record<string, unknown> {
  const described: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    described[key] = value instanceof UploadedFile ? { file: value.fileName ?? value.fieldName, size: value.bytes.byteLength } : value;
  }
  return described;
}

import { BotApiError } from "./bot-api-error.js";

export type FaultCode = 429 | 500 | 502 | 403;

export interface FaultSpec {
  /** Only calls of this method (case-insensitive); any method when omitted. */
  method?: string;
  /** Only calls addressed to this chat; any chat when omitted. */
  chatId?: number | string;
  /** How many matching calls fail; 1 when omitted. */
  times?: number;
  /** The error to answer with; without one the call succeeds, after `delayMs`. */
  error?: FaultCode;
  /** Hold the call this long before handling it (a slow network or a slow Telegram). */
  delayMs?: number;
  /** Seconds for a 429; 1 when omitted. */
  retryAfter?: number;
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

/** Failures a test asked for, consumed by the next matching calls in order. */
export class FaultInjector {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  get pending(): number {
    return this.faults.reduce((sum, fault) => sum + fault.remaining, 0);
  }

  /** What happens to this call if a fault matches it (consuming one of its repetitions). */
  take(method: string, chatId: unknown): { error?: BotApiError; delayMs?: number } | undefined {
    const fault = this.faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.spec.method === undefined || candidate.spec.method.toLowerCase() === method.toLowerCase()) &&
        (candidate.spec.chatId === undefined || String(candidate.spec.chatId) === String(chatId)),
    );
    if (!fault) return undefined;
    fault.remaining--;
    this.faults = this.faults.filter((candidate) => candidate.remaining > 0);
    return {
      ...(fault.spec.error !== undefined ? { error: faultError(fault.spec.error, fault.spec.retryAfter) } : {}),
      ...(fault.spec.delayMs !== undefined ? { delayMs: fault.spec.delayMs } : {}),
    };
  }
}

function faultError(code: FaultCode, retryAfter: number | undefined): BotApiError {
  switch (code) {
    case 429:
      return BotApiError.tooManyRequests(retryAfter ?? 1);
    case 500:
      return new BotApiError(500, "Internal Server Error");
    case 502:
      return new BotApiError(502, "Bad Gateway");
    case 403:
      return BotApiError.forbidden("bot was blocked by the user");
  }
}

/** The JSON body of every API error: a stable code, a sentence, and the bad fields if any. */
export interface ApiErrorBody {
  error: { code: string; message: string; problems?: Array<{ path: string; message: string }> };
}

export const apiError = (code: string, message: string, problems?: ApiErrorBody["error"]["problems"]): ApiErrorBody => ({
  error: { code, message, ...(problems ? { problems } : {}) },
});

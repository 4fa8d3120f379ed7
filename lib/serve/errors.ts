/**
 * OpenAI-shaped HTTP errors for the model server: a thrown {@linkcode HttpError} becomes
 * `{"error": {"message", "type", "param", "code"}}` with its status; anything else is a 500 whose
 * message is the error's first line (the server never crashes on a request).
 *
 * @module
 */

/** An error that carries an HTTP status and the request field it is about. */
export interface HttpError extends Error {
  /** HTTP status (400 bad request, 404 unknown route or model, 405, 500, 503). */
  status: number;
  /** The request field at fault (`"n"`, `"messages[1].content"`), or null. */
  param: string | null;
}

/** The JSON body of an error response (OpenAI's shape). */
export interface ErrorBody {
  /** The error. */
  error: {
    /** One line for a human. */
    message: string;
    /** `invalid_request_error`, `not_found_error`, `server_error`... */
    type: string;
    /** The field at fault, or null. */
    param: string | null;
    /** The HTTP status again. */
    code: number;
  };
}

/**
 * Make an {@linkcode HttpError}.
 *
 * @example
 * ```ts
 * throw httpError(400, `"n" must be an integer >= 1, got 0`, "n");
 * ```
 */
export function httpError(status: number, message: string, param: string | null = null): HttpError {
  return Object.assign(new Error(message), { status, param });
}

/** Whether `e` is an {@linkcode HttpError}. */
export function isHttpError(e: unknown): e is HttpError {
  return e instanceof Error && typeof (e as Partial<HttpError>).status === "number";
}

const TYPES: Record<number, string> = {
  400: "invalid_request_error",
  404: "not_found_error",
  405: "invalid_request_error",
  413: "invalid_request_error",
  429: "rate_limit_error",
  504: "timeout_error",
  503: "service_unavailable_error",
};

/**
 * The response for any thrown value: an {@linkcode HttpError} keeps its status, anything else is a
 * 500 `server_error` with the first line of its message.
 *
 * @example
 * ```ts
 * const res = errorResponse(httpError(404, "no route POST /v2/x"));
 * res.status; // 404
 * ```
 */
export function errorResponse(e: unknown): Response {
  const status = isHttpError(e) ? e.status : 500;
  const message = (e instanceof Error ? e.message : String(e)).split("\n")[0];
  const body: ErrorBody = {
    error: {
      message,
      type: TYPES[status] ?? (status >= 500 ? "server_error" : "invalid_request_error"),
      param: isHttpError(e) ? e.param : null,
      code: status,
    },
  };
  return Response.json(body, { status });
}

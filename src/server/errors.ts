/**
 * The API's one error: a code a program can branch on, a message saying what was wrong and a hint saying how to fix
 * it. The HTTP status follows from the code (4xx for anything the client did, 503 while the store cannot answer, 500
 * only for a bug), so that a route cannot answer a client's mistake with a server error by accident.
 */

/** Every error code the API answers with, and its HTTP status. */
export const errorStatus = {
  /** The request does not match the route's schema (the message names the field). */
  InvalidRequest: 400,
  InvalidFingerprint: 400,
  InvalidCursor: 400,
  InvalidOrganization: 400,
  InvalidScope: 400,
  InvalidRange: 400,
  DepthOverLimit: 400,
  LimitOverMax: 400,
  MalformedJson: 400,
  UnknownRecord: 404,
  UnknownOrganization: 404,
  UnknownRoute: 404,
  MethodNotAllowed: 405,
  BodyTooLarge: 413,
  UnsupportedMediaType: 415,
  InvalidReceipt: 422,
  InternalError: 500,
  NotIndexed: 503,
  QueryTimeout: 503,
} as const;

export type ApiErrorCode = keyof typeof errorStatus;
export const apiErrorCodes = Object.keys(errorStatus) as readonly ApiErrorCode[];

/** The JSON body of every error answer. */
export type ApiErrorBody = {
  error: { code: ApiErrorCode; message: string; hint: string };
  requestId: string;
};

export class ApiError extends Error {
  override name = "ApiError";
  readonly code: ApiErrorCode;
  readonly hint: string;
  readonly statusCode: number;
  /** Response headers the answer needs (e.g. `allow` for a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ApiErrorCode,
    message: string,
    hint: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = hint;
    this.statusCode = errorStatus[code];
    this.headers = options.headers ?? {};
  }

  /** The body to send, with the request's id. */
  body(requestId: string): ApiErrorBody {
    return { error: { code: this.code, message: this.message, hint: this.hint }, requestId };
  }
}

/** 404 for a fingerprint the store has no record of. */
export function unknownRecord(fingerprint: string): ApiError {
  return new ApiError(
    "UnknownRecord",
    `no record ${fingerprint} is registered at the answer's block`,
    "check the fingerprint (a registration may be newer than the indexed block: see /status), or look up a " +
      "batch member through its receipt",
  );
}

/** 503 before the indexer's first checkpoint: there is no block to answer at. */
export function notIndexed(): ApiError {
  return new ApiError(
    "NotIndexed",
    "the store has no checkpoint yet: the indexer has not committed its first block range",
    "wait until /ready answers 200 (run `provledger index`, or `provledger serve --rpc-url ...`)",
  );
}

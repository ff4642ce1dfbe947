// The closed set of error codes every request can fail with, and the envelope both transports carry.
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'ENGINE_UNAVAILABLE',
  /** The Docker engine answered with an error of its own (its words kept: e.g. an OCI runtime failure). */
  'ENGINE_ERROR',
  'ADMISSION_REJECTED',
  'CONFLICT',
  'UNSUPPORTED',
  /** A failure inside MLEnv: callers get a generic sentence with the journal event's id, the details stay in the journal. */
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  /** A sentence a person can act on. */
  message: string;
  details?: unknown;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

/** Thrown by services and by the client; carries a code from the closed set. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
  static fromBody(body: ErrorBody): AppError {
    return new AppError(body.code, body.message, body.details);
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

import type { FastifyReply } from 'fastify';

/** One entry of `errors[]` (`ApiError` / `ApiErrorWithParameter`). */
export interface RcApiError {
  errorCode: string;
  message: string;
  parameterName?: string;
  parameterValue?: string;
}

/**
 * RingCentral's error body: the spec's `ApiErrorResponseModel` (`errors[]`)
 * plus the top-level `errorCode`/`message`/`parameterName` real responses
 * also carry (see the batch example in the docs). `topCode` differs from the
 * entry's code only for token failures (`TokenInvalid` over `OAU-128`).
 */
export function rcErrorBody(error: RcApiError, topCode: string = error.errorCode): Record<string, unknown> {
  const body: Record<string, unknown> = { errorCode: topCode, message: error.message, errors: [error] };
  if (error.parameterName !== undefined) body.parameterName = error.parameterName;
  return body;
}

/** The OAuth endpoints' error body: RFC 6749 `error` plus RingCentral's `errors[]`. */
export function oauthErrorBody(error: string, entry: RcApiError): Record<string, unknown> {
  return { error, error_description: entry.message, errors: [entry] };
}

/** A RingCentral error code for statuses the core raises without one (faults, fastify). */
export function defaultErrorCode(status: number): string {
  switch (status) {
    case 400:
      return 'CMN-101';
    case 401:
      return 'OAU-149';
    case 403:
      return 'CMN-401';
    case 404:
      // Without a resource to name, a 404 is about the URI itself.
      return 'CMN-120';
    case 415:
      return 'CMN-104';
    case 429:
      return 'CMN-301';
    case 500:
      return 'CMN-203';
    default:
      return status >= 500 ? 'CMN-201' : 'CMN-101';
  }
}

/** Sends a RingCentral error body. */
export function sendRcError(reply: FastifyReply, status: number, error: RcApiError, topCode?: string): FastifyReply {
  return reply.code(status).type('application/json').send(rcErrorBody(error, topCode));
}

/** `Parameter [x] value is invalid` (CMN-101), naming the parameter. */
export function invalidParameter(name: string, value: unknown, detail?: string): RcApiError {
  const error: RcApiError = {
    errorCode: 'CMN-101',
    message: `Parameter [${name}] value is invalid${detail ? `: ${detail}` : '.'}`,
    parameterName: name,
  };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') error.parameterValue = String(value);
  return error;
}

/** `Resource for parameter [x] is not found` (CMN-102). */
export function notFound(name: string, value?: string): RcApiError {
  const error: RcApiError = { errorCode: 'CMN-102', message: `Resource for parameter [${name}] is not found`, parameterName: name };
  if (value !== undefined) error.parameterValue = value;
  return error;
}

/** Thrown by state and validation code; routes turn it into a RingCentral error response. */
export class RcHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: RcApiError,
  ) {
    super(error.message);
  }
}

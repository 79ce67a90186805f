import type { FastifyReply, FastifyRequest } from 'fastify';

/** One entry of the spec's `Errors.validationErrors`: which field was wrong and why. */
export interface ValidationErrorData {
  attributeName: string;
  message: string;
  value?: string;
}

/**
 * A refusal the handlers throw; the context's error handler turns it into
 * RingCX's error body. Handlers never build error bodies themselves, so every
 * error (ours, fastify's, injected faults) has the same shape.
 */
export class RcxError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly details = '',
    readonly validationErrors?: ValidationErrorData[],
  ) {
    super(message);
  }
}

/** A 400 naming the fields at fault, in the spec's `validationErrors` form. */
export function validationError(errors: ValidationErrorData[]): RcxError {
  return new RcxError(
    400,
    'validation.exception',
    'The request failed validation',
    errors.map((e) => `${e.attributeName}: ${e.message}`).join('; '),
    errors,
  );
}

/** The errorCode used when nothing more specific applies (doc style: dotted, lower case). */
export function defaultErrorCode(status: number): string {
  switch (status) {
    case 400:
      return 'bad.request.exception';
    case 401:
      return 'unauthorized.exception';
    case 403:
      return 'access.denied.exception';
    case 404:
      return 'resource.not.found.exception';
    case 409:
      return 'conflict.exception';
    case 415:
      return 'unsupported.media.type.exception';
    case 429:
      return 'too.many.requests.exception';
    case 500:
      return 'internal.server.exception';
    default:
      return status >= 500 ? 'service.unavailable.exception' : 'error';
  }
}

/**
 * RingCX's error body: the doc examples' `errorCode` on top of the spec's
 * `Errors` schema. `requestUri` is "<path> - <METHOD>" as in the doc example.
 */
export function sendRcxError(
  reply: FastifyReply,
  status: number,
  generalMessage: string,
  errorCode = defaultErrorCode(status),
  details = '',
  validationErrors?: ValidationErrorData[],
): FastifyReply {
  const request: FastifyRequest = reply.request;
  return reply
    .code(status)
    .type('application/json')
    .send({
      errorCode,
      generalMessage,
      details,
      requestUri: `${request.url.split('?')[0]} - ${request.method}`,
      timestamp: Date.now(),
      ...(validationErrors && { validationErrors }),
    });
}

import type { FastifyReply } from 'fastify';

/** One entry of a Zendesk `details.<field>` list. */
export interface FieldProblem {
  description: string;
  error: string;
}

/**
 * A refusal in Zendesk's error shape, thrown by the state and the request
 * parsers and written by the routes: `{error, description, details?}`.
 */
export class ZendeskApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly details?: Record<string, FieldProblem[]>,
  ) {
    super(description);
  }

  /** 422 RecordInvalid naming each field, as Rails validation errors come back. */
  static invalid(details: Record<string, FieldProblem[]>): ZendeskApiError {
    return new ZendeskApiError(422, 'RecordInvalid', 'Record validation errors', details);
  }

  static notFound(): ZendeskApiError {
    return new ZendeskApiError(404, 'RecordNotFound', 'Not found');
  }

  /** 400 for a query parameter we cannot use, naming it. */
  static badParameter(name: string, description: string, error = 'InvalidValue'): ZendeskApiError {
    return new ZendeskApiError(400, error, description, { [name]: [{ description, error }] });
  }
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'InvalidValue',
  403: 'Forbidden',
  404: 'InvalidEndpoint',
  409: 'Conflict',
  413: 'RequestTooLarge',
  415: 'UnsupportedMediaType',
  422: 'RecordInvalid',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/**
 * Writes Zendesk's error body for `status`. A 401 carries only `error` (the
 * message), as Zendesk's authentication failures do; a 429 is plain text, as
 * observed from Zendesk's throttle; everything else is `{error, description}`.
 */
export function sendZendeskError(
  reply: FastifyReply,
  status: number,
  message: string,
  code?: string,
  details?: Record<string, FieldProblem[]>,
): FastifyReply {
  reply.code(status);
  if (status === 401) {
    return reply.header('www-authenticate', 'Basic realm="Web Password"').send({ error: message });
  }
  if (status === 429) return reply.type('text/plain; charset=utf-8').send(message);
  const body: Record<string, unknown> = { error: code ?? DEFAULT_CODES[status] ?? 'Error', description: message };
  if (details) body.details = details;
  return reply.send(body);
}

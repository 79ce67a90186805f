import type { FastifyInstance } from 'fastify';
import processRequest from 'graphql-upload/processRequest.mjs';
import type { UploadLimits } from '../config.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the multipart content-type parser: graphql-upload reads the body in `preValidation`. */
    graphqlMultipart?: boolean;
  }
}

/**
 * The largest JSON body accepted: inline `csv` up to the byte limit, with room
 * for JSON escaping (every quote and line break doubles) and the query.
 * Beyond it Fastify answers 413 before GraphQL runs; below it, a CSV over the
 * byte limit gets the UPLOAD_TOO_LARGE user error.
 */
export function jsonBodyLimit(limits: UploadLimits): number {
  return 2 * limits.maxBytes + 1024 * 1024;
}

/**
 * GraphQL multipart requests (the spec's `operations`, `map` and file parts)
 * at `path`, for the `Upload` scalar.
 *
 * graphql-upload's `processRequest` needs the HTTP response as well as the
 * request (it releases the file's temporary buffer when the response ends),
 * and a Fastify content-type parser sees only the request. So the parser just
 * marks the request and leaves its body unread, and a `preValidation` hook,
 * which has the reply, runs `processRequest`. It resolves as soon as `map` is
 * read, with the operation (an `Upload` where the file goes) as the body;
 * the file keeps streaming while the resolver reads it, buffered to disk,
 * never whole in memory.
 *
 * Apollo Server takes that body as it takes a JSON one: its POST handling
 * reads `request.body` whatever the content type. Its CSRF prevention still
 * applies, because it looks at the request's own headers: `multipart/form-data`
 * is a type browsers send cross-site without a preflight, so the request is
 * refused unless it carries `apollo-require-preflight` or
 * `x-apollo-operation-name`, before any resolver runs.
 *
 * The file limit is one byte over ours: the upload's own byte counter then
 * sees the excess and answers with the UPLOAD_TOO_LARGE user error, which
 * names the limit, instead of graphql-upload's HTTP 413.
 */
export function registerMultipartUploads(app: FastifyInstance, options: { path: string; limits: UploadLimits }): void {
  app.addContentTypeParser('multipart/form-data', (request, _payload, done) => {
    request.graphqlMultipart = true;
    done(null);
  });

  app.addHook('preValidation', async (request, reply) => {
    if (!request.graphqlMultipart || request.routeOptions.url !== options.path) return;
    try {
      request.body = await processRequest(request.raw, reply.raw, {
        maxFileSize: options.limits.maxBytes + 1,
        maxFiles: 1,
        maxFieldSize: jsonBodyLimit(options.limits),
      });
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const message = error instanceof Error ? error.message : String(error);
      return reply
        .code(typeof status === 'number' && status >= 400 && status < 500 ? status : 400)
        .send({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    }
  });
}

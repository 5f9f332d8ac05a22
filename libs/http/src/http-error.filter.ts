import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { dependencyOutage, RETRY_AFTER_SECONDS } from './dependency-outage';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/** Reshapes the error body for an API that speaks another dialect (Mastodon's `{ error }`). */
export type ErrorFormatter = (body: ErrorBody, exception: unknown) => object;

const asIs: ErrorFormatter = (body) => body;

/**
 * Every error leaves as `{ statusCode, error, message }`. Client errors keep
 * their status and say what was wrong; PostgreSQL or Redis unreachable or
 * silent is a 503 with `Retry-After`; anything else unexpected is logged with
 * an id and becomes a plain 500 that quotes only the id.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly format: ErrorFormatter = asIs) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const body = toErrorBody(exception);
    if (body.statusCode === (HttpStatus.SERVICE_UNAVAILABLE as number)) {
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      this.logger.warn({ err: exception, method: request.method, url: request.url }, body.message);
    } else if (body.statusCode >= 500) {
      const errorId = randomUUID();
      this.logger.error(
        { err: exception, errorId, method: request.method, url: request.url },
        `unhandled error ${errorId}`,
      );
      if (!(exception instanceof HttpException)) body.message = `Internal server error (id ${errorId})`;
    }
    void reply.status(body.statusCode).send(this.format(body, exception));
  }
}

export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    return { statusCode, error: reasonPhrase(statusCode), message: flatten(raw) ?? exception.message };
  }
  // Errors raised by Fastify itself before a handler runs: bad JSON (400),
  // body too large (413), unsupported content type (415) ...
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { statusCode: status, error: reasonPhrase(status), message: (exception as Error).message };
  }
  const outage = dependencyOutage(exception);
  if (outage) return unavailable(`${outage} is unavailable right now; retry in a few seconds`);
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    error: reasonPhrase(HttpStatus.INTERNAL_SERVER_ERROR),
    message: 'Internal server error',
  };
}

/** The body of a 503: the client may retry after RETRY_AFTER_SECONDS. */
export function unavailable(message: string): ErrorBody {
  const statusCode = HttpStatus.SERVICE_UNAVAILABLE;
  return { statusCode, error: reasonPhrase(statusCode), message };
}

function flatten(message: unknown): string | undefined {
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : undefined;
}

function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

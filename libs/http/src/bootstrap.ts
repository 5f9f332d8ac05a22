import {
  BadRequestException,
  HttpException,
  INestApplication,
  Logger as NestLogger,
  Type,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { buildConfig, FeedlineConfig, feedlineConfig, START_POSTGRES, START_REDIS } from '@app/config';
import { HttpMetrics } from '@app/observability';
import type { FastifyReply } from 'fastify';
import { ErrorFormatter, HttpErrorFilter, toErrorBody, unavailable } from './http-error.filter';
import { RETRY_AFTER_SECONDS } from './dependency-outage';
import { FORM_TYPE, MULTIPART_TYPE, normalizeForm, parseMultipartFields } from './form-body';
import { inputProblem } from './input-checks';
import { createValidationPipe } from './validation';

/** Request bodies are small JSON documents; anything larger is refused with 413. */
const BODY_LIMIT_BYTES = 16 * 1024;

export interface HttpAppOptions {
  /** Title and description of the OpenAPI document served at /docs (omit to serve none). */
  openApi?: { title: string; description: string };
  /** Answer CORS for the web app's origins (`CORS_ORIGINS`): the APIs a browser calls turn this on. */
  cors?: boolean;
  /**
   * Also accept HTML-form bodies (`application/x-www-form-urlencoded`), parsed
   * into an object; `key[]=a&key[]=b` becomes an array. Mastodon clients send them.
   */
  forms?: boolean;
  /** The error body's shape (default `{ statusCode, error, message }`). */
  errorBody?: ErrorFormatter;
  /** Status of a request that fails validation (default 400; Mastodon answers 422). */
  validationStatus?: 400 | 422;
}

/**
 * Only what the web app sends: bearer tokens (never cookies, so no credentials),
 * JSON bodies and the Idempotency-Key of a post; Retry-After is read after a 429.
 */
const CORS_POLICY = {
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
  exposedHeaders: ['Retry-After'],
  credentials: false,
  maxAge: 600,
};

/** Creates a Feedline HTTP app: Fastify, JSON logs, validation, uniform errors, metrics. */
export async function createHttpApp(
  module: Type,
  options: HttpAppOptions = {},
): Promise<NestFastifyApplication> {
  // X-Forwarded-For picks the client IP (the login and signup rate-limit key)
  // only from the proxies TRUST_PROXY names; by default from none. The adapter
  // needs it before Nest's config module exists, hence buildConfig here.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: buildConfig().trustProxy,
    // One id per request, taken from X-Request-Id when the caller sent a sane one.
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe(options.validationStatus));
  const errorBody = (exception: unknown) =>
    options.errorBody ? options.errorBody(toErrorBody(exception), exception) : toErrorBody(exception);
  app.useGlobalFilters(new HttpErrorFilter(options.errorBody));
  app.enableShutdownHooks();
  const config = app.get<FeedlineConfig>(feedlineConfig.KEY);
  if (options.cors && config.corsOrigins.length > 0) {
    app.enableCors({ ...CORS_POLICY, origin: config.corsOrigins });
  }
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', (request, reply, _payload, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  if (options.forms) {
    // Some clients (masto.js for /oauth/token) send forms as multipart: fields only, no files.
    fastify.addContentTypeParser(MULTIPART_TYPE, { parseAs: 'buffer' }, (request, body, done) => {
      parseMultipartFields(body as Buffer, String(request.headers['content-type'])).then(
        (fields) => done(null, fields),
        (error: Error) =>
          done(Object.assign(error, { statusCode: (error as { statusCode?: number }).statusCode ?? 400 })),
      );
    });
  }
  const accepted = options.forms
    ? /^(application\/(json|x-www-form-urlencoded)|multipart\/form-data)\b/i
    : /^application\/json\b/i;
  const send = (reply: FastifyReply, exception: HttpException) =>
    void reply.status(exception.getStatus()).send(errorBody(exception));
  // The API speaks JSON objects only (and forms, when asked): other bodies are refused before any handler runs.
  fastify.addHook('preValidation', (request, reply, done) => {
    const problem =
      inputProblem(request.params, 'path') ??
      inputProblem(request.query, 'query') ??
      inputProblem(request.body, 'request body');
    if (problem) {
      send(reply, new BadRequestException(problem));
      return;
    }
    // Queries follow the same convention as forms (`id[]=1&id[]=2`).
    if (options.forms) request.query = normalizeForm(request.query as Record<string, unknown>);
    if (request.body === undefined || request.body === null) return done();
    const type = String(request.headers['content-type'] ?? '');
    if (!accepted.test(type)) {
      send(
        reply,
        new UnsupportedMediaTypeException(
          `send JSON (Content-Type: application/json)${options.forms ? ' or a form' : ''}`,
        ),
      );
      return;
    }
    if (typeof request.body !== 'object' || Array.isArray(request.body)) {
      send(reply, new BadRequestException('request body must be a JSON object'));
      return;
    }
    // Nest's Fastify adapter parses forms; DTOs want `id[]=1` as `id: ['1']`.
    if (FORM_TYPE.test(type) || MULTIPART_TYPE.test(type))
      request.body = normalizeForm(request.body as Record<string, unknown>);
    done();
  });
  installDeadline(fastify, config.requestTimeoutMs);
  app.get(HttpMetrics).install(fastify);
  if (options.openApi) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(options.openApi.title)
        .setDescription(options.openApi.description)
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, document);
  }
  return app;
}

/**
 * Every request is answered within `ms`: if no response has started by then
 * (a dependency is silent, or slow past its own timeouts), the client gets a
 * 503 with Retry-After, and whatever the handler produces later is dropped.
 * Streams (server-sent events, upgrades) have started their response by
 * then or are left alone.
 */
function installDeadline(fastify: FastifyInstance, ms: number): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.headers.upgrade || /text\/event-stream/.test(String(request.headers.accept ?? '')))
      return done();
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      void reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send(
          unavailable(
            `no answer within ${ms} ms (a backing service is slow or unreachable); retry in a few seconds`,
          ),
        );
    }, ms);
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
}

/** Starts listening on the app's port and makes sure a stuck shutdown still ends. */
export async function listen(
  app: INestApplication,
  name: string,
  port: (config: FeedlineConfig) => number,
): Promise<string> {
  const config = app.get<FeedlineConfig>(feedlineConfig.KEY);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        new NestLogger(name).error(`shutdown took longer than ${config.shutdownTimeoutMs} ms, exiting`);
        process.exit(1);
      }, config.shutdownTimeoutMs).unref();
    });
  }
  await app.listen(port(config), config.host);
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port(config)}`;
  new NestLogger(name).log(`${name} listening on ${url}`);
  return url;
}

/**
 * Runs an app's start function; a failure to start ends the process with a
 * plain message (which variable is wrong, which service is unreachable).
 */
export function runApp(name: string, start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    const err = error as { name?: string; message?: string; code?: string };
    console.error(`${name} failed to start: ${err.message ?? String(error)}`);
    if (
      err.name !== 'ConfigurationError' &&
      /ECONNREFUSED|connect|P1001/i.test(`${err.code} ${err.message}`)
    ) {
      console.error(`Is PostgreSQL or Redis down? Start them with:\n  ${START_POSTGRES}\n  ${START_REDIS}`);
    }
    process.exit(1);
  });
}

import {
  BadRequestException,
  INestApplication,
  Logger as NestLogger,
  Type,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { FeedlineConfig, feedlineConfig, START_POSTGRES, START_REDIS } from '@app/config';
import { HttpMetrics } from '@app/observability';
import { HttpErrorFilter, toErrorBody } from './http-error.filter';
import { createValidationPipe } from './validation';

/** Request bodies are small JSON documents; anything larger is refused with 413. */
const BODY_LIMIT_BYTES = 16 * 1024;

export interface HttpAppOptions {
  /** Title and description of the OpenAPI document served at /docs (omit to serve none). */
  openApi?: { title: string; description: string };
  /** Answer CORS for the web app's origins (`CORS_ORIGINS`): the APIs a browser calls turn this on. */
  cors?: boolean;
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
  // No proxy trust: X-Forwarded-For from clients must not pick the rate-limit key.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: false,
    // One id per request, taken from X-Request-Id when the caller sent a sane one.
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
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
  // The API speaks JSON objects only: other bodies are refused before any handler runs.
  fastify.addHook('preValidation', (request, reply, done) => {
    if (request.body === undefined || request.body === null) return done();
    const type = String(request.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(type)) {
      void reply
        .status(415)
        .send(toErrorBody(new UnsupportedMediaTypeException('send JSON (Content-Type: application/json)')));
      return;
    }
    if (typeof request.body !== 'object' || Array.isArray(request.body)) {
      void reply.status(400).send(toErrorBody(new BadRequestException('request body must be a JSON object')));
      return;
    }
    done();
  });
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

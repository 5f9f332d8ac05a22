import { INestApplication, Logger as NestLogger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { FeedlineConfig, feedlineConfig } from '@app/config';
import { HttpMetrics } from '@app/observability';
import { HttpErrorFilter, toErrorBody } from './http-error.filter';
import { createValidationPipe } from './validation';

/** Request bodies are small JSON documents; anything larger is refused with 413. */
const BODY_LIMIT_BYTES = 16 * 1024;

export interface HttpAppOptions {
  /** Title and description of the OpenAPI document served at /docs (omit to serve none). */
  openApi?: { title: string; description: string };
}

/** Creates a Feedline HTTP app: Fastify, JSON logs, validation, uniform errors, metrics. */
export async function createHttpApp(module: Type, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  // Errors Fastify raises before Nest sees the request (bad JSON, 413, 415).
  fastify.setErrorHandler((error, _request, reply) => {
    const body = toErrorBody(error);
    void reply.status(body.statusCode).send(body);
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

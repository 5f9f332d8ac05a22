import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { FeedlineConfig } from '@app/config';

const QUIET_ROUTES = new Set(['/health', '/metrics']);

/** Structured JSON logs; each request carries an id (taken from X-Request-Id or made up). */
export function loggerOptions(app: string, config: FeedlineConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { app },
      // Fastify assigns the id (from X-Request-Id when sane, see libs/http) and echoes it.
      genReqId: (req: IncomingMessage) => (req as { id?: string }).id ?? randomUUID(),
      autoLogging: { ignore: (req) => QUIET_ROUTES.has((req.url ?? '').split('?')[0]) },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}

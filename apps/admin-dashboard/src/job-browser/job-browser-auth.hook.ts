import { HttpException, Injectable, OnModuleInit, UnauthorizedException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toErrorBody } from '@app/http';
import { AdminSessionService } from '../auth/admin-session.service';

/** Where bull-board is mounted. */
export const JOB_BROWSER_ROUTE = '/queues';

/**
 * bull-board's routes are plain Fastify routes, out of reach of Nest guards:
 * this onRequest hook puts them behind the same admin check. It matches on
 * the route Fastify resolved (not the raw URL), so no spelling of a path
 * reaches a bull-board handler without passing here.
 */
@Injectable()
export class JobBrowserAuth implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly sessions: AdminSessionService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request, reply) => {
      const route = request.routeOptions.url;
      if (route === undefined || (route !== JOB_BROWSER_ROUTE && !route.startsWith(`${JOB_BROWSER_ROUTE}/`)))
        return;
      try {
        await this.sessions.authenticate(request);
      } catch (error) {
        return refuse(request, reply, error);
      }
    });
  }
}

function refuse(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  // A person opening the job browser without a session is sent to log in (and back); API calls get the status.
  const wantsPage = request.method === 'GET' && /\btext\/html\b/.test(request.headers.accept ?? '');
  if (error instanceof UnauthorizedException && wantsPage) {
    return reply
      .header('Cache-Control', 'no-store')
      .redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  }
  const body = toErrorBody(error instanceof HttpException ? error : new UnauthorizedException());
  return reply.status(body.statusCode).send(body);
}

import { Controller, Get, Header, HttpCode, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HEARTBEAT_MS, MAX_BUFFERED_BYTES } from './streaming.constants';
import { StreamAuth, tokenFrom } from './stream-auth';
import { UserStreams } from './user-streams.service';

/** Mastodon's server-sent-events form of the user stream. */
@Controller('api/v1/streaming')
export class StreamingController {
  constructor(
    private readonly streams: UserStreams,
    private readonly auth: StreamAuth,
  ) {}

  @Get('health')
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  health(): string {
    return 'OK';
  }

  /** `event: update` (Status JSON) and `event: delete` (status id); a `:thump` comment every 15 s keeps proxies from closing it. */
  @Get('user')
  async user(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = new URL(request.url, 'http://localhost').searchParams;
    const userId = await this.auth.userId(tokenFrom(request.headers, query));
    const raw = reply.raw;
    let heartbeat: NodeJS.Timeout | undefined;
    const stream = await this.streams.open(userId, ({ event, payload }) => {
      raw.write(`event: ${event}\ndata: ${payload}\n\n`);
      // A client that does not read is dropped rather than buffered without bound; it pages on reconnect.
      if (raw.writableLength > MAX_BUFFERED_BYTES) raw.destroy();
    });
    reply.hijack();
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    raw.write(':)\n\n');
    heartbeat = setInterval(() => raw.write(':thump\n\n'), HEARTBEAT_MS);
    raw.on('close', () => {
      clearInterval(heartbeat);
      heartbeat = undefined;
      stream.close();
    });
  }
}

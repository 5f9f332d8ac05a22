import { ArgumentsHost, Catch, ExceptionFilter, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/** On HTML pages, a visitor without a valid session is sent to the login page instead of a JSON 401. */
@Catch(UnauthorizedException)
export class LoginRedirectFilter implements ExceptionFilter {
  catch(_exception: UnauthorizedException, host: ArgumentsHost): void {
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('Cache-Control', 'no-store')
      .redirect('/login', 303);
  }
}

import {
  BadGatewayException,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';

const LOGIN_TIMEOUT_MS = 5000;

export interface IssuedToken {
  accessToken: string;
  /** Seconds until the token expires, as post-service states it. */
  expiresIn?: number;
}

/**
 * Post-service's login, called over HTTP: it holds the accounts and is the
 * only app that can sign tokens.
 */
@Injectable()
export class PostServiceClient {
  private readonly logger = new Logger(PostServiceClient.name);

  constructor(@InjectConfig() private readonly config: FeedlineConfig) {}

  async login(username: string, password: string): Promise<IssuedToken> {
    const url = new URL('/auth/login', this.config.postServiceUrl);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ username, password }),
        signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
      });
    } catch (error) {
      this.logger.error({ err: error, url: url.origin }, 'post-service unreachable for login');
      throw new BadGatewayException('post-service is unreachable; try again shortly');
    }
    const body = (await response.json().catch(() => undefined)) as
      { accessToken?: unknown; expiresIn?: unknown } | undefined;
    if (response.status === 200 && typeof body?.accessToken === 'string') {
      return {
        accessToken: body.accessToken,
        expiresIn: typeof body.expiresIn === 'number' ? body.expiresIn : undefined,
      };
    }
    if (response.status === 401) throw new UnauthorizedException('Invalid username or password');
    if (response.status === 429) {
      throw new HttpException(
        'Too many login attempts; wait a minute and try again',
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    this.logger.error(
      { status: response.status, url: url.origin },
      'unexpected answer from post-service login',
    );
    throw new BadGatewayException('post-service could not log you in; try again shortly');
  }
}

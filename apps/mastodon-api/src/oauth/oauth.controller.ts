import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { AccountsService } from '@app/accounts';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { Caller, RequireScopes } from '../auth/mastodon-auth.guard';
import type { MastodonCaller } from '../auth/token-resolver';
import { TokenResolver } from '../auth/token-resolver';
import { RateLimit } from '../rate-limit';
import { authorizePage, codePage, errorPage, PAGE_HEADERS } from './authorize-page';
import { CreateAppDto, OOB_REDIRECT_URI } from './dto/create-app.dto';
import { ApplicationEntity, AuthorizationRequest, OAuthProtocolError, OAuthService } from './oauth.service';
import { newSecret } from './secrets';

const CSRF_COOKIE = 'feedline_oauth_csrf';

type Form = Record<string, unknown>;

/** App registration and OAuth 2 (authorization code with PKCE, client credentials, revocation). */
@Controller()
export class OAuthController {
  constructor(
    private readonly oauth: OAuthService,
    private readonly accounts: AccountsService,
    private readonly resolver: TokenResolver,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  @Post('api/v1/apps')
  @HttpCode(200)
  @RateLimit('signup')
  register(@Body() dto: CreateAppDto): Promise<ApplicationEntity> {
    return this.oauth.register(dto);
  }

  @Get('api/v1/apps/verify_credentials')
  @RequireScopes()
  async verifyApp(@Caller() caller: MastodonCaller, @Res() reply: FastifyReply): Promise<void> {
    const app = caller.applicationId ? await this.oauth.describeById(caller.applicationId) : null;
    if (!app) {
      void reply.status(401).send({ error: 'The access token is invalid' });
      return;
    }
    void reply.send({ name: app.name, website: app.website, scopes: app.scopes, vapid_key: '' });
  }

  /** The login and consent page. A double-submit cookie guards its form against cross-site posts. */
  @Get('oauth/authorize')
  async authorizeForm(@Query() query: Form, @Res() reply: FastifyReply): Promise<void> {
    let request: AuthorizationRequest;
    try {
      request = await this.oauth.checkAuthorization(query);
    } catch (error) {
      return this.sendError(reply, error);
    }
    const csrf = newSecret();
    void reply
      .status(200)
      .headers({ ...PAGE_HEADERS, 'set-cookie': this.csrfCookie(csrf) })
      .send(authorizePage(request, csrf));
  }

  @Post('oauth/authorize')
  @RateLimit('login')
  async authorize(
    @Body() form: Form,
    @Req() http: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    let request: AuthorizationRequest;
    try {
      request = await this.oauth.checkAuthorization(form);
    } catch (error) {
      return this.sendError(reply, error);
    }
    const cookie = parseCookies(http.headers.cookie ?? '')[CSRF_COOKIE];
    if (!cookie || typeof form.csrf !== 'string' || !sameText(cookie, form.csrf)) {
      void reply
        .status(403)
        .headers(PAGE_HEADERS)
        .send(errorPage('This form has expired or was not sent from this site. Go back and start again.'));
      return;
    }
    let userId: string | null = null;
    if (form.decision !== 'deny') {
      try {
        const user = await this.accounts.authenticate(
          typeof form.username === 'string' ? form.username : '',
          typeof form.password === 'string' ? form.password : '',
        );
        userId = String(user.id);
      } catch {
        const csrf = newSecret();
        void reply
          .status(401)
          .headers({ ...PAGE_HEADERS, 'set-cookie': this.csrfCookie(csrf) })
          .send(authorizePage(request, csrf, 'Invalid username or password.'));
        return;
      }
    }
    const result = await this.oauth.authorize(request, userId);
    const cleared = serializeCookie(CSRF_COOKIE, '', {
      path: '/oauth',
      maxAge: 0,
      httpOnly: true,
      sameSite: 'strict',
    });
    if (request.redirectUri === OOB_REDIRECT_URI) {
      void reply
        .status(result.code ? 200 : 403)
        .headers({ ...PAGE_HEADERS, 'set-cookie': cleared })
        .send(result.code ? codePage(result.code) : errorPage('You denied the application access.'));
      return;
    }
    void reply
      .status(302)
      .headers({ 'cache-control': 'no-store', 'set-cookie': cleared, location: result.location })
      .send();
  }

  @Post('oauth/token')
  @HttpCode(200)
  async token(@Body() body: Form, @Req() http: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      void reply
        .header('cache-control', 'no-store')
        .send(await this.oauth.token(body ?? {}, http.headers.authorization));
    } catch (error) {
      this.sendOAuthError(reply, error);
    }
  }

  @Post('oauth/revoke')
  @HttpCode(200)
  async revoke(@Body() body: Form, @Res() reply: FastifyReply): Promise<void> {
    try {
      const token = await this.oauth.revoke(body ?? {});
      if (token) this.resolver.forget(token);
      void reply.send({});
    } catch (error) {
      this.sendOAuthError(reply, error);
    }
  }

  private csrfCookie(value: string): string {
    return serializeCookie(CSRF_COOKIE, value, {
      path: '/oauth',
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.mastodon.publicUrl.startsWith('https:'),
      maxAge: 1800,
    });
  }

  private sendError(reply: FastifyReply, error: unknown): void {
    if (!(error instanceof OAuthProtocolError)) throw error;
    void reply.status(error.status).headers(PAGE_HEADERS).send(errorPage(error.message));
  }

  private sendOAuthError(reply: FastifyReply, error: unknown): void {
    if (!(error instanceof OAuthProtocolError)) throw error;
    void reply
      .status(error.status)
      .header('cache-control', 'no-store')
      .send({ error: error.error, error_description: error.message });
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

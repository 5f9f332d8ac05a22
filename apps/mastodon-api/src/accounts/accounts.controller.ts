import { Controller, Get, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UsersRepository } from '@app/accounts';
import type { User } from '@app/database';
import { FeedService } from '@app/feed';
import { FollowsService } from '@app/follows';
import { ParseIdPipe } from '@app/http';
import { CallerUserId, RequireScopes } from '../auth/mastodon-auth.guard';
import type { MastodonAccount, MastodonRelationship, MastodonStatus } from '../entities/entities';
import { InstanceService } from '../instance/instance.service';
import { linkHeader } from '../link-header';
import { PageQueryDto, pageWindow } from '../timelines/dto/page-query.dto';
import { AccountStatusesQueryDto, isTrue } from './dto/account-statuses-query.dto';
import { LookupQueryDto } from './dto/lookup-query.dto';
import { RelationshipsQueryDto } from './dto/relationships-query.dto';
import { MastodonRepository } from './mastodon.repository';
import { PresenterService } from './presenter.service';

@Controller('api/v1/accounts')
export class AccountsController {
  constructor(
    private readonly users: UsersRepository,
    private readonly repository: MastodonRepository,
    private readonly presenter: PresenterService,
    private readonly follows: FollowsService,
    private readonly feed: FeedService,
    private readonly instance: InstanceService,
  ) {}

  @Get('verify_credentials')
  @RequireScopes('read:accounts', 'profile')
  async verifyCredentials(@CallerUserId() userId: number): Promise<MastodonAccount> {
    const user = await this.user(userId);
    const counts = await this.repository.statusesCounts([userId]);
    return this.presenter.mapper.credentialAccount({ ...user, statusesCount: counts.get(userId) ?? 0 });
  }

  @Get('lookup')
  async lookup(@Query() query: LookupQueryDto): Promise<MastodonAccount> {
    const [username, domain] = query.acct.replace(/^@/, '').split('@');
    if (domain !== undefined && domain.toLowerCase() !== this.instance.domain.toLowerCase()) {
      throw new NotFoundException('Record not found');
    }
    const user = await this.users.findByUsername(username);
    if (!user) throw new NotFoundException('Record not found');
    return this.presenter.account(user);
  }

  @Get('relationships')
  @RequireScopes('read:follows')
  async relationships(
    @CallerUserId() userId: number,
    @Query() query: RelationshipsQueryDto,
  ): Promise<MastodonRelationship[]> {
    const ids = [...new Set(query.id.map(Number))];
    const known = new Set((await this.repository.usersByIds(ids)).map((user) => Number(user.id)));
    const { following, followedBy } = await this.repository.relationships(userId, ids);
    return ids
      .filter((id) => known.has(id))
      .map((id) => this.presenter.mapper.relationship(String(id), following.has(id), followedBy.has(id)));
  }

  @Get(':id')
  async get(@Param('id', ParseIdPipe) id: number): Promise<MastodonAccount> {
    return this.presenter.account(await this.user(id));
  }

  /** An account's posts, newest first; `max_id` pages through the author timeline (Redis, then PostgreSQL). */
  @Get(':id/statuses')
  async statuses(
    @Param('id', ParseIdPipe) id: number,
    @Query() query: AccountStatusesQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MastodonStatus[]> {
    const author = await this.user(id);
    // No media, pins or tags exist, so those filters leave nothing; replies and boosts do not exist either.
    if (isTrue(query.only_media) || isTrue(query.pinned) || query.tagged) return [];
    const window = pageWindow(query);
    let posts: Array<{ id: string | bigint; content: string; createdAt: string | Date }>;
    if (window.minId !== undefined || window.sinceId !== undefined) {
      posts = await this.repository.authorPostsAbove(id, window);
    } else {
      posts = (await this.feed.authorPosts(id, window.maxId ?? 0, window.limit)).items;
    }
    const statuses = await this.presenter.statusesOf(author, posts);
    this.link(
      reply,
      `${id}/statuses`,
      statuses.map((status) => status.id),
      query.limit,
    );
    return statuses;
  }

  @Post(':id/follow')
  @RequireScopes('write:follows')
  async follow(
    @CallerUserId() userId: number,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<MastodonRelationship> {
    await this.user(id);
    await this.follows.follow(userId, id);
    return this.relationship(userId, id);
  }

  @Post(':id/unfollow')
  @RequireScopes('write:follows')
  async unfollow(
    @CallerUserId() userId: number,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<MastodonRelationship> {
    await this.user(id);
    await this.follows.unfollow(userId, id);
    return this.relationship(userId, id);
  }

  @Get(':id/followers')
  followers(
    @Param('id', ParseIdPipe) id: number,
    @Query() query: PageQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MastodonAccount[]> {
    return this.followList(id, 'followers', query, reply);
  }

  @Get(':id/following')
  following(
    @Param('id', ParseIdPipe) id: number,
    @Query() query: PageQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MastodonAccount[]> {
    return this.followList(id, 'following', query, reply);
  }

  private async followList(
    id: number,
    direction: 'followers' | 'following',
    query: PageQueryDto,
    reply: FastifyReply,
  ): Promise<MastodonAccount[]> {
    await this.user(id);
    const ids = await this.repository.followList(id, direction, pageWindow(query));
    this.link(reply, `${id}/${direction}`, ids.map(String), query.limit);
    return this.presenter.accountsByIds(ids);
  }

  private async relationship(userId: number, id: number): Promise<MastodonRelationship> {
    const { following, followedBy } = await this.repository.relationships(userId, [id]);
    return this.presenter.mapper.relationship(String(id), following.has(id), followedBy.has(id));
  }

  private link(reply: FastifyReply, path: string, ids: string[], limit: number): void {
    const link = linkHeader(`${this.instance.baseUrl}/api/v1/accounts/${path}`, ids, {
      limit: String(limit),
    });
    if (link) void reply.header('link', link);
  }

  private async user(id: number): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException('Record not found');
    return user;
  }
}

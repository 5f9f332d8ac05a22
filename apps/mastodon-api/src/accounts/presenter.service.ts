import { Injectable } from '@nestjs/common';
import type { User } from '@app/database';
import type { FeedItem } from '@app/feed';
import { EntityMapper, MastodonAccount, MastodonStatus, StatusSource } from '../entities/entities';
import { InstanceService } from '../instance/instance.service';
import { MastodonRepository } from './mastodon.repository';

/** Builds entities from rows, loading each page's accounts in two queries (users, post counts). */
@Injectable()
export class PresenterService {
  readonly mapper: EntityMapper;

  constructor(
    private readonly repository: MastodonRepository,
    instance: InstanceService,
  ) {
    this.mapper = new EntityMapper(instance.baseUrl, instance.pictureUrl);
  }

  async accounts(users: User[]): Promise<MastodonAccount[]> {
    const counts = await this.repository.statusesCounts(users.map((user) => Number(user.id)));
    return users.map((user) =>
      this.mapper.account({ ...user, statusesCount: counts.get(Number(user.id)) ?? 0 }),
    );
  }

  async account(user: User): Promise<MastodonAccount> {
    return (await this.accounts([user]))[0];
  }

  /** Accounts by id, in the order given (unknown ids left out). */
  async accountsByIds(ids: number[]): Promise<MastodonAccount[]> {
    const users = new Map((await this.repository.usersByIds(ids)).map((user) => [Number(user.id), user]));
    return this.accounts(ids.flatMap((id) => users.get(id) ?? []));
  }

  /** Statuses of one author. */
  async statusesOf(author: User, posts: StatusSource[]): Promise<MastodonStatus[]> {
    const account = await this.account(author);
    return posts.map((post) => this.mapper.status(post, account));
  }

  /** A feed page as statuses. */
  async feedStatuses(items: FeedItem[]): Promise<MastodonStatus[]> {
    const authorIds = [...new Set(items.map((item) => Number(item.author.id)))];
    const accounts = new Map((await this.accountsByIds(authorIds)).map((account) => [account.id, account]));
    return items.flatMap((item) => {
      const account = accounts.get(item.author.id);
      return account ? [this.mapper.status(item, account)] : [];
    });
  }
}

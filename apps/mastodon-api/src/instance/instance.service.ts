import { Injectable } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { PrismaService } from '@app/database';

/** Claimed Mastodon API version: clients read it to pick features; ours is the 4.x core we serve. */
export const MASTODON_API_VERSION = '4.3.0';
export const FEEDLINE_VERSION = '0.1.0';
export const MAX_CHARACTERS = 500;

/** How long the usage figures (users, posts) are reused: counting is not free on large tables. */
const STATS_TTL_MS = 60_000;

export interface InstanceStats {
  users: number;
  posts: number;
}

/** The server's public description, for /api/v1/instance, /api/v2/instance and NodeInfo. */
@Injectable()
export class InstanceService {
  private stats: { value: InstanceStats; until: number } | undefined;

  constructor(
    private readonly prisma: PrismaService,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  get baseUrl(): string {
    return this.config.mastodon.publicUrl;
  }

  get domain(): string {
    return new URL(this.baseUrl).host;
  }

  /** Where clients open the streaming API (ws:// or wss://, the same host). */
  get streamingUrl(): string {
    return this.baseUrl.replace(/^http/, 'ws');
  }

  get version(): string {
    return `${MASTODON_API_VERSION} (compatible; Feedline ${FEEDLINE_VERSION})`;
  }

  /** The placeholder picture for avatars, headers and the instance thumbnail. */
  get pictureUrl(): string {
    return `${this.baseUrl}/avatars/original/missing.png`;
  }

  async usage(): Promise<InstanceStats> {
    if (this.stats && Date.now() < this.stats.until) return this.stats.value;
    // Estimates from the planner's statistics for posts: exact counts scan the table.
    const [users, [estimate]] = await Promise.all([
      this.prisma.user.count(),
      this.prisma.$queryRaw<[{ posts: number }]>`
        SELECT GREATEST(reltuples, 0)::bigint::int AS posts FROM pg_class WHERE relname = 'posts'`,
    ]);
    const value = { users, posts: estimate?.posts ?? 0 };
    this.stats = { value, until: Date.now() + STATS_TTL_MS };
    return value;
  }
}

export { FeedModule } from './feed.module';
export { FeedService } from './feed.service';
export type { FeedAuthor, FeedItem, FeedPage } from './feed-page';

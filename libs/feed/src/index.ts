export { FeedModule } from './feed.module';
export { FeedService } from './feed.service';
export { Hydrator } from './hydrator';
export { FEED_VIA } from './feed-page';
export type { FeedAuthor, FeedItem, FeedPage, FeedVia } from './feed-page';
export { HomePaging } from './home-paging.service';
export type { HomePageQuery, HomeTimelinePage } from './home-paging.service';

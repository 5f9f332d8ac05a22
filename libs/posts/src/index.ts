export { PostsModule } from './posts.module';
export { PostsService } from './posts.service';
export type { CreatedPost } from './posts.service';
export { parseIdempotencyKey } from './idempotency';
export type { CreatePostOptions } from './idempotency';
export { POST_TEXT_RULES } from './post-rules';

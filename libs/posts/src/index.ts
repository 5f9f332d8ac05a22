export { PostsModule } from './posts.module';
export { PostsService } from './posts.service';
export { POST_TEXT_RULES } from './post-rules';

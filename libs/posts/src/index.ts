export { PostsModule } from './posts.module';
export { PostsService } from './posts.service';

export { FollowsModule } from './follows.module';
export { FollowsService } from './follows.service';
export { lockUsers } from './user-lock';
export type { LockedUser } from './user-lock';

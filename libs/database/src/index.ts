export { DatabaseModule } from './database.module';
export { PrismaService } from './prisma.service';
export { Prisma, Delivery, Role } from './generated/prisma/client';
export type {
  User,
  Post,
  Follow,
  OutboxEvent,
  OAuthApplication,
  OAuthAccessToken,
  OAuthAuthorizationCode,
} from './generated/prisma/client';

export { DatabaseModule } from './database.module';
export { PrismaService } from './prisma.service';
export { Prisma, Delivery, Role } from './generated/prisma/client';
export type { User, Post, Follow, OutboxEvent } from './generated/prisma/client';

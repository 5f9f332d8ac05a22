import { ConflictException, Injectable } from '@nestjs/common';
import { Prisma, PrismaService, Role, User } from '@app/database';

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates a user; a taken username (in any letter case) is a 409. */
  async create(data: {
    username: string;
    displayName: string;
    passwordHash: string;
    role?: Role;
  }): Promise<User> {
    try {
      return await this.prisma.user.create({ data: { ...data, usernameKey: data.username.toLowerCase() } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new ConflictException('username is already taken');
      }
      throw error;
    }
  }

  findByUsername(username: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { usernameKey: username.toLowerCase() } });
  }

  findById(id: number): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id: BigInt(id) } });
  }

  /** Makes sure `username` exists as an admin with this password hash. */
  upsertAdmin(username: string, passwordHash: string): Promise<User> {
    return this.prisma.user.upsert({
      where: { usernameKey: username.toLowerCase() },
      create: {
        username,
        usernameKey: username.toLowerCase(),
        displayName: username,
        passwordHash,
        role: Role.ADMIN,
      },
      update: { passwordHash, role: Role.ADMIN },
    });
  }
}

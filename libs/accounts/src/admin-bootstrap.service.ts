import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { FeedlineConfig, InjectConfig } from '@app/config';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

/** The first admin: ADMIN_USERNAME exists with the admin role and ADMIN_PASSWORD, when both are set. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    @InjectConfig() private readonly config: FeedlineConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { username, password } = this.config.admin;
    if (!username || !password) return;
    const existing = await this.users.findByUsername(username);
    if (existing?.role === 'ADMIN' && (await this.passwords.verify(existing.passwordHash, password))) return;
    await this.users.upsertAdmin(username, await this.passwords.hash(password));
    this.logger.log({ username }, 'admin account ready');
  }
}

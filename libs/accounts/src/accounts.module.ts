import { DynamicModule, Module } from '@nestjs/common';
import { TimelinesModule } from '@app/timelines';
import { AccountsService } from './accounts.service';
import { AdminBootstrap } from './admin-bootstrap.service';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

export interface AccountsModuleOptions {
  /** Make sure ADMIN_USERNAME exists at start (one app does: post-service). */
  ensureAdmin?: boolean;
}

/** Accounts: signup, login, password hashing, user lookups, the first admin. Needs `AuthModule` (token issuer). */
@Module({})
export class AccountsModule {
  static register(options: AccountsModuleOptions = {}): DynamicModule {
    return {
      module: AccountsModule,
      imports: [TimelinesModule],
      providers: [
        AccountsService,
        UsersRepository,
        PasswordHasher,
        ...(options.ensureAdmin ? [AdminBootstrap] : []),
      ],
      exports: [AccountsService, UsersRepository],
    };
  }
}

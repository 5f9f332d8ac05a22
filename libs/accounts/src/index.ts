export { AccountsModule } from './accounts.module';
export type { AccountsModuleOptions } from './accounts.module';
export { AccountsService } from './accounts.service';
export type { AccountSession, SignupInput } from './accounts.service';
export { UsersRepository } from './users.repository';

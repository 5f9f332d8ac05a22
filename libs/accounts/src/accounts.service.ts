import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { TokenService } from '@app/auth';
import type { User } from '@app/database';
import { TimelineStore } from '@app/timelines';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

export interface SignupInput {
  username: string;
  password: string;
  displayName?: string;
}

/** A signed-in account: the user and a fresh access token. */
export interface AccountSession {
  user: User;
  accessToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

/** Signup and login: passwords hashed with argon2id, access tokens issued by `@app/auth`. */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly timelines: TimelineStore,
  ) {}

  /** A taken username (in any letter case) is a 409. */
  async signup(input: SignupInput): Promise<AccountSession> {
    const user = await this.users.create({
      username: input.username,
      displayName: input.displayName ?? input.username,
      passwordHash: await this.passwords.hash(input.password),
    });
    await this.startEmptyTimeline(user);
    return this.session(user);
  }

  async login(username: string, password: string): Promise<AccountSession> {
    return this.session(await this.authenticate(username, password));
  }

  /** The account these credentials belong to; 401 otherwise (an unknown name takes as long as a wrong password). */
  async authenticate(username: string, password: string): Promise<User> {
    const user = await this.users.findByUsername(username);
    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !valid) throw new UnauthorizedException('Invalid username or password');
    return user;
  }

  private async session(user: User): Promise<AccountSession> {
    const { accessToken, expiresIn } = await this.tokens.issue({
      id: String(user.id),
      username: user.username,
      role: user.role,
    });
    return { user, accessToken, expiresIn };
  }

  /** A new account follows nobody and has no posts: its timeline is known to be empty, no rebuild needed. */
  private async startEmptyTimeline(user: User): Promise<void> {
    const id = Number(user.id);
    try {
      if (await this.timelines.claimHome(id, [], [])) await this.timelines.finishHome(id, [], 0);
    } catch (error) {
      this.logger.warn(
        { err: error, userId: id },
        'could not start the timeline; the first feed read will rebuild it',
      );
    }
  }
}

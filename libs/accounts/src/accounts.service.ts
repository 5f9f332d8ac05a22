import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { TokenService } from '@app/auth';
import type { User } from '@app/database';
import { TimelineStore } from '@app/timelines';
import { UserResponseDto } from '../users/dto/user-response.dto';
import { UsersRepository } from '../users/users.repository';
import { AuthResponseDto } from './dto/auth-response.dto';
import { LoginDto } from './dto/login.dto';
import { SignupDto } from './dto/signup.dto';
import { PasswordHasher } from './password-hasher';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly timelines: TimelineStore,
  ) {}

  async signup(dto: SignupDto): Promise<AuthResponseDto> {
    const user = await this.users.create({
      username: dto.username,
      displayName: dto.displayName ?? dto.username,
      passwordHash: await this.passwords.hash(dto.password),
    });
    await this.startEmptyTimeline(user);
    return this.respond(user);
  }

  async login(dto: LoginDto): Promise<AuthResponseDto> {
    const user = await this.users.findByUsername(dto.username);
    const valid = await this.passwords.verify(user?.passwordHash, dto.password);
    if (!user || !valid) throw new UnauthorizedException('Invalid username or password');
    return this.respond(user);
  }

  private async respond(user: User): Promise<AuthResponseDto> {
    const { accessToken, expiresIn } = await this.tokens.issue({
      id: String(user.id),
      username: user.username,
      role: user.role,
    });
    return { user: UserResponseDto.from(user), accessToken, tokenType: 'Bearer', expiresIn };
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

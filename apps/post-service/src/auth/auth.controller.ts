import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AccountSession, AccountsService } from '@app/accounts';
import { RateLimit } from '../rate-limit/rate-limit';
import { UserResponseDto } from '../users/dto/user-response.dto';
import { AuthResponseDto } from './dto/auth-response.dto';
import { LoginDto } from './dto/login.dto';
import { SignupDto } from './dto/signup.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('signup')
  @RateLimit('signup')
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiConflictResponse({ description: 'username is already taken' })
  @ApiTooManyRequestsResponse()
  async signup(@Body() dto: SignupDto): Promise<AuthResponseDto> {
    return toResponse(await this.accounts.signup(dto));
  }

  @Post('login')
  @HttpCode(200)
  @RateLimit('login')
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiUnauthorizedResponse({ description: 'Invalid username or password' })
  @ApiTooManyRequestsResponse()
  async login(@Body() dto: LoginDto): Promise<AuthResponseDto> {
    return toResponse(await this.accounts.login(dto.username, dto.password));
  }
}

function toResponse({ user, accessToken, expiresIn }: AccountSession): AuthResponseDto {
  return { user: UserResponseDto.from(user), accessToken, tokenType: 'Bearer', expiresIn };
}

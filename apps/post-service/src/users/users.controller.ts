import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UsersRepository } from '@app/accounts';
import { ParseIdPipe } from '@app/http';
import { LookupQueryDto } from './dto/lookup-query.dto';
import { UserResponseDto } from './dto/user-response.dto';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersRepository) {}

  /** A profile by username (the web app's `/@username` pages). */
  @Get('lookup')
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse()
  async lookup(@Query() query: LookupQueryDto): Promise<UserResponseDto> {
    const user = await this.users.findByUsername(query.username);
    if (!user) throw new NotFoundException(`no user named ${query.username}`);
    return UserResponseDto.from(user);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserResponseDto })
  @ApiNotFoundResponse()
  async get(@Param('id', ParseIdPipe) id: number): Promise<UserResponseDto> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException(`user ${id} not found`);
    return UserResponseDto.from(user);
  }
}

import { Controller, Delete, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, JwtAuthGuard } from '@app/auth';
import { FollowsService } from '@app/follows';
import { ParseIdPipe } from '@app/http';

@ApiTags('follows')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('users/:id/follow')
export class FollowsController {
  constructor(private readonly follows: FollowsService) {}

  @Put()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Following (idempotent)' })
  @ApiNotFoundResponse()
  follow(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.follows.follow(Number(user.id), id);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Not following (idempotent)' })
  @ApiNotFoundResponse()
  unfollow(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.follows.unfollow(Number(user.id), id);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, JwtAuthGuard } from '@app/auth';
import { FollowsService } from '@app/follows';
import { ParseIdPipe } from '@app/http';
import { FollowDto } from './dto/follow.dto';
import { RelationshipResponseDto } from './dto/relationship-response.dto';

@ApiTags('follows')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('users/:id')
export class FollowsController {
  constructor(private readonly follows: FollowsService) {}

  @Get('relationship')
  @ApiOkResponse({ type: RelationshipResponseDto })
  @ApiNotFoundResponse()
  relationship(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<RelationshipResponseDto> {
    return this.follows.relationship(Number(user.id), id);
  }

  @Put('follow')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Following (idempotent); the bell set when `notify` is given' })
  @ApiNotFoundResponse()
  follow(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: FollowDto,
  ): Promise<void> {
    return this.follows.follow(Number(user.id), id, body.notify);
  }

  @Delete('follow')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Not following (idempotent)' })
  @ApiNotFoundResponse()
  unfollow(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.follows.unfollow(Number(user.id), id);
  }
}

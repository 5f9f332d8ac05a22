import { Body, Controller, Delete, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, JwtAuthGuard } from '@app/auth';
import { PushSubscriptionsService } from '@app/push';
import { PushConfigResponseDto } from './dto/push-config-response.dto';
import { PushSubscriptionDto } from './dto/push-subscription.dto';
import { PushUnsubscribeDto } from './dto/push-unsubscribe.dto';

/** Web Push opt-in: the key browsers subscribe with, and the subscriptions they hand back. */
@ApiTags('push')
@Controller('push')
export class PushController {
  constructor(private readonly push: PushSubscriptionsService) {}

  @Get('config')
  @ApiOkResponse({ type: PushConfigResponseDto })
  @ApiNotFoundResponse({ description: 'Push is not configured on this server' })
  config(): PushConfigResponseDto {
    return { vapidPublicKey: this.push.vapidPublicKey() };
  }

  @Post('subscriptions')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  @ApiNoContentResponse({
    description: "Stored for this user (a known endpoint is taken over: it is one browser's)",
  })
  subscribe(@CurrentUser() user: AuthUser, @Body() body: PushSubscriptionDto): Promise<void> {
    return this.push.subscribe(Number(user.id), body.endpoint, body.keys);
  }

  @Delete('subscriptions')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  @ApiNoContentResponse({ description: 'Removed (idempotent; only your own)' })
  unsubscribe(@CurrentUser() user: AuthUser, @Body() body: PushUnsubscribeDto): Promise<void> {
    return this.push.unsubscribe(Number(user.id), body.endpoint);
  }
}

import { Body, Controller, Get, Post } from '@nestjs/common';
import { RequireScopes } from '../auth/mastodon-auth.guard';

/**
 * Routes Mastodon apps call when they start, for features Feedline does not
 * have: each answers a valid empty result rather than a 404, so apps open.
 */
@Controller('api')
export class PlaceholdersController {
  @Get('v1/notifications')
  @RequireScopes('read:notifications')
  notifications(): [] {
    return [];
  }

  @Get('v1/notifications/unread_count')
  @RequireScopes('read:notifications')
  unreadNotifications(): { count: number } {
    return { count: 0 };
  }

  @Get('v1/markers')
  @RequireScopes('read:statuses')
  markers(): object {
    return {};
  }

  /** Reading positions are not kept; accepted and forgotten. */
  @Post('v1/markers')
  @RequireScopes('write:statuses')
  saveMarkers(@Body() _body: Record<string, unknown>): object {
    return {};
  }

  @Get('v1/preferences')
  @RequireScopes('read:accounts')
  preferences(): object {
    return {
      'posting:default:visibility': 'public',
      'posting:default:sensitive': false,
      'posting:default:language': null,
      'reading:expand:media': 'default',
      'reading:expand:spoilers': false,
    };
  }

  @Get('v1/filters')
  @RequireScopes('read:filters')
  filtersV1(): [] {
    return [];
  }

  @Get('v2/filters')
  @RequireScopes('read:filters')
  filtersV2(): [] {
    return [];
  }

  @Get('v1/lists')
  @RequireScopes('read:lists')
  lists(): [] {
    return [];
  }

  @Get('v1/follow_requests')
  @RequireScopes('read:follows')
  followRequests(): [] {
    return [];
  }

  @Get('v1/blocks')
  @RequireScopes('read:blocks')
  blocks(): [] {
    return [];
  }

  @Get('v1/mutes')
  @RequireScopes('read:mutes')
  mutes(): [] {
    return [];
  }

  @Get('v1/favourites')
  @RequireScopes('read:favourites')
  favourites(): [] {
    return [];
  }

  @Get('v1/bookmarks')
  @RequireScopes('read:bookmarks')
  bookmarks(): [] {
    return [];
  }

  @Get('v1/conversations')
  @RequireScopes('read:statuses')
  conversations(): [] {
    return [];
  }

  @Get('v1/followed_tags')
  @RequireScopes('read:follows')
  followedTags(): [] {
    return [];
  }

  @Get('v1/announcements')
  announcements(): [] {
    return [];
  }

  @Get('v1/custom_emojis')
  customEmojis(): [] {
    return [];
  }

  @Get('v1/instance/peers')
  peers(): [] {
    return [];
  }

  @Get('v1/instance/rules')
  rules(): [] {
    return [];
  }

  @Get('v1/trends/tags')
  trendingTags(): [] {
    return [];
  }

  @Get('v1/trends/statuses')
  trendingStatuses(): [] {
    return [];
  }

  @Get('v1/trends/links')
  trendingLinks(): [] {
    return [];
  }
}

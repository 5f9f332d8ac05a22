import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FEED_VIA } from '@app/feed';
import type { FeedAuthor, FeedItem, FeedPage, FeedVia } from '@app/feed';

export class FeedAuthorDto implements FeedAuthor {
  @ApiProperty({ example: '42' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
}

export class FeedItemDto implements FeedItem {
  @ApiProperty({ example: '1060284764540928' }) id!: string;
  @ApiProperty() content!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: FeedAuthorDto }) author!: FeedAuthorDto;
  @ApiPropertyOptional({
    enum: FEED_VIA,
    description:
      'Home feed only: `pushed` = delivered into your home timeline when posted (your own posts too); ' +
      '`merged` = merged at read time from the author’s timeline (a celebrity; every author in pull mode)',
  })
  via?: FeedVia;
}

export class FeedPageDto implements FeedPage {
  @ApiProperty({ type: [FeedItemDto], description: 'Newest first, strictly by post id' })
  items!: FeedItemDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null at the end',
  })
  nextCursor!: string | null;
}

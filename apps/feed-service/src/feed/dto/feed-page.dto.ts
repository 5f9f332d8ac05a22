import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** How a post reached a home feed: pushed into the home timeline (fan-out on write), or merged at read time. */
export const FEED_VIA = ['pushed', 'merged'] as const;
export type FeedVia = (typeof FEED_VIA)[number];

export class FeedAuthorDto {
  @ApiProperty({ example: '42' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
}

export class FeedItemDto {
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

export class FeedPageDto {
  @ApiProperty({ type: [FeedItemDto], description: 'Newest first, strictly by post id' })
  items!: FeedItemDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null at the end',
  })
  nextCursor!: string | null;
}

import { ApiProperty } from '@nestjs/swagger';

export class RelationshipResponseDto {
  @ApiProperty({ description: 'You follow them' })
  following!: boolean;

  @ApiProperty({ description: 'They follow you' })
  followedBy!: boolean;

  @ApiProperty({ description: 'Your bell: notified of their new posts (false when not following)' })
  notify!: boolean;
}

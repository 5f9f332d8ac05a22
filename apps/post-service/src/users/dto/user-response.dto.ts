import { ApiProperty } from '@nestjs/swagger';
import type { User } from '@app/database';

export class UserResponseDto {
  @ApiProperty({ example: '42', description: 'Ids are strings (64-bit safe).' }) id!: string;
  @ApiProperty({ example: 'ada' }) username!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) displayName!: string;
  @ApiProperty() followerCount!: number;
  @ApiProperty() followingCount!: number;
  @ApiProperty({ description: 'Posts are merged into followers’ feeds at read time instead of pushed.' })
  isCelebrity!: boolean;
  @ApiProperty() createdAt!: string;

  static from(user: User): UserResponseDto {
    return {
      id: String(user.id),
      username: user.username,
      displayName: user.displayName,
      followerCount: user.followerCount,
      followingCount: user.followingCount,
      isCelebrity: user.isCelebrity,
      createdAt: user.createdAt.toISOString(),
    };
  }
}

import { ApiProperty } from '@nestjs/swagger';
import type { Post } from '@app/database';

export class PostResponseDto {
  @ApiProperty({ example: '1060284764540928', description: 'Time-sortable id; a string, 64-bit safe' })
  id!: string;
  @ApiProperty({ example: '42' }) authorId!: string;
  @ApiProperty() content!: string;
  @ApiProperty() createdAt!: string;

  static from(post: Post): PostResponseDto {
    return {
      id: String(post.id),
      authorId: String(post.authorId),
      content: post.content,
      createdAt: post.createdAt.toISOString(),
    };
  }
}

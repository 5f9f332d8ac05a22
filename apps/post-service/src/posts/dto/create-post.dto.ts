import { ApiProperty } from '@nestjs/swagger';
import { IsHumanText } from '@app/http';
import { POST_TEXT_RULES } from '@app/posts';

export const MAX_POST_CHARACTERS = POST_TEXT_RULES.max;

export class CreatePostDto {
  @ApiProperty({
    example: 'Hello, timeline!',
    description: `1-${MAX_POST_CHARACTERS} characters as a person counts them (an emoji is one); line breaks allowed`,
  })
  @IsHumanText(POST_TEXT_RULES)
  content!: string;
}

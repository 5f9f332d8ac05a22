import { ApiProperty } from '@nestjs/swagger';
import { IsHumanText } from '@app/http';

export const MAX_POST_CHARACTERS = 500;

export class CreatePostDto {
  @ApiProperty({
    example: 'Hello, timeline!',
    description: `1-${MAX_POST_CHARACTERS} characters as a person counts them (an emoji is one); line breaks allowed`,
  })
  @IsHumanText({ min: 1, max: MAX_POST_CHARACTERS, maxCodeUnits: 4000, multiline: true })
  content!: string;
}

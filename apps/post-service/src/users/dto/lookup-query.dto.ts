import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { USERNAME_PATTERN } from '../../auth/dto/signup.dto';

export class LookupQueryDto {
  @ApiProperty({ example: 'ada', description: 'A username, in any letter case' })
  @IsString({ message: 'username must be 3-30 letters, digits or underscores' })
  @Matches(USERNAME_PATTERN, { message: 'username must be 3-30 letters, digits or underscores' })
  username!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsHumanText } from '@app/http';

export const USERNAME_PATTERN = /^[a-zA-Z0-9_]{3,30}$/;

export class SignupDto {
  @ApiProperty({ example: 'ada', description: '3-30 letters, digits or underscores; unique ignoring case' })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 3-30 letters, digits or underscores' })
  username!: string;

  @ApiProperty({ example: 'correct horse battery', minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password!: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace', description: '1-50 characters; defaults to the username' })
  @IsOptional()
  @IsHumanText({ min: 1, max: 50, maxCodeUnits: 200 })
  displayName?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsHumanText } from '@app/http';

export const USERNAME_PATTERN = /^[a-zA-Z0-9_]{3,30}$/;

/** 50 characters as a person counts them, within the column's VarChar(64) (code points). */
const DISPLAY_NAME_RULES = { min: 1, max: 50, maxCodeUnits: 200, maxCodePoints: 64 };

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

  @ApiPropertyOptional({
    example: 'Ada Lovelace',
    description: '1-50 characters and at most 64 Unicode code points; defaults to the username',
  })
  @IsOptional()
  @IsHumanText(DISPLAY_NAME_RULES)
  displayName?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DecimalInt } from '@app/http';

export class FeedQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @DecimalInt()
  @IsInt({ message: 'limit must be an integer between 1 and 100' })
  @Min(1, { message: 'limit must be an integer between 1 and 100' })
  @Max(100, { message: 'limit must be an integer between 1 and 100' })
  limit: number = 20;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page; omit for the newest posts' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,15}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

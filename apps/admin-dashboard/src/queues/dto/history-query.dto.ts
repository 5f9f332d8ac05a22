import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DecimalInt } from '@app/http';

export class HistoryQueryDto {
  /** Only samples taken after this time (Unix ms): what a page that already has the rest asks for. */
  @IsOptional()
  @DecimalInt()
  @IsInt({ message: 'since must be a time in Unix milliseconds' })
  @Min(0, { message: 'since must be a time in Unix milliseconds' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'since must be a time in Unix milliseconds' })
  since?: number;
}

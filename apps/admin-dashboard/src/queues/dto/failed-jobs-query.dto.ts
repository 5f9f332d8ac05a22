import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DecimalInt } from '@app/http';

export class FailedJobsQueryDto {
  @IsOptional()
  @DecimalInt()
  @IsInt({ message: 'limit must be an integer between 1 and 100' })
  @Min(1, { message: 'limit must be an integer between 1 and 100' })
  @Max(100, { message: 'limit must be an integer between 1 and 100' })
  limit: number = 20;
}

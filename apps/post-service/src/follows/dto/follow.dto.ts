import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class FollowDto {
  @ApiPropertyOptional({
    description:
      'The bell: a push notification for each new post. Left out, it stays as it is (off for a new follow).',
  })
  @IsOptional()
  @IsBoolean({ message: 'notify must be true or false' })
  notify?: boolean;
}

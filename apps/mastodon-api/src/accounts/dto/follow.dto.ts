import { Transform } from 'class-transformer';
import { Allow, IsBoolean, IsOptional } from 'class-validator';

const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** POST /api/v1/accounts/:id/follow: `notify` is the bell (a push on each new post); the rest is accepted and ignored. */
export class FollowDto {
  @IsOptional()
  @Transform(bool)
  @IsBoolean({ message: 'notify must be true or false' })
  notify?: boolean;

  @Allow() reblogs?: unknown;
  @Allow() languages?: unknown;
}

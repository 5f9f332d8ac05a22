import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Min } from 'class-validator';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 40;
const ID = /^[1-9]\d{0,15}$/;
const ID_MESSAGE = (name: string) => ({ message: `${name} must be a status or account id` });

/**
 * Mastodon's paging parameters. `limit` above the maximum is lowered to it,
 * as Mastodon does (clients ask for more than servers give).
 */
export class PageQueryDto {
  @IsOptional() @Matches(ID, ID_MESSAGE('max_id')) max_id?: string;
  @IsOptional() @Matches(ID, ID_MESSAGE('since_id')) since_id?: string;
  @IsOptional() @Matches(ID, ID_MESSAGE('min_id')) min_id?: string;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string' || !/^\d{1,6}$/.test(value)) return value;
    return Math.min(Number(value), MAX_LIMIT);
  })
  @IsInt({ message: `limit must be an integer between 1 and ${MAX_LIMIT}` })
  @Min(1, { message: `limit must be an integer between 1 and ${MAX_LIMIT}` })
  limit: number = DEFAULT_LIMIT;
}

/** The window as numbers (ids below 2^53, checked by the pattern). */
export function pageWindow(query: PageQueryDto): {
  maxId?: number;
  sinceId?: number;
  minId?: number;
  limit: number;
} {
  const num = (value?: string) => (value === undefined ? undefined : Number(value));
  return {
    maxId: num(query.max_id),
    sinceId: num(query.since_id),
    minId: num(query.min_id),
    limit: query.limit,
  };
}

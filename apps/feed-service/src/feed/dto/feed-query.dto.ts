import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** A feed page request, as FeedQueryPipe parses it from `?limit=&cursor=`. */
export interface FeedQueryDto {
  limit: number;
  /** 0: the newest posts. */
  cursor: number;
}

/** Documents the two query parameters (the interface carries no metadata for Swagger). */
export const ApiFeedQuery = () =>
  applyDecorators(
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      schema: { type: 'string', pattern: '^[1-9]\\d{0,15}$' },
      description: 'The nextCursor of the previous page; omit for the newest posts',
    }),
  );

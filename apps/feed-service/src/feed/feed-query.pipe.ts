import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import type { FeedQueryDto } from './dto/feed-query.dto';

const LIMIT_MESSAGE = 'limit must be an integer between 1 and 100';
const CURSOR_MESSAGE = 'cursor must be the nextCursor of a previous page';
const CURSOR = /^[1-9]\d{0,15}$/;

/**
 * The feed's two query parameters, checked by hand: the same rules and
 * messages as the global ValidationPipe would give a class-validator DTO
 * (unknown parameters refused), without building and validating an object
 * per request on the hottest route.
 */
@Injectable()
export class FeedQueryPipe implements PipeTransform<Record<string, unknown>, FeedQueryDto> {
  transform(query: Record<string, unknown>): FeedQueryDto {
    let limit = 20;
    let cursor = 0;
    const problems: string[] = [];
    for (const name in query) {
      const value = query[name];
      if (name === 'limit') {
        // Decimal digits only: Number() would also take `0x10`, `1e1` and ` 16`.
        limit = typeof value === 'string' && /^[1-9]\d{0,2}$/.test(value) ? Number(value) : NaN;
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) problems.push(LIMIT_MESSAGE);
      } else if (name === 'cursor') {
        if (typeof value === 'string' && CURSOR.test(value)) cursor = Number(value);
        else problems.push(CURSOR_MESSAGE);
      } else {
        problems.push(`property ${name} should not exist`);
      }
    }
    if (problems.length > 0) throw new BadRequestException(problems);
    return { limit, cursor };
  }
}

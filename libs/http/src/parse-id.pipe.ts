import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

const DECIMAL_ID = /^[1-9]\d{0,15}$/;

/**
 * Route ids are positive decimal integers below 2^53 (JSON carries them as
 * strings), in their one canonical spelling: `0x10`, `1e1`, `010`, `+16` or
 * `16.0` never name user 16. (It needs the raw string: see validation.ts.)
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    const id = Number(value);
    if (typeof value !== 'string' || !DECIMAL_ID.test(value) || !Number.isSafeInteger(id)) {
      throw new BadRequestException('id must be a positive integer');
    }
    return id;
  }
}

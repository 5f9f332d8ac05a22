import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

const DECIMAL_ID = /^[1-9]\d{0,15}$/;

/** Route ids are positive decimal integers below 2^53 (JSON carries them as strings). */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = Number(value);
    if (!DECIMAL_ID.test(value) || !Number.isSafeInteger(id)) {
      throw new BadRequestException('id must be a positive integer');
    }
    return id;
  }
}

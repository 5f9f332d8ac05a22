import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

class FeedlineValidationPipe extends ValidationPipe {
  /**
   * A single path or query value reaches its own pipe as it was sent. Nest
   * would otherwise convert a `number` parameter with `Number()` first, so
   * `/users/0x10` reached ParseIdPipe as 16 and passed its decimal check.
   */
  protected override transformPrimitive(value: unknown): unknown {
    return value;
  }
}

/**
 * The one validation pipe: strips nothing silently (unknown fields are an
 * error), converts only what DTOs ask for (`@Type`), and reports every
 * problem in one message.
 */
export function createValidationPipe(): ValidationPipe {
  return new FeedlineValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // One line per distinct problem: a field failing several rules that share a message says it once.
    exceptionFactory: (errors) => new BadRequestException([...new Set(describe(errors))]),
  });
}

function describe(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own =
      error.value === undefined && error.constraints && !error.constraints.isOptional
        ? [`${path} is required`]
        : Object.values(error.constraints ?? {});
    return [...own, ...describe(error.children ?? [], path)];
  });
}

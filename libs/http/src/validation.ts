import {
  BadRequestException,
  UnprocessableEntityException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';

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
 * problem in one message: a 400, or a 422 where the API's dialect says so (Mastodon's).
 */
export function createValidationPipe(status: 400 | 422 = 400): ValidationPipe {
  const Failure = status === 422 ? UnprocessableEntityException : BadRequestException;
  return new FeedlineValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // One line per distinct problem: a field failing several rules that share a message says it once.
    exceptionFactory: (errors) => new Failure([...new Set(describe(errors))]),
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

import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';

/** Liveness: the process answers, whatever its dependencies do (those are /health). */
@ApiExcludeController()
@SkipThrottle()
@Controller('ping')
export class PingController {
  @Get()
  ping(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

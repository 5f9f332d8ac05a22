import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { feedlineConfig } from './feedline.config';

/**
 * Typed, validated configuration from environment variables. Validation runs
 * when the app is created, so a bad variable stops the start with its name.
 */
@Global()
@Module({
  imports: [NestConfigModule.forRoot({ ignoreEnvFile: true, load: [feedlineConfig] })],
  exports: [NestConfigModule],
})
export class ConfigModule {}

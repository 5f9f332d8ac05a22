export { ConfigModule } from './config.module';
export { buildConfig, feedlineConfig, InjectConfig } from './feedline.config';
export type { FeedlineConfig, RedisNode } from './feedline.config';
export { ConfigurationError, describeSettings, FANOUT_MODES, validateEnvironment } from './environment';
export type { FanoutMode, SettingDoc } from './environment';
export { START_POSTGRES, START_REDIS } from './service-hints';

export { ConfigModule } from './config.module';
export { buildConfig, feedlineConfig, InjectConfig } from './feedline.config';
export type { FeedlineConfig, RedisNode } from './feedline.config';
export { ConfigurationError, FANOUT_MODES, validateEnvironment } from './environment';
export type { FanoutMode } from './environment';

export { AuthModule } from './auth.module';
export type { AuthModuleOptions } from './auth.module';
export { TokenService } from './token.service';
export { JwtAuthGuard } from './jwt-auth.guard';
export { bearerToken } from './bearer-token';
export type { AuthenticatedRequest } from './jwt-auth.guard';
export { CurrentUser } from './current-user.decorator';
export { ensureDevelopmentKeys, loadPrivateKey, loadPublicKey } from './jwt-keys';
export type { AccessTokenClaims, AuthUser, UserRole } from './auth-user';

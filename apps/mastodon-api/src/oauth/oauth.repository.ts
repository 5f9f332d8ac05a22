import { Injectable } from '@nestjs/common';
import { OAuthAccessToken, OAuthApplication, OAuthAuthorizationCode, PrismaService } from '@app/database';
import { hashSecret } from './secrets';

/** Registered apps, authorization codes and access tokens; every secret is looked up by its hash. */
@Injectable()
export class OAuthRepository {
  constructor(private readonly prisma: PrismaService) {}

  createApplication(data: {
    name: string;
    website: string | null;
    redirectUris: string[];
    scopes: string;
    clientId: string;
    clientSecret: string;
  }): Promise<OAuthApplication> {
    const { clientSecret, ...rest } = data;
    return this.prisma.oAuthApplication.create({
      data: { ...rest, clientSecretHash: hashSecret(clientSecret) },
    });
  }

  findApplication(clientId: string): Promise<OAuthApplication | null> {
    return this.prisma.oAuthApplication.findUnique({ where: { clientId } });
  }

  findApplicationById(id: bigint): Promise<OAuthApplication | null> {
    return this.prisma.oAuthApplication.findUnique({ where: { id } });
  }

  saveCode(code: string, data: Omit<OAuthAuthorizationCode, 'codeHash'>): Promise<OAuthAuthorizationCode> {
    return this.prisma.oAuthAuthorizationCode.create({ data: { ...data, codeHash: hashSecret(code) } });
  }

  findCode(code: string): Promise<(OAuthAuthorizationCode & { application: OAuthApplication }) | null> {
    return this.prisma.oAuthAuthorizationCode.findUnique({
      where: { codeHash: hashSecret(code) },
      include: { application: true },
    });
  }

  /** One use only: true for the caller that removed it. */
  async consumeCode(code: string): Promise<boolean> {
    const { count } = await this.prisma.oAuthAuthorizationCode.deleteMany({
      where: { codeHash: hashSecret(code) },
    });
    return count === 1;
  }

  saveToken(
    token: string,
    data: { applicationId: bigint; userId: bigint | null; scopes: string; expiresAt: Date },
  ): Promise<OAuthAccessToken> {
    return this.prisma.oAuthAccessToken.create({ data: { ...data, tokenHash: hashSecret(token) } });
  }

  /** A live token: not revoked, not expired. */
  findLiveToken(tokenHash: string): Promise<(OAuthAccessToken & { application: OAuthApplication }) | null> {
    return this.prisma.oAuthAccessToken.findFirst({
      where: { tokenHash, revokedAt: null, expiresAt: { gt: new Date() } },
      include: { application: true },
    });
  }

  /** Revokes a token of this app; false when there was none (revocation answers 200 either way). */
  async revokeToken(token: string, applicationId: bigint): Promise<boolean> {
    const { count } = await this.prisma.oAuthAccessToken.updateMany({
      where: { tokenHash: hashSecret(token), applicationId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    return count === 1;
  }
}

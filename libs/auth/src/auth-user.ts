export type UserRole = 'USER' | 'ADMIN';

/** Who is calling, as stated by a verified access token. */
export interface AuthUser {
  id: string;
  username: string;
  role: UserRole;
}

/** Claims of a Feedline access token (besides iss, aud, iat, exp). */
export interface AccessTokenClaims {
  sub: string;
  name: string;
  role: UserRole;
}

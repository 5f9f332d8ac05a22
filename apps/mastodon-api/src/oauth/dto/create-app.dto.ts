import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

export const OOB_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';

/** An absolute URI an authorization may be sent back to: oob, http(s), or an app's own scheme; never script-like. */
@ValidatorConstraint({ name: 'redirectUri' })
class RedirectUriRule implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (!Array.isArray(value)) return false;
    return value.every((uri) => typeof uri === 'string' && isRedirectUri(uri));
  }

  defaultMessage(): string {
    return 'redirect_uris must be absolute URIs without a fragment (or urn:ietf:wg:oauth:2.0:oob)';
  }
}

export function isRedirectUri(uri: string): boolean {
  if (uri === OOB_REDIRECT_URI) return true;
  if (uri.length > 2000 || /\s/.test(uri)) return false;
  try {
    const url = new URL(uri);
    if (url.hash) return false;
    return !['javascript:', 'data:', 'vbscript:', 'file:', 'blob:'].includes(url.protocol);
  } catch {
    return false;
  }
}

/** POST /api/v1/apps (JSON or form). `redirect_uris` may be one string with several URIs, or an array. */
export class CreateAppDto {
  @IsString({ message: 'client_name must be a string' })
  @MinLength(1, { message: "client_name can't be blank" })
  @MaxLength(200, { message: 'client_name is too long (at most 200 characters)' })
  client_name!: string;

  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value,
  )
  @IsArray({ message: 'redirect_uris must be a string or an array of strings' })
  @ArrayMinSize(1, { message: "redirect_uris can't be blank" })
  @ArrayMaxSize(10, { message: 'redirect_uris: at most 10' })
  @Validate(RedirectUriRule)
  redirect_uris!: string[];

  @IsOptional()
  @IsString({ message: 'scopes must be a space-separated string' })
  @MaxLength(2000)
  scopes?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(/^(https?:\/\/\S+)?$/, { message: 'website must be an http(s) URL' })
  website?: string;
}

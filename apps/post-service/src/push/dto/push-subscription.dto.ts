import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export const MAX_ENDPOINT_LENGTH = 2048;

export class PushKeysDto {
  @ApiProperty({ description: "The browser's P-256 public key, base64url (65 bytes)" })
  @IsString({ message: 'p256dh must be a base64url P-256 public key' })
  @Matches(/^[A-Za-z0-9_-]{87}=?$/, { message: 'p256dh must be a base64url P-256 public key' })
  p256dh!: string;

  @ApiProperty({ description: 'The auth secret, base64url (16 bytes)' })
  @IsString({ message: 'auth must be a base64url 16-byte secret' })
  @Matches(/^[A-Za-z0-9_-]{22}(==)?$/, { message: 'auth must be a base64url 16-byte secret' })
  auth!: string;
}

/** A browser's `PushSubscription.toJSON()`. */
export class PushSubscriptionDto {
  @ApiProperty({
    example: 'https://fcm.googleapis.com/fcm/send/…',
    description: 'The push service URL (https)',
  })
  @IsUrl(
    { protocols: ['https'], require_protocol: true, require_tld: false, require_valid_protocol: true },
    { message: `endpoint must be an https: URL of at most ${MAX_ENDPOINT_LENGTH} characters` },
  )
  @MaxLength(MAX_ENDPOINT_LENGTH, {
    message: `endpoint must be an https: URL of at most ${MAX_ENDPOINT_LENGTH} characters`,
  })
  endpoint!: string;

  @ApiPropertyOptional({ nullable: true, description: 'Milliseconds since the epoch, or null' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'expirationTime must be a number or null' })
  expirationTime?: number | null;

  @ApiProperty({ type: PushKeysDto })
  @IsObject({ message: 'keys must be an object with p256dh and auth' })
  @ValidateNested()
  @Type(() => PushKeysDto)
  keys!: PushKeysDto;
}

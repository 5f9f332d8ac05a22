import { ApiProperty } from '@nestjs/swagger';

export class PushConfigResponseDto {
  @ApiProperty({ description: "The VAPID public key (base64url): the browser's applicationServerKey" })
  vapidPublicKey!: string;
}

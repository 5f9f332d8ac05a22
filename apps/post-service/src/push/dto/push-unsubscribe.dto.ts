import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { MAX_ENDPOINT_LENGTH } from './push-subscription.dto';

export class PushUnsubscribeDto {
  @ApiProperty({ description: 'The endpoint of the subscription to remove' })
  @IsString({ message: 'endpoint must be a string' })
  @MaxLength(MAX_ENDPOINT_LENGTH, { message: `endpoint must be at most ${MAX_ENDPOINT_LENGTH} characters` })
  endpoint!: string;
}

import { IsOptional, IsString, Matches } from 'class-validator';
import { PageQueryDto } from '../../timelines/dto/page-query.dto';

const FLAG = /^(true|false|1|0)$/;

/** Filters clients send with an account's statuses; Feedline has no media, replies, boosts, pins or tags. */
export class AccountStatusesQueryDto extends PageQueryDto {
  @IsOptional() @Matches(FLAG) only_media?: string;
  @IsOptional() @Matches(FLAG) exclude_replies?: string;
  @IsOptional() @Matches(FLAG) exclude_reblogs?: string;
  @IsOptional() @Matches(FLAG) pinned?: string;
  @IsOptional() @IsString() tagged?: string;
}

export const isTrue = (flag?: string) => flag === 'true' || flag === '1';

import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';

/** `id[]=1&id[]=2` (or `id=1`): the accounts to describe. */
export class RelationshipsQueryDto {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsArray({ message: 'id must be a list of account ids' })
  @ArrayMaxSize(40, { message: 'id: at most 40 accounts' })
  @Matches(/^[1-9]\d{0,15}$/, { each: true, message: 'id must be account ids' })
  id: string[] = [];

  /** Mastodon 4.3: whether to include suspended accounts (there are none here). */
  @IsOptional() @Matches(/^(true|false)$/) with_suspended?: string;
}

import { IsString, Matches } from 'class-validator';

/** `acct`: `username` or `username@this-domain` (Feedline has only local accounts). */
export class LookupQueryDto {
  @IsString({ message: 'acct is required' })
  @Matches(/^@?[a-zA-Z0-9_]{1,30}(@[^\s@]{1,253})?$/, { message: 'acct must be username or username@domain' })
  acct!: string;
}

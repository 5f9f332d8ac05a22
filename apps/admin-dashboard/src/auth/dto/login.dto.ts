import { IsString, MaxLength, MinLength } from 'class-validator';

/** The same bounds as post-service's login. */
export class LoginDto {
  @IsString()
  @MinLength(1)
  @MaxLength(30)
  username!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password!: string;
}

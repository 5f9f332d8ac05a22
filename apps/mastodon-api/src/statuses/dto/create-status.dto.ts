import { Allow, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsHumanText } from '@app/http';
import { POST_TEXT_RULES } from '@app/posts';

/**
 * POST /api/v1/statuses (JSON or form). Only public text posts exist here:
 * the other fields are accepted when they ask for nothing more (an empty
 * media list, `visibility: public`...) and refused with a 422 saying what is
 * not supported otherwise (StatusesController.unsupported).
 */
export class CreateStatusDto {
  @IsHumanText(POST_TEXT_RULES)
  status!: string;

  @Allow() media_ids?: unknown;
  @Allow() poll?: unknown;
  @Allow() in_reply_to_id?: unknown;
  @Allow() quote_id?: unknown;
  @Allow() sensitive?: unknown;
  @Allow() spoiler_text?: unknown;
  @Allow() visibility?: unknown;
  @Allow() scheduled_at?: unknown;

  /** Accepted and ignored: Feedline does not tag posts with a language. */
  @IsOptional() @IsString() @MaxLength(16) language?: string;
}

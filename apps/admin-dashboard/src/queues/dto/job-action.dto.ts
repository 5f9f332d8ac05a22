import { IsString, Matches } from 'class-validator';

export class JobActionDto {
  /**
   * BullMQ job ids: generated integers or Feedline's `post-created.42` style.
   * BullMQ forbids ':' in custom ids; refusing it here also keeps an id from
   * naming one of the queue's own keys (`meta`, `<id>:logs` ...).
   */
  @IsString()
  @Matches(/^[\w.-]{1,200}$/, { message: 'jobId must be 1-200 letters, digits, "_", "." or "-"' })
  jobId!: string;
}

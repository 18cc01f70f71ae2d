import { IsIn } from 'class-validator';

export const EMAIL_RESOLUTIONS = ['delivered', 'resend'] as const;
export type EmailResolution = (typeof EMAIL_RESOLUTIONS)[number];

/** What a person decided about an `uncertain` email, e.g. after checking the mail server's log. */
export class ResolveEmailDto {
  /** `delivered`: the server did accept it (recorded as sent); `resend`: it did not (queued again). */
  @IsIn(EMAIL_RESOLUTIONS)
  outcome: EmailResolution;
}

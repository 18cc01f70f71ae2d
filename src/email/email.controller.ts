import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, CurrentPrincipal, Principal, RequireRole } from '../common/auth/roles';
import { UuidParam } from '../common/validation/uuid-param';
import { ListEmailsQuery } from './dto/list-emails.query';
import { ResolveEmailDto } from './dto/resolve-email.dto';
import { EmailResolutionService } from './email-resolution.service';
import { AuditLog } from '../privacy/audit/audit-log.service';
import { EmailQueryService } from './email-query.service';
import { withoutLinkTokens } from './link-token-redaction';

@ApiTags('emails')
@ApiKeyAuth()
@Controller('api/v1/emails')
export class EmailController {
  constructor(
    private readonly emails: EmailQueryService,
    private readonly resolutions: EmailResolutionService,
    private readonly audit: AuditLog,
  ) {}

  /** The outbox, newest first; `status=uncertain` lists what needs review after a crash. */
  @Get()
  list(@Query() query: ListEmailsQuery) {
    return this.emails.list(query);
  }

  /**
   * One email as rendered: subject, HTML and text bodies, headers, delivery state. The tokens of the
   * candidate's own links (profile, unsubscribe, consent) are shown to admin keys only: they act as the
   * candidate. Reading an email to a candidate is audited as reading their data. `vacancyId` names the
   * vacancy an email to a candidate is about: its Reply-To (that vacancy's recruiter, else its hiring manager)
   * is worked out when it is sent, so it is not among `headers`.
   */
  @Get(':id')
  @ApiNotFoundResponse({ description: 'No such email' })
  async get(@Param('id', UuidParam()) id: string, @CurrentPrincipal() principal: Principal) {
    const email = await this.emails.get(id);
    if (email.candidateId) await this.audit.record({ action: 'candidate_read', candidateId: email.candidateId, details: { emailId: id } });
    if (principal.role === 'admin') return email;
    return {
      ...email,
      htmlBody: withoutLinkTokens(email.htmlBody),
      textBody: withoutLinkTokens(email.textBody),
      headers: Object.fromEntries(Object.entries(email.headers ?? {}).map(([name, value]) => [name, withoutLinkTokens(String(value))])),
    };
  }

  /**
   * Settles an `uncertain` email (its sender stopped after handing it to SMTP): `delivered` if the mail
   * server's log shows it was accepted (recorded as sent), `resend` if not (queued again, due now).
   */
  @Post(':id/resolution')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiNotFoundResponse({ description: 'No such email' })
  @ApiConflictResponse({ description: 'The email is not uncertain' })
  async resolve(@Param('id', UuidParam()) id: string, @Body() dto: ResolveEmailDto) {
    const email = await this.resolutions.resolve(id, dto.outcome);
    // The answer is the email as rendered, as GET /emails/:id shows it: read as that is, with the decision.
    if (email.candidateId) {
      await this.audit.record({ action: 'candidate_read', candidateId: email.candidateId, details: { emailId: id, resolution: dto.outcome } });
    }
    return email;
  }
}

import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '../../common/pagination/page';
import { IsIsoDuration } from '../../common/validation/is-iso-duration.decorator';
import { CANDIDATE_STATUSES, CandidateStatus } from '../candidate.entity';
import { IsCountryCode } from '../../common/validation/is-country-code.decorator';
import { IsIsoDateTime } from '../../common/validation/is-iso-date-time.decorator';
import { IsSkillName } from '../../skill/is-skill-name.decorator';
import { trim } from '../../common/validation/transforms';
import { HasVisibleText } from '../../common/validation/has-visible-text.decorator';

const splitCommas = (text: string) => text.split(',').map((item) => item.trim()).filter(Boolean);
/** `a,b`, also repeated (`skills=a,b&skills=c`); anything else is left for the checks to refuse. */
const commaList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? splitCommas(value)
    : Array.isArray(value) && value.every((item) => typeof item === 'string') ? value.flatMap(splitCommas)
      : value;

export class SearchCandidatesQuery extends PageQuery {
  /**
   * Comma-separated skills, any spelling or alias: `typescript,postgres`. A name that normalises to nothing
   * (`!!!`, an invisible character) is refused: left out, the search had no skill and listed the whole pool.
   */
  @IsOptional() @Transform(commaList) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 80, { each: true })
  @IsSkillName({ each: true })
  skills?: string[];

  /** `any` (default): at least one of the skills; `all`: every one. */
  @IsOptional() @IsIn(['any', 'all'])
  match?: 'any' | 'all';

  /** Comma-separated; a candidate must carry every tag. */
  @IsOptional() @Transform(commaList) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 50, { each: true })
  tags?: string[];

  @IsOptional() @IsCountryCode()
  country?: string;

  @IsOptional() @Transform(trim) @IsString() @Length(1, 100)
  city?: string;

  @IsOptional() @IsIn(CANDIDATE_STATUSES)
  status?: CandidateStatus;

  /** `valid`: only candidates whose talent-pool consent is valid now. */
  @IsOptional() @IsIn(['valid'])
  consent?: 'valid';

  /** Free text in name and headline, as given: a space in it is part of it ("S " finds "S One"), blank text is refused. */
  @IsOptional() @IsString() @Length(2, 100) @HasVisibleText()
  q?: string;

  /** ISO 8601 date or time. */
  @IsOptional() @IsIsoDateTime({ message: 'updatedSince must be an ISO 8601 date or time' })
  updatedSince?: string;

  /** `true`: only candidates with at least one silver medal (rank 2; a bronze does not count); `false`: only those without. */
  @IsOptional() @IsIn(['true', 'false'], { message: 'silverMedalist must be true or false' })
  silverMedalist?: 'true' | 'false';

  /**
   * A vacancy id: only its finalists, i.e. candidates whose candidacy for it
   * reached the final or offer stage, whatever the outcome: the hire, the
   * medalists, unranked finalists and finalists still undecided.
   */
  @IsOptional() @IsUUID('all', { message: 'finalistOf must be a UUID' })
  finalistOf?: string;

  /** ISO-8601 duration: only candidates no email was sent to within it, e.g. P90D ("not contacted for 90 days"). */
  @IsOptional() @IsIsoDuration({ message: 'notContactedFor must be an ISO-8601 duration in whole numbers such as P90D, at most 100 years' })
  notContactedFor?: string;
}

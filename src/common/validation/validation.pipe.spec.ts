import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { createValidationPipe } from './validation.pipe';

class NameDto {
  @IsString()
  name!: string;
}

class ListQuery {
  @IsOptional() @IsArray() @ArrayMaxSize(3)
  skills?: string[];

  @IsOptional() @IsInt()
  limit?: number;
}

describe('the global validation pipe', () => {
  const pipe = createValidationPipe();
  const refusal = async (value: unknown, data?: string) => {
    const error = await pipe.transform(value, { type: 'body', metatype: NameDto, data }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).extra.errors;
  };

  it('refuses a body that is not a JSON object, naming the body and what was sent', async () => {
    await expect(refusal([{ name: 'x' }])).resolves.toEqual([{ field: 'body', messages: ['The request body must be a JSON object, not an array.'] }]);
    await expect(refusal(null)).resolves.toEqual([{ field: 'body', messages: ['The request body must be a JSON object, not null.'] }]);
    await expect(refusal('x', 'profile')).resolves.toEqual([{ field: 'profile', messages: ['profile must be a JSON object, not a string.'] }]);
  });

  it('validates an object body as before', async () => {
    await expect(pipe.transform({ name: 'x' }, { type: 'body', metatype: NameDto })).resolves.toBeInstanceOf(NameDto);
    await expect(refusal({ name: 1 })).resolves.toEqual([{ field: 'name', messages: ['name must be a string'] }]);
  });

  it('says a query field given twice was given twice, unless it takes a list', async () => {
    const query = (value: object) => pipe.transform(value, { type: 'query', metatype: ListQuery }).catch((caught: DomainError) => caught.extra.errors);
    await expect(query({ limit: ['1', '2'], skills: ['go', 'rust'] })).resolves.toEqual([
      { field: 'limit', messages: ['limit was given more than once; give it once'] },
    ]);
    await expect(query({ skills: ['go', 'rust'] })).resolves.toMatchObject({ skills: ['go', 'rust'] });
    // A field the query does not have is refused as unknown, repeated or not.
    await expect(query({ other: ['a', 'b'] })).resolves.toEqual([{ field: 'other', messages: ['property other should not exist'] }]);
  });
});

import { IsString } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { createValidationPipe } from './validation.pipe';

class NameDto {
  @IsString()
  name!: string;
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
});

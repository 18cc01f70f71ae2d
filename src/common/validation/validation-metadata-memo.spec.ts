import 'reflect-metadata';
import { IsInt, IsString, Max, registerDecorator, ValidateNested, validateSync } from 'class-validator';
import { plainToInstance, Type } from 'class-transformer';
import { memoizeValidationMetadata } from './validation-metadata-memo';

class Level {
  @IsInt() @Max(5)
  level!: number;
}

class Person {
  @IsString()
  name!: string;

  @ValidateNested({ each: true }) @Type(() => Level)
  skills!: Level[];
}

class Recruiter extends Person {
  @IsString()
  team!: string;
}

const failures = (target: new () => object, plain: object) =>
  validateSync(plainToInstance(target, plain), { whitelist: true, forbidNonWhitelisted: true })
    .flatMap(function flat(error): string[] {
      return [...Object.keys(error.constraints ?? {}).map((rule) => `${error.property}:${rule}`), ...(error.children ?? []).flatMap(flat)];
    })
    .sort();

describe('memoizeValidationMetadata', () => {
  beforeAll(() => memoizeValidationMetadata());

  it('validates as before, inherited and nested rules included, call after call', () => {
    for (let i = 0; i < 3; i++) {
      expect(failures(Person, { name: 'A', skills: [{ level: 3 }] })).toEqual([]);
      expect(failures(Person, { name: 7, skills: [{ level: 9 }], extra: 1 })).toEqual(['extra:whitelistValidation', 'level:max', 'name:isString']);
      expect(failures(Recruiter, { name: 'A', skills: [], team: 5 })).toEqual(['team:isString']);
      expect(failures(Recruiter, { skills: [] })).toEqual(['name:isString', 'team:isString']);
    }
  });

  it('sees a rule registered after the first validation', () => {
    expect(failures(Person, { name: 'forbidden', skills: [] })).toEqual([]);
    registerDecorator({
      name: 'notForbidden', target: Person, propertyName: 'name',
      validator: { validate: (value: unknown) => value !== 'forbidden' },
    });
    expect(failures(Person, { name: 'forbidden', skills: [] })).toEqual(['name:notForbidden']);
    expect(failures(Recruiter, { name: 'forbidden', skills: [], team: 't' })).toEqual(['name:notForbidden']);
  });

  it('patches once', () => {
    memoizeValidationMetadata();
    expect(failures(Level, { level: 6 })).toEqual(['level:max']);
  });
});

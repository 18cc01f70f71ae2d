import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..');
const nestCli = JSON.parse(readFileSync(join(SRC, '..', 'nest-cli.json'), 'utf8')) as {
  compilerOptions: { plugins: { name: string; options: { dtoFileNameSuffix: string[] } }[] };
};
const suffixes = nestCli.compilerOptions.plugins.find((plugin) => plugin.name === '@nestjs/swagger')!.options.dtoFileNameSuffix;
/** Classes here declare their OpenAPI properties by hand (or are not request bodies). */
const DOCUMENTED_BY_HAND = ['config/app-config.ts', 'common/pagination/page.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [join(dir, entry.name)] : []);
}

describe('DTO file names', () => {
  it('put every class-validator DTO where the swagger plugin documents it (nest-cli.json dtoFileNameSuffix)', () => {
    const validated = sources(SRC).filter((file) => /@(IsString|IsOptional|IsInt|IsIn|ValidateNested|IsArray)\(/.test(readFileSync(file, 'utf8')));
    const undocumented = validated
      .map((file) => relative(SRC, file))
      .filter((file) => !suffixes.some((suffix) => file.endsWith(suffix)) && !DOCUMENTED_BY_HAND.includes(file));
    expect(validated.length).toBeGreaterThan(20);
    expect(undocumented).toEqual([]);
  });
});

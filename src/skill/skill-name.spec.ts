import { validateSync } from 'class-validator';
import { IsSkillName } from './is-skill-name.decorator';
import { normalizeSkillName, SKILL_NAME_MAX, SKILL_NAME_RAW_MAX } from './skill-name';

describe(normalizeSkillName.name, () => {
  it.each([
    ['TypeScript', 'typescript'],
    ['  Type   Script ', 'type script'],
    ['Node.JS', 'node.js'],
    ['node . js', 'node.js'],
    ['C++', 'c++'],
    ['C#', 'c#'],
    ['.NET', '.net'],
    ['CI/CD', 'ci cd'],
    ['front-end_dev', 'front end dev'],
    ['Ｋ８ｓ', 'k8s'],
    ['Kafka.', 'kafka'],
    ['c++ ... ', 'c++'],
    ['node.js. .', 'node.js'],
    ['Göteborg-Äpple', 'göteborg äpple'],
    ['ka\u200bfka', 'kafka'],
    ['\ufeffRust\u2060', 'rust'],
  ])('normalises %p to %p', (raw, expected) => {
    expect(normalizeSkillName(raw)).toBe(expected);
  });

  it('turns pure punctuation into an empty name', () => {
    expect(normalizeSkillName(' -/ ')).toBe('');
    expect(normalizeSkillName('...')).toBe('');
  });
});

describe(IsSkillName.name, () => {
  class Named {
    @IsSkillName() name!: string;
  }
  const errorsFor = (name: string) => validateSync(Object.assign(new Named(), { name }));

  it('takes a name of up to 80 characters once normalised, and refuses text no skill name needs before normalising it', () => {
    expect(errorsFor('Node.JS')).toEqual([]);
    expect(errorsFor(`${'-'.repeat(300)}go`)).toEqual([]);
    expect(errorsFor(`${'.'.repeat(SKILL_NAME_RAW_MAX)}go`)).toHaveLength(1);
    expect(errorsFor('x'.repeat(SKILL_NAME_MAX + 1))).toHaveLength(1);
  });

  it('refuses a level written into a name, however it was pasted, saying where the level goes', () => {
    for (const name of ['kafka:3', 'go = 4', 'rust (2)', '(5)', ':3', 'kafka：3', 'kafka:\u200b3', 'kafka:3.', 'rust (2),', 'Python (3)']) {
      expect(errorsFor(name)[0].constraints).toEqual({ isSkillName: 'name must be the skill alone: give its level in level, not in the name' });
    }
    // Versions and standards are names; so are names of digits, and a number alone.
    for (const name of ['ISO 27001:2022', 'Java (8)', 'Java:8', 'Python 3', 'C++ (11)', 'Web 2.0', '802.11', '6502', '5G', '5']) {
      expect(errorsFor(name)).toEqual([]);
    }
  });
});

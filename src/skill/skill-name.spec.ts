import { normalizeSkillName } from './skill-name';

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
    ['Göteborg-Äpple', 'göteborg äpple'],
  ])('normalises %p to %p', (raw, expected) => {
    expect(normalizeSkillName(raw)).toBe(expected);
  });

  it('turns pure punctuation into an empty name', () => {
    expect(normalizeSkillName(' -/ ')).toBe('');
  });
});

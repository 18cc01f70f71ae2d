import { SKILL_NAME_RAW_MAX } from '../../skill/skill-name';

/**
 * Skills and tags cells. Items are separated by `;` or `,` (LinkedIn and
 * Greenhouse export "TypeScript, Postgres"): a skill name never keeps either,
 * as normalizeSkillName turns all punctuation but `+ # .` into spaces.
 */
export const splitList = (text: string) => text.split(/[;,]/).map((item) => item.trim()).filter(Boolean);

/**
 * `typescript (4)`: a level in brackets, as CVs and some ATS exports write it. Only 1-5: "Java (8)" and
 * "ISO 9001 (2015)" are names with a version in them, not levels out of range.
 */
const BRACKETED_LEVEL = /^(.*?)\s*\(\s*([1-5])\s*\)$/;

/**
 * `typescript:4;postgres` -> [{ name: 'typescript', level: 4 }, { name: 'postgres' }];
 * `typescript=4` and `typescript (4)` read as `typescript:4`. A non-numeric
 * level after `:` or `=` is kept for the validator to reject.
 */
export function parseSkillList(text: string): { name: string; level?: number | string }[] {
  return splitList(text).map((item) => {
    // Only items short enough to be a skill: the pattern backtracks, quadratic in a long run of spaces.
    const bracketed = item.length <= SKILL_NAME_RAW_MAX && item.endsWith(')') ? BRACKETED_LEVEL.exec(item) : null;
    if (bracketed) return { name: bracketed[1], level: Number(bracketed[2]) };
    const separator = Math.max(item.lastIndexOf(':'), item.lastIndexOf('='));
    if (separator < 0) return { name: item };
    const name = item.slice(0, separator).trim();
    const level = item.slice(separator + 1).trim();
    if (level === '') return { name };
    return { name, level: /^\d+(\.\d+)?$/.test(level) ? Number(level) : level };
  });
}

/**
 * The canonical spelling of a skill as typed by a person: Unicode-folded,
 * lower case, punctuation other than the meaningful `+ # .` (c++, c#, .net,
 * node.js) turned into spaces, runs of spaces collapsed. Aliases are applied
 * after this, on the normalised text.
 */
export function normalizeSkillName(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+#.]+/gu, ' ')
    .replace(/\s*\.\s*/g, '.')
    .replace(/\.+$/, '')
    .trim()
    .replace(/\s+/g, ' ');
}

export const SKILL_NAME_MAX = 80;

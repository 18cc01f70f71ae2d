import { canonicalText } from '../common/validation/transforms';

/**
 * The canonical spelling of a skill as typed by a person: Unicode-folded,
 * invisible characters (a zero-width space pasted from a web page) dropped,
 * lower case, punctuation other than the meaningful `+ # .` (c++, c#, .net,
 * node.js) turned into spaces, runs of spaces collapsed. Aliases are applied
 * after this, on the normalised text.
 */
export function normalizeSkillName(raw: string): string {
  const spaced = canonicalText(raw)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+#.]+/gu, ' ')
    .replace(/\s*\.\s*/g, '.');
  return withoutTrailingDots(spaced).trim().replace(/\s+/g, ' ');
}

/** A loop, not /\.+$/: that regex retries from every dot of a long run ("....x"), quadratic in its length. */
function withoutTrailingDots(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '.') end -= 1;
  return text.slice(0, end);
}

export const SKILL_NAME_MAX = 80;
/** Longer raw text is refused before it is normalised: no skill name needs it, and normalising costs time. */
export const SKILL_NAME_RAW_MAX = 4 * SKILL_NAME_MAX;

import { VISIBLE_CHARACTER } from '../common/validation/has-visible-text.decorator';

/**
 * The name an email or page greets the person by: the first word of their full name that shows
 * something. "\u200b Anna Berg" split on spaces began with an invisible word, and greeted "Hi ,".
 */
export function firstNameOf(fullName: string): string {
  return fullName.split(/[\s\p{Z}]+/u).find((word) => VISIBLE_CHARACTER.test(word)) ?? fullName.trim();
}

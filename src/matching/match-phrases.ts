import { Locale } from '../config/app-config';
import { LocationFit } from './location-fit';

/** A skill as a recruiter reads it: "kafka (level 4)". */
export interface SkillMention {
  name: string;
  level: number | null;
}

const list = (items: string[], and: string) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;

/** "June 2025", "juni 2025" on the organisation's calendar: one formatter per language and zone, as a page formats a hundred. */
const monthYearFormats = new Map<string, Intl.DateTimeFormat>();
function monthYear(iso: string | null, locale: Locale, timeZone: string): string {
  if (!iso) return '';
  const key = `${locale} ${timeZone}`;
  let format = monthYearFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { month: 'long', year: 'numeric', timeZone });
    monthYearFormats.set(key, format);
  }
  return format.format(new Date(iso));
}

export interface Phrases {
  and: string;
  skill(skill: SkillMention): string;
  skills(held: SkillMention[], total: number, missing: string[], missingRequired: string[], requiredCount: number): string;
  noHistory: string;
  medal(medal: 'silver' | 'bronze', vacancyTitle: string, at: string, timeZone: string): string;
  stage(stage: string, vacancyTitle: string): string;
  noGap: string;
  closedGap(vacancyTitle: string, skills: SkillMention[]): string;
  noPromise: string;
  promise(text: string, vacancyTitle: string): string;
  noContact: string;
  contact(days: number, type: string): string;
  profile(days: number): string;
  location(fit: LocationFit, city: string | null, country: string | null, vacancyLocation: string | null): string;
  summaryPromise: string;
  summaryGap(skills: string[]): string;
  summaryMedal(medal: 'silver' | 'bronze', vacancyTitle: string): string;
  summaryStage(stage: string, vacancyTitle: string): string;
  summarySkills(held: number, total: number, requiredCount: number): string;
  summaryMissing(missingRequired: string[]): string;
  summaryCity(city: string): string;
  reasonGap(skills: string[]): string;
  reasonPromise: string;
  reasonSkills(skills: string[]): string;
  reasonHistory(vacancyTitle: string): string;
  reasonDefault: string;
  notSpecified: string;
}

const days = (n: number, en: boolean) =>
  en ? (n === 0 ? 'today' : n === 1 ? '1 day ago' : `${n} days ago`) : n === 0 ? 'i dag' : n === 1 ? 'för 1 dag sedan' : `för ${n} dagar sedan`;

const CONTACT_EN: Record<string, string> = {
  candidacy_created: 'applied', stage_changed: 'moved forward in a process', decision_recorded: 'decision',
  feedback_given: 'feedback given', reply_received: 'replied to us', consent_granted: 'gave consent',
  profile_updated: 'updated their profile', interest_changed: 'told us their interest', resubscribed: 'subscribed again',
  match_invited: 'invited to a role', match_applied: 'said yes to a role',
};
const CONTACT_SV: Record<string, string> = {
  candidacy_created: 'sökte en roll', stage_changed: 'gick vidare i en process', decision_recorded: 'beslut',
  feedback_given: 'fick återkoppling', reply_received: 'svarade oss', consent_granted: 'gav samtycke',
  profile_updated: 'uppdaterade sin profil', interest_changed: 'berättade om sitt intresse', resubscribed: 'prenumererade igen',
  match_invited: 'bjöds in till en roll', match_applied: 'tackade ja till en roll',
};
const STAGE_EN: Record<string, string> = { applied: 'applied', screening: 'phone screen', interview: 'interview', final: 'final', offer: 'offer' };
const STAGE_SV: Record<string, string> = { applied: 'ansökan', screening: 'telefonintervju', interview: 'intervju', final: 'slutintervju', offer: 'erbjudande' };

const en: Phrases = {
  and: 'and',
  skill: (skill) => (skill.level ? `${skill.name} (level ${skill.level})` : `${skill.name} (level not given)`),
  skills(held, total, missing, missingRequired, requiredCount) {
    const has = held.length === 0 ? `Has none of the ${total} skills` : `Has ${held.length} of ${total} skills: ${list(held.map(en.skill), 'and')}`;
    const required = requiredCount === 0 ? '' : missingRequired.length > 0
      ? `. Missing required: ${list(missingRequired, 'and')}`
      : `, every required skill included`;
    const rest = missing.filter((name) => !missingRequired.includes(name));
    return `${has}${required}${rest.length ? `. Missing: ${list(rest, 'and')}` : ''}.`;
  },
  noHistory: 'No earlier process with us.',
  medal: (medal, title, at, timeZone) => `${medal === 'silver' ? 'Silver' : 'Bronze'} medalist for ${title}${at ? ` (${monthYear(at, 'en', timeZone)})` : ''}.`,
  stage: (stage, title) => `Reached the ${STAGE_EN[stage] ?? stage} stage for ${title}.`,
  noGap: 'No gap from earlier feedback that this role needs and they have closed.',
  closedGap: (title, skills) => `Not chosen for ${title} for lack of ${list(skills.map((s) => s.name), 'and')}; now has ${list(skills.map(en.skill), 'and')}.`,
  noPromise: 'No promise that this role keeps.',
  promise: (text, title) => `We promised when they were not chosen for ${title}: "${text}"`,
  noContact: 'No contact on record.',
  contact: (n, type) => `Last contact ${days(n, true)} (${CONTACT_EN[type] ?? type}).`,
  profile: (n) => `Profile updated ${days(n, true)}.`,
  location(fit, city, country, where) {
    if (fit === 'anywhere') return where ? `The role is remote (${where}): location is no constraint.` : 'The role has no location: it is no constraint.';
    if (fit === 'city') return `Lives in ${city}, where the role is (${where}).`;
    if (fit === 'country') return `Lives in the same country (${country}) as the role (${where}).`;
    if (fit === 'unknown') return `Location not known; the role is in ${where}.`;
    return `Lives in ${[city, country].filter(Boolean).join(', ')}; the role is in ${where}.`;
  },
  summaryPromise: 'Promise to keep',
  summaryGap: (skills) => `closed the ${list(skills, 'and')} gap`,
  summaryMedal: (medal, title) => `${medal} medalist (${title})`,
  summaryStage: (stage, title) => `reached the ${STAGE_EN[stage] ?? stage} (${title})`,
  summarySkills: (held, total, requiredCount) => `${held} of ${total} skills${requiredCount > 0 ? ', all required' : ''}`,
  summaryMissing: (missing) => `missing required ${list(missing, 'and')}`,
  summaryCity: (city) => `in ${city}`,
  reasonGap: (skills) => `You have since added ${list(skills, 'and')}, which was exactly what we missed last time.`,
  reasonPromise: 'When we last spoke we promised to get in touch about a role like this one, and here it is.',
  reasonSkills: (skills) => `Your experience with ${list(skills, 'and')} is what the team needs.`,
  reasonHistory: (title) => `We enjoyed getting to know you when you applied for ${title}, and we think this role suits you.`,
  reasonDefault: 'We think your experience fits this role well.',
  notSpecified: 'to be discussed',
};

const sv: Phrases = {
  and: 'och',
  skill: (skill) => (skill.level ? `${skill.name} (nivå ${skill.level})` : `${skill.name} (nivå ej angiven)`),
  skills(held, total, missing, missingRequired, requiredCount) {
    const has = held.length === 0 ? `Har ingen av de ${total} kompetenserna` : `Har ${held.length} av ${total} kompetenser: ${list(held.map(sv.skill), 'och')}`;
    const required = requiredCount === 0 ? '' : missingRequired.length > 0
      ? `. Saknar krav: ${list(missingRequired, 'och')}`
      : `, alla krav uppfyllda`;
    const rest = missing.filter((name) => !missingRequired.includes(name));
    return `${has}${required}${rest.length ? `. Saknar: ${list(rest, 'och')}` : ''}.`;
  },
  noHistory: 'Ingen tidigare process hos oss.',
  medal: (medal, title, at, timeZone) => `${medal === 'silver' ? 'Silvermedaljör' : 'Bronsmedaljör'} för ${title}${at ? ` (${monthYear(at, 'sv', timeZone)})` : ''}.`,
  stage: (stage, title) => `Kom till ${STAGE_SV[stage] ?? stage} för ${title}.`,
  noGap: 'Inget gap från tidigare återkoppling som rollen kräver och som har stängts.',
  closedGap: (title, skills) => `Valdes inte för ${title} i brist på ${list(skills.map((s) => s.name), 'och')}; har nu ${list(skills.map(sv.skill), 'och')}.`,
  noPromise: 'Inget löfte som den här rollen infriar.',
  promise: (text, title) => `Vi lovade när hen inte valdes för ${title}: "${text}"`,
  noContact: 'Ingen kontakt registrerad.',
  contact: (n, type) => `Senaste kontakt ${days(n, false)} (${CONTACT_SV[type] ?? type}).`,
  profile: (n) => `Profilen uppdaterad ${days(n, false)}.`,
  location(fit, city, country, where) {
    if (fit === 'anywhere') return where ? `Rollen är på distans (${where}): orten spelar ingen roll.` : 'Rollen har ingen ort: den spelar ingen roll.';
    if (fit === 'city') return `Bor i ${city}, där rollen finns (${where}).`;
    if (fit === 'country') return `Bor i samma land (${country}) som rollen (${where}).`;
    if (fit === 'unknown') return `Ort okänd; rollen finns i ${where}.`;
    return `Bor i ${[city, country].filter(Boolean).join(', ')}; rollen finns i ${where}.`;
  },
  summaryPromise: 'Löfte att hålla',
  summaryGap: (skills) => `har stängt gapet i ${list(skills, 'och')}`,
  summaryMedal: (medal, title) => `${medal === 'silver' ? 'silvermedaljör' : 'bronsmedaljör'} (${title})`,
  summaryStage: (stage, title) => `kom till ${STAGE_SV[stage] ?? stage} (${title})`,
  summarySkills: (held, total, requiredCount) => `${held} av ${total} kompetenser${requiredCount > 0 ? ', alla krav' : ''}`,
  summaryMissing: (missing) => `saknar kravet ${list(missing, 'och')}`,
  summaryCity: (city) => `i ${city}`,
  reasonGap: (skills) => `Du har sedan dess lagt till ${list(skills, 'och')}, vilket var precis det vi saknade förra gången.`,
  reasonPromise: 'När vi hördes senast lovade vi att höra av oss om en roll som den här, och nu är den här.',
  reasonSkills: (skills) => `Din erfarenhet av ${list(skills, 'och')} är vad teamet behöver.`,
  reasonHistory: (title) => `Vi tyckte mycket om att lära känna dig när du sökte ${title}, och vi tror att den här rollen passar dig.`,
  reasonDefault: 'Vi tror att din erfarenhet passar den här rollen väl.',
  notSpecified: 'enligt överenskommelse',
};

export const PHRASES: Record<Locale, Phrases> = { en, sv };

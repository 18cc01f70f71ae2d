import { escapeHtml, htmlPage } from '../common/http/html-page';
import { FieldError } from '../common/errors/domain-error';
import { InterestChoice, ProfileValues } from './profile-form';

export type Lang = 'sv' | 'en';

export interface ProfilePageModel {
  /** Where the form posts, as PublicUrls.path gives it. */
  action: string;
  firstName: string;
  company: string;
  values: ProfileValues;
  interest: InterestChoice | null;
  /** The invitation this visit answers ("Yes, tell me more"), if any. */
  invitation: { matchId: string; vacancyTitle: string } | null;
  errors: FieldError[];
  saved: boolean;
}

/** Empty rows under the person's skills, for adding new ones without scripts. */
const BLANK_SKILL_ROWS = 3;

const TEXT = {
  en: {
    title: 'Your profile',
    intro: (name: string, company: string) =>
      `<p>Hi ${escapeHtml(name)}! This is what ${escapeHtml(company)} knows about your skills and where you are. ` +
      `Keep it current and we will only think of you for roles that fit.</p>`,
    invitation: (title: string) => `<p><strong>You are answering our invitation for ${escapeHtml(title)}.</strong> Choose "open to offers" and save, and we will be in touch.</p>`,
    skills: 'Skills',
    skill: 'Skill',
    level: 'Level',
    levels: ['not given', '1 – basic', '2', '3', '4', '5 – expert'],
    city: 'City',
    country: 'Country (two letters, e.g. SE)',
    interest: 'New roles',
    choices: { open: 'I am open to offers', not_now: 'Not right now', remove: 'Remove me from the talent pool' },
    save: 'Save',
    saved: 'Thank you, your profile is up to date.',
    errors: 'Please check these fields; nothing was saved:',
    fieldHelp: {
      skill: 'Skills: at most 100, each a name of up to 80 characters with at least one letter or digit.',
      level: 'Level: from 1 (basic) to 5 (expert), or not given.',
      city: 'City: up to 100 characters of plain text.',
      country: 'Country: the two-letter code, such as SE for Sweden or GB for the United Kingdom.',
      interest: 'New roles: choose one of the three answers.',
      other: 'The form was changed; reload the page and try again.',
    },
    removedTitle: 'You have left the talent pool',
    removedBody: 'We will not contact you about new roles any more, and your details will be erased after a short grace period. Thank you for your interest in us, and good luck.',
    notInPoolTitle: 'You are not in our talent pool',
    notInPoolBody: 'You asked us to remove you, so there is nothing to update here. If you would like to hear from us again, reply to any of our emails.',
    invalidTitle: 'This link does not work',
    invalidBody: 'The link may be incomplete, changed or too old. Use the link in our most recent email, or reply to it and we will help.',
  },
  sv: {
    title: 'Din profil',
    intro: (name: string, company: string) =>
      `<p>Hej ${escapeHtml(name)}! Det här är vad ${escapeHtml(company)} vet om dina kompetenser och var du finns. ` +
      `Håll det aktuellt så tänker vi bara på dig för roller som passar.</p>`,
    invitation: (title: string) => `<p><strong>Du svarar på vår inbjudan till ${escapeHtml(title)}.</strong> Välj "öppen för erbjudanden" och spara, så hör vi av oss.</p>`,
    skills: 'Kompetenser',
    skill: 'Kompetens',
    level: 'Nivå',
    levels: ['ej angiven', '1 – grundläggande', '2', '3', '4', '5 – expert'],
    city: 'Ort',
    country: 'Land (två bokstäver, t.ex. SE)',
    interest: 'Nya roller',
    choices: { open: 'Jag är öppen för erbjudanden', not_now: 'Inte just nu', remove: 'Ta bort mig ur talangpoolen' },
    save: 'Spara',
    saved: 'Tack, din profil är uppdaterad.',
    errors: 'Kontrollera de här fälten; inget sparades:',
    fieldHelp: {
      skill: 'Kompetenser: högst 100, var och en ett namn på upp till 80 tecken med minst en bokstav eller siffra.',
      level: 'Nivå: från 1 (grundläggande) till 5 (expert), eller ej angiven.',
      city: 'Ort: upp till 100 tecken vanlig text.',
      country: 'Land: landskoden med två bokstäver, t.ex. SE för Sverige eller NO för Norge.',
      interest: 'Nya roller: välj ett av de tre svaren.',
      other: 'Formuläret har ändrats; ladda om sidan och försök igen.',
    },
    removedTitle: 'Du har lämnat talangpoolen',
    removedBody: 'Vi kontaktar dig inte längre om nya roller, och dina uppgifter raderas efter en kort tid. Tack för ditt intresse för oss, och lycka till.',
    notInPoolTitle: 'Du finns inte i vår talangpool',
    notInPoolBody: 'Du bad oss ta bort dig, så det finns inget att uppdatera här. Vill du höra från oss igen kan du svara på något av våra mejl.',
    invalidTitle: 'Länken fungerar inte',
    invalidBody: 'Länken kan vara ofullständig, ändrad eller för gammal. Använd länken i vårt senaste mejl, eller svara på det så hjälper vi dig.',
  },
} as const;

function skillRow(lang: Lang, index: number, skill: { name: string; level: number | null }): string {
  const t = TEXT[lang];
  const options = t.levels
    .map((label, level) => {
      const value = level === 0 ? '' : String(level);
      const selected = (skill.level ?? 0) === level ? ' selected' : '';
      return `<option value="${value}"${selected}>${escapeHtml(label)}</option>`;
    })
    .join('');
  return `<div style="display:flex;gap:.5rem"><label style="flex:2">${escapeHtml(`${t.skill} ${index + 1}`)}` +
    `<input name="skill" maxlength="80" value="${escapeHtml(skill.name)}"></label>` +
    `<label style="flex:1">${escapeHtml(t.level)}<select name="level">${options}</select></label></div>`;
}

function form(lang: Lang, model: ProfilePageModel): string {
  const t = TEXT[lang];
  const rows = [...model.values.skills, ...Array.from({ length: BLANK_SKILL_ROWS }, () => ({ name: '', level: null }))]
    .map((skill, index) => skillRow(lang, index, skill))
    .join('');
  const choice = (value: InterestChoice) =>
    `<label><input type="radio" name="interest" value="${value}" style="width:auto"${model.interest === value ? ' checked' : ''}> ` +
    `${escapeHtml(t.choices[value])}</label>`;
  return `<form method="post" action="${escapeHtml(model.action)}">` +
    (model.invitation ? `<input type="hidden" name="match" value="${escapeHtml(model.invitation.matchId)}">` : '') +
    `<fieldset><legend>${escapeHtml(t.skills)}</legend>${rows}</fieldset>` +
    `<label>${escapeHtml(t.city)}<input name="city" maxlength="100" value="${escapeHtml(model.values.city)}"></label>` +
    `<label>${escapeHtml(t.country)}<input name="country" maxlength="2" value="${escapeHtml(model.values.country)}"></label>` +
    `<fieldset><legend>${escapeHtml(t.interest)}</legend>${choice('open')}${choice('not_now')}${choice('remove')}</fieldset>` +
    `<p><button type="submit">${escapeHtml(t.save)}</button></p></form>`;
}

/** What the person can do about a field the validator refused, in their language (the API's messages are for developers). */
function helpFor(lang: Lang, field: string): string {
  const help = TEXT[lang].fieldHelp;
  if (field === 'skills' || field.startsWith('skills.')) return field.endsWith('.level') ? help.level : help.skill;
  return field === 'city' || field === 'country' || field === 'interest' ? help[field] : help.other;
}

function errorList(lang: Lang, errors: FieldError[]): string {
  if (errors.length === 0) return '';
  const items = [...new Set(errors.map((error) => helpFor(lang, error.field)))].map((help) => `<li>${escapeHtml(help)}</li>`).join('');
  return `<div role="alert"><p>${escapeHtml(TEXT[lang].errors)}</p><ul>${items}</ul></div>`;
}

export const profilePages = {
  profile: (lang: Lang, model: ProfilePageModel) =>
    htmlPage(lang, TEXT[lang].title,
      (model.saved ? `<p role="status"><strong>${escapeHtml(TEXT[lang].saved)}</strong></p>` : '') +
      TEXT[lang].intro(model.firstName, model.company) +
      (model.invitation ? TEXT[lang].invitation(model.invitation.vacancyTitle) : '') +
      errorList(lang, model.errors) +
      form(lang, model)),
  removed: (lang: Lang) => htmlPage(lang, TEXT[lang].removedTitle, `<p>${escapeHtml(TEXT[lang].removedBody)}</p>`),
  notInPool: (lang: Lang) => htmlPage(lang, TEXT[lang].notInPoolTitle, `<p>${escapeHtml(TEXT[lang].notInPoolBody)}</p>`),
  invalid: (lang: Lang) => htmlPage(lang, TEXT[lang].invalidTitle, `<p>${escapeHtml(TEXT[lang].invalidBody)}</p>`),
};

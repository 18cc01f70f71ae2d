import { escapeHtml, htmlPage } from '../../common/http/html-page';

type Lang = 'sv' | 'en';

/**
 * The consent text a candidate agrees to on the page. Change the wording
 * and you must change CONSENT_LINK_TEXT_VERSION: the version is stored with
 * each consent as evidence of what the person saw.
 */
export const CONSENT_LINK_TEXT_VERSION = 'email-link-1';

const TEXT = {
  en: {
    askTitle: 'May we keep in touch?',
    askBody: (company: string, months: number) =>
      `<p>${escapeHtml(company)} would like to keep your name, contact details and our notes from the recruitment process in our talent pool, ` +
      `so that we can contact you when a role that suits you opens.</p>` +
      `<p>Your consent lasts ${months} months. You can withdraw it at any time by replying to any of our emails, and we will then remove you from the pool.</p>`,
    askButton: 'Yes, keep my details',
    doneTitle: 'Thank you',
    doneBody: 'You are in our talent pool. We will be in touch when a role that suits you comes up.',
    invalidTitle: 'This link does not work',
    invalidBody: 'The link may be incomplete, changed or too old. Reply to the email you received and we will help.',
  },
  sv: {
    askTitle: 'Får vi höra av oss igen?',
    askBody: (company: string, months: number) =>
      `<p>${escapeHtml(company)} vill spara ditt namn, dina kontaktuppgifter och våra anteckningar från rekryteringen i vår talangpool, ` +
      `så att vi kan kontakta dig när en roll som passar dig öppnar.</p>` +
      `<p>Ditt samtycke gäller i ${months} månader. Du kan när som helst återkalla det genom att svara på något av våra mejl, så tar vi bort dig ur poolen.</p>`,
    askButton: 'Ja, spara mina uppgifter',
    doneTitle: 'Tack',
    doneBody: 'Du finns nu i vår talangpool. Vi hör av oss när en roll som passar dig dyker upp.',
    invalidTitle: 'Länken fungerar inte',
    invalidBody: 'Länken kan vara ofullständig, ändrad eller för gammal. Svara på mejlet du fick så hjälper vi dig.',
  },
} as const;

export const consentLinkPages = {
  /** `action`: where the button posts, as PublicUrls.path gives it. */
  ask: (lang: Lang, action: string, company: string, months: number) =>
    htmlPage(lang, TEXT[lang].askTitle,
      `${TEXT[lang].askBody(company, months)}<form method="post" action="${escapeHtml(action)}">` +
      `<button type="submit">${escapeHtml(TEXT[lang].askButton)}</button></form>`),
  done: (lang: Lang) => htmlPage(lang, TEXT[lang].doneTitle, `<p>${TEXT[lang].doneBody}</p>`),
  invalid: (lang: Lang) => htmlPage(lang, TEXT[lang].invalidTitle, `<p>${TEXT[lang].invalidBody}</p>`),
};

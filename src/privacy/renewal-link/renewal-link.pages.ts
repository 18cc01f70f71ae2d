import { escapeHtml, htmlPage } from '../../common/http/html-page';

type Lang = 'sv' | 'en';

/**
 * What the candidate agrees to when they stay. Change the wording and you
 * must change RENEWAL_TEXT_VERSION: the version is stored with each
 * consent as evidence of what the person saw.
 */
export const RENEWAL_TEXT_VERSION = 'renewal-link-1';

export interface RenewalPageFacts {
  company: string;
  /** The current consent's last day, formatted for the reader; null when it has already ended. */
  validUntil: string | null;
  months: number;
  graceDays: number;
}

const TEXT = {
  en: {
    askTitle: 'Stay in our talent pool?',
    askBody: (f: RenewalPageFacts) =>
      `<p>${escapeHtml(f.company)} keeps your name, contact details and our notes from earlier recruitments in its talent pool, ` +
      `so that we can contact you when a role that suits you opens.</p>` +
      (f.validUntil ? `<p>Your consent is valid until ${escapeHtml(f.validUntil)}.</p>` : `<p>Your consent has expired, so you are no longer in the pool.</p>`) +
      `<p>If you stay, your consent lasts ${f.months} months from today. You can withdraw it at any time through this page or by replying to any of our emails.</p>` +
      `<p>If you leave, you are removed from the pool at once and your details are erased within ${f.graceDays} days, ` +
      `unless you are in one of our recruitments right now; then they are erased when it is over.</p>`,
    stay: 'Keep me in the pool',
    leave: 'Remove me',
    stayedTitle: 'Thank you for staying',
    stayedBody: (until: string) => `<p>Your consent is renewed until ${escapeHtml(until)}. We will be in touch when a role that suits you comes up.</p>`,
    leftTitle: 'You have left the talent pool',
    leftBody: (graceDays: number) =>
      `<p>We will not contact you about new roles, and your details will be erased within ${graceDays} days. Thank you for your interest in us, and good luck.</p>`,
    invalidTitle: 'This link does not work',
    invalidBody: 'The link may be incomplete, changed or too old. Reply to the email you received and we will help.',
  },
  sv: {
    askTitle: 'Vill du vara kvar i vår talangpool?',
    askBody: (f: RenewalPageFacts) =>
      `<p>${escapeHtml(f.company)} sparar ditt namn, dina kontaktuppgifter och våra anteckningar från tidigare rekryteringar i sin talangpool, ` +
      `så att vi kan kontakta dig när en roll som passar dig öppnar.</p>` +
      (f.validUntil ? `<p>Ditt samtycke gäller till och med ${escapeHtml(f.validUntil)}.</p>` : `<p>Ditt samtycke har gått ut, så du finns inte längre i poolen.</p>`) +
      `<p>Om du stannar gäller samtycket i ${f.months} månader från i dag. Du kan när som helst återkalla det via den här sidan eller genom att svara på något av våra mejl.</p>` +
      `<p>Om du lämnar tas du bort ur poolen direkt och dina uppgifter raderas inom ${f.graceDays} dagar, ` +
      `om du inte är med i en av våra rekryteringar just nu; då raderas de när den är avslutad.</p>`,
    stay: 'Ja, jag vill vara kvar',
    leave: 'Ta bort mig',
    stayedTitle: 'Tack för att du stannar',
    stayedBody: (until: string) => `<p>Ditt samtycke är förnyat till och med ${escapeHtml(until)}. Vi hör av oss när en roll som passar dig dyker upp.</p>`,
    leftTitle: 'Du har lämnat talangpoolen',
    leftBody: (graceDays: number) =>
      `<p>Vi kontaktar dig inte om nya roller, och dina uppgifter raderas inom ${graceDays} dagar. Tack för ditt intresse för oss, och lycka till.</p>`,
    invalidTitle: 'Länken fungerar inte',
    invalidBody: 'Länken kan vara ofullständig, ändrad eller för gammal. Svara på mejlet du fick så hjälper vi dig.',
  },
} as const;

const button = (action: string, label: string, secondary = false) =>
  `<form method="post" action="${escapeHtml(action)}"><button type="submit"${secondary ? ' class="secondary"' : ''}>${escapeHtml(label)}</button></form>`;

/** Where the page's buttons post, as PublicUrls.path gives them. */
interface RenewalActions {
  renew: string;
  withdraw: string;
}

export const renewalPages = {
  ask: (lang: Lang, actions: RenewalActions, facts: RenewalPageFacts) =>
    htmlPage(lang, TEXT[lang].askTitle,
      TEXT[lang].askBody(facts) + button(actions.renew, TEXT[lang].stay) + '<p></p>' +
      button(actions.withdraw, TEXT[lang].leave, true)),
  stayed: (lang: Lang, until: string) => htmlPage(lang, TEXT[lang].stayedTitle, TEXT[lang].stayedBody(until)),
  left: (lang: Lang, graceDays: number) => htmlPage(lang, TEXT[lang].leftTitle, TEXT[lang].leftBody(graceDays)),
  invalid: (lang: Lang) => htmlPage(lang, TEXT[lang].invalidTitle, `<p>${TEXT[lang].invalidBody}</p>`),
};

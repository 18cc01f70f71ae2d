import { escapeHtml, htmlPage } from '../../common/http/html-page';

type Lang = 'sv' | 'en';

const TEXT = {
  en: {
    confirmTitle: 'Unsubscribe from our emails?',
    confirmBody: 'You will stop receiving our occasional updates about new roles. Emails about an application you have with us will still reach you.',
    confirmButton: 'Unsubscribe',
    doneTitle: 'You are unsubscribed',
    doneBody: 'You will not receive any more updates from us. Thank you for the time you spent with us, and good luck.',
    undoButton: 'I changed my mind: subscribe again',
    resubscribedTitle: 'Welcome back',
    resubscribedBody: 'You will receive our occasional updates again.',
    invalidTitle: 'This link does not work',
    invalidBody: 'The link may be incomplete or changed. Copy the whole link from the email, or reply to the email and we will help.',
  },
  sv: {
    confirmTitle: 'Avsluta prenumerationen?',
    confirmBody: 'Du slutar få våra utskick om nya roller. Mejl om en ansökan du har hos oss kommer fortfarande fram.',
    confirmButton: 'Avsluta prenumerationen',
    doneTitle: 'Du har avslutat prenumerationen',
    doneBody: 'Du får inga fler utskick från oss. Tack för tiden du lade på oss, och lycka till framöver.',
    undoButton: 'Jag ångrade mig: prenumerera igen',
    resubscribedTitle: 'Välkommen tillbaka',
    resubscribedBody: 'Du får våra utskick igen.',
    invalidTitle: 'Länken fungerar inte',
    invalidBody: 'Länken kan vara ofullständig eller ändrad. Kopiera hela länken från mejlet, eller svara på mejlet så hjälper vi dig.',
  },
} as const;

const form = (action: string, label: string, secondary = false) =>
  `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
  `<button type="submit"${secondary ? ' class="secondary"' : ''}>${escapeHtml(label)}</button></form>`;

/** Where the page's buttons post, as PublicUrls.path gives them. */
export interface UnsubscribeActions {
  unsubscribe: string;
  resubscribe: string;
}

export const unsubscribePages = {
  confirm: (lang: Lang, actions: UnsubscribeActions) =>
    htmlPage(lang, TEXT[lang].confirmTitle, `<p>${TEXT[lang].confirmBody}</p>${form(actions.unsubscribe, TEXT[lang].confirmButton)}`),
  done: (lang: Lang, actions: UnsubscribeActions) =>
    htmlPage(lang, TEXT[lang].doneTitle, `<p>${TEXT[lang].doneBody}</p>${form(actions.resubscribe, TEXT[lang].undoButton, true)}`),
  resubscribed: (lang: Lang) => htmlPage(lang, TEXT[lang].resubscribedTitle, `<p>${TEXT[lang].resubscribedBody}</p>`),
  invalid: (lang: Lang) => htmlPage(lang, TEXT[lang].invalidTitle, `<p>${TEXT[lang].invalidBody}</p>`),
};

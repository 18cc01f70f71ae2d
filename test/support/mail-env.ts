/** The settings the email tests run with: mail goes out at once, from and replied to Acme's addresses. */
export const ACME_MAIL_ENV = {
  SEND_WINDOW: 'always',
  EMAIL_RATE_PER_SECOND: '1000',
  MAIL_FROM: 'Acme Talent <no-reply@acme.test>',
  MAIL_REPLY_TO: 'Acme Recruiting <recruiting@acme.test>',
  PUBLIC_BASE_URL: 'https://talent.acme.test',
  COMPANY_NAME: 'Acme',
};

import { classifySmtpError, SmtpError } from './smtp-sender';

const rcpt = (responseCode: number, response: string): SmtpError => ({ code: 'EENVELOPE', responseCode, command: 'RCPT TO', response, message: response });
const data = (responseCode: number, response: string): SmtpError => ({ code: 'EMESSAGE', responseCode, command: 'DATA', response, message: response });

describe(classifySmtpError.name, () => {
  it.each([
    ['550 5.1.1 No such user', rcpt(550, '550 5.1.1 No such user')],
    ['550 5.1.1 at DATA (some servers check the mailbox only then)', data(550, '550 5.1.1 <x@y> unknown')],
    ['550 5.2.1 mailbox disabled', data(550, '550-5.2.1 mailbox disabled')],
    ['a plain 550 to RCPT TO from a server without enhanced codes', rcpt(550, '550 No such user here')],
    ['553 mailbox name not allowed', rcpt(553, '553 sorry, that domain isn\'t in my list of allowed rcpthosts')],
  ])('suppresses the address for %s', (_label, error) => {
    expect(classifySmtpError(error)).toMatchObject({ kind: 'permanent', recipientRefused: true });
  });

  it.each([
    ['a message refused for its content', data(554, '554 5.6.0 Message content rejected')],
    ['a plain 550 after the message (as often a content filter)', data(550, '550 Message rejected as spam')],
    ['a plain 554 to RCPT TO', rcpt(554, '554 Transaction failed')],
  ])('fails the email alone, suppressing nobody, for %s', (_label, error) => {
    expect(classifySmtpError(error)).toMatchObject({ kind: 'permanent', recipientRefused: false });
  });

  it.each([
    ['relay access denied (our relay set-up)', rcpt(554, '554 5.7.1 <x@y>: Relay access denied')],
    ['our IP on a block list', rcpt(550, '550 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org')],
    ['an SPF failure of our sender', rcpt(550, '550 5.7.23 Recipient address rejected: SPF fail')],
    ['our sender\'s domain unknown', rcpt(553, '553 5.1.8 <noreply@ours>: Sender address rejected: Domain not found')],
    ['a full mailbox', rcpt(552, '552 5.2.2 Mailbox full')],
    ['a full mailbox without a status', rcpt(552, '552 Requested mail action aborted: exceeded storage allocation')],
    ['spam policy after the message', data(554, '554 5.7.1 Message rejected as spam')],
    ['530 to MAIL FROM (our login)', { code: 'EENVELOPE', responseCode: 530, command: 'MAIL FROM', response: '530 5.7.0 Authentication required' }],
    ['535 to AUTH', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN', response: '535 5.7.8 Authentication failed' }],
    ['451 to RCPT TO', rcpt(451, '451 4.7.1 Try again later')],
    ['a lost connection', { code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' }],
  ])('retries %s', (_label, error) => {
    expect(classifySmtpError(error)).toMatchObject({ kind: 'transient' });
  });

  it('says what happened in the error', () => {
    expect(classifySmtpError(rcpt(550, '550 5.1.1 No such user'))).toEqual({
      kind: 'permanent', recipientRefused: true, error: 'EENVELOPE 550: 550 5.1.1 No such user',
    });
  });
});

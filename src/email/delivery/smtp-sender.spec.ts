import { classifySmtpError } from './smtp-sender';

describe(classifySmtpError.name, () => {
  it('suppresses an address only when the recipient is refused', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 No such user', message: 'No such user' }))
      .toEqual({ kind: 'permanent', recipientRefused: true, error: 'EENVELOPE 550: No such user' });
    // Some servers refuse an unknown mailbox only after the message: the status says it is the address.
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 550, command: 'DATA', response: '550 5.1.1 <x@y> unknown' }))
      .toMatchObject({ kind: 'permanent', recipientRefused: true });
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 550, command: 'DATA', response: '550-5.2.1 mailbox disabled' }))
      .toMatchObject({ kind: 'permanent', recipientRefused: true });
    // An older server without enhanced status codes: 550 is "mailbox unavailable".
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 550, command: 'DATA', response: '550 No such user' }))
      .toMatchObject({ kind: 'permanent', recipientRefused: true });
  });

  it('fails a message refused for itself without blaming the address', () => {
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 554, command: 'DATA', response: '554 5.7.1 Message rejected as spam' }))
      .toMatchObject({ kind: 'permanent', recipientRefused: false });
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 550, command: 'DATA', response: '550 5.7.1 Rejected by policy' }))
      .toMatchObject({ kind: 'permanent', recipientRefused: false });
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 554, command: 'DATA', response: '554 Transaction failed' }))
      .toMatchObject({ kind: 'permanent', recipientRefused: false });
  });

  it('retries our own set-up being refused, 4xx replies and lost connections', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 530, command: 'MAIL FROM', response: '530 5.7.0 Authentication required' }))
      .toMatchObject({ kind: 'transient' });
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })).toMatchObject({ kind: 'transient' });
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' })).toMatchObject({ kind: 'transient' });
    expect(classifySmtpError({ code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' }))
      .toEqual({ kind: 'transient', error: 'ECONNECTION: Connection closed unexpectedly' });
  });
});

import { loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('takes MAIL_REPLY_TO as an address or a name and <address>, and names it when it is neither', () => {
    expect(loadConfig({ MAIL_REPLY_TO: 'recruiting@acme.test' }).MAIL_REPLY_TO).toBe('recruiting@acme.test');
    expect(loadConfig({ MAIL_REPLY_TO: 'Acme Recruiting <recruiting@acme.test>' }).MAIL_REPLY_TO).toBe('Acme Recruiting <recruiting@acme.test>');
    expect(loadConfig({ MAIL_REPLY_TO: '' }).MAIL_REPLY_TO).toBeUndefined();
    expect(() => loadConfig({ MAIL_REPLY_TO: 'recruiting at acme' })).toThrow(/MAIL_REPLY_TO/);
    expect(() => loadConfig({ MAIL_REPLY_TO: 'a@b.test\r\nBcc: x@y.test' })).toThrow(/MAIL_REPLY_TO/);
  });
});

import { loggablePath } from './logger.options';

describe('loggablePath', () => {
  it('drops the query string and the token of every candidate link', () => {
    expect(loggablePath('/api/v1/candidates?q=Ada%20Lovelace')).toBe('/api/v1/candidates');
    expect(loggablePath('/p/eyJjIjoiYWJjIn0.c2lnbmF0dXJl?match=x')).toBe('/p/:token');
    expect(loggablePath('/u/opaque-token/resubscribe')).toBe('/u/:token/resubscribe');
    expect(loggablePath('/c/abc.def')).toBe('/c/:token');
    expect(loggablePath('/consent/abc.def/withdraw')).toBe('/consent/:token/withdraw');
    // Express routes without regard to case, so /P/… opens the same page.
    expect(loggablePath('/P/abc.def')).toBe('/P/:token');
    // A request target in absolute form reaches the app as it came.
    expect(loggablePath('http://talent.acme.test/p/abc.def?match=x')).toBe('/p/:token');
    expect(loggablePath('HTTPS://host:8080/consent/abc.def/renew')).toBe('/consent/:token/renew');
    expect(loggablePath('http://host')).toBe('/');
    // Behind a proxy that passes PUBLIC_BASE_URL's path on: logged as routed, token and all taken out.
    expect(loggablePath('/talent/u/abc.def?x=1', '/talent')).toBe('/u/:token');
    expect(loggablePath('/talent/p/abc.def', '/talent')).toBe('/p/:token');
    expect(loggablePath('/talentx/p/abc.def', '/talent')).toBe('/talentx/p/abc.def');
  });

  it('takes out a segment that may be an email or a name sent where an id belongs', () => {
    expect(loggablePath('/api/v1/candidates/alva.lindqvist@example.com')).toBe('/api/v1/candidates/:redacted');
    expect(loggablePath('/api/v1/candidates/alva%40example.com/consents')).toBe('/api/v1/candidates/:redacted/consents');
    expect(loggablePath('/api/v1/candidates/%C3%85sa%20Berg?x=1')).toBe('/api/v1/candidates/:redacted');
  });

  it('leaves other paths alone', () => {
    expect(loggablePath('/api/v1/vacancies/0b9c/matches')).toBe('/api/v1/vacancies/0b9c/matches');
    expect(loggablePath('/public/p/x')).toBe('/public/p/x');
    expect(loggablePath('/health/live')).toBe('/health/live');
  });
});

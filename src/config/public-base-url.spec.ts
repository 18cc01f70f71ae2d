import { ConfigError, loadConfig } from './app-config';

describe('PUBLIC_BASE_URL', () => {
  it('takes a host, with or without a path and a trailing slash', () => {
    for (const value of ['http://localhost:3000', 'https://jobs.example.com/', 'https://jobs.example.com/talent', 'https://jobs.example.com/talent/']) {
      expect(loadConfig({ PUBLIC_BASE_URL: value }).PUBLIC_BASE_URL).toBe(value);
    }
  });

  it('refuses at start-up what the links cannot carry, naming the variable and why', () => {
    const refusal = (value: string) => {
      try {
        loadConfig({ PUBLIC_BASE_URL: value });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error(`${value} was accepted`);
    };
    expect(refusal('https://jobs.example.com/talent?source=email')).toMatch(/^Invalid configuration: PUBLIC_BASE_URL=.*must not have a query string or fragment/);
    expect(refusal('https://jobs.example.com/talent#top')).toMatch(/PUBLIC_BASE_URL=.*must not have a query string or fragment/);
    expect(refusal('https://jobs.example.com?')).toMatch(/PUBLIC_BASE_URL=.*query string/);
    expect(refusal('https://admin:secret@jobs.example.com')).toMatch(/PUBLIC_BASE_URL=.*user name or password/);
    expect(refusal('https://jobs.example.com//talent')).toMatch(/PUBLIC_BASE_URL=.*empty path segment/);
    expect(refusal('jobs.example.com/talent')).toMatch(/PUBLIC_BASE_URL=.*must be an http\(s\) URL/);
    expect(refusal('ftp://jobs.example.com')).toMatch(/PUBLIC_BASE_URL=.*must be an http\(s\) URL/);
    expect(refusal('https://jobs.example.com/tal ent')).toMatch(/PUBLIC_BASE_URL=.*spaces/);
    expect(refusal('https://')).toMatch(/PUBLIC_BASE_URL=.*must be an http\(s\) URL/);
    // A base path the service's own routes begin with would be taken off them.
    expect(refusal('https://jobs.example.com/p')).toMatch(/PUBLIC_BASE_URL=.*must not start its path with \/p:/);
    expect(refusal('https://jobs.example.com/API/talent')).toMatch(/PUBLIC_BASE_URL=.*must not start its path with \/api:/);
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://jobs.example.com/people' }).PUBLIC_BASE_URL).toBe('https://jobs.example.com/people');
  });
});

import { loadConfig } from '../../config/app-config';
import { PublicUrls } from './public-urls';

describe(PublicUrls.name, () => {
  const urls = (base: string) => new PublicUrls(loadConfig({ PUBLIC_BASE_URL: base }));

  it('puts the path of PUBLIC_BASE_URL in front of every link and form action, one slash between', () => {
    for (const base of ['https://jobs.example.com/talent', 'https://jobs.example.com/talent/', 'https://JOBS.example.com:443/talent']) {
      expect(urls(base).absolute('/u/abc.def')).toBe('https://jobs.example.com/talent/u/abc.def');
      expect(urls(base).path('/u/abc.def/resubscribe')).toBe('/talent/u/abc.def/resubscribe');
    }
  });

  it('leaves links at the root when PUBLIC_BASE_URL has no path', () => {
    for (const base of ['http://localhost:3000', 'http://localhost:3000/']) {
      expect(urls(base).absolute('/p/abc.def')).toBe('http://localhost:3000/p/abc.def');
      expect(urls(base).path('/p/abc.def')).toBe('/p/abc.def');
    }
  });
});

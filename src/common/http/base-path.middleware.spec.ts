import type { Request, Response } from 'express';
import { basePathStripper } from './base-path.middleware';

describe(basePathStripper.name, () => {
  const served = (basePath: string, url: string) => {
    const req = { url } as Request;
    let called = false;
    basePathStripper(basePath)(req, {} as Response, () => (called = true));
    expect(called).toBe(true);
    return req.url;
  };

  it('takes the base path off a request that carries it, and leaves others alone', () => {
    expect(served('/talent', '/talent/u/abc.def')).toBe('/u/abc.def');
    expect(served('/talent', '/talent')).toBe('/');
    expect(served('/talent', '/talent?x=1')).toBe('/?x=1');
    expect(served('/talent', '/u/abc.def')).toBe('/u/abc.def');
    expect(served('/talent', '/talentx/health/live')).toBe('/talentx/health/live');
    expect(served('', '/talent/u/abc')).toBe('/talent/u/abc');
  });
});

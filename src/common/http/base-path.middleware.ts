import type { NextFunction, Request, Response } from 'express';

/**
 * `url` (a request target: path and query) as the routes know it, without
 * PUBLIC_BASE_URL's path: `/talent/u/...` is `/u/...`, `/talent` is `/`, and
 * `/talentx/...` is left as it is.
 */
export function withoutBasePath(url: string, basePath: string): string {
  if (!basePath || !(url === basePath || url.startsWith(`${basePath}/`) || url.startsWith(`${basePath}?`))) return url;
  const rest = url.slice(basePath.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * Lets a request name PUBLIC_BASE_URL's path or not: a reverse proxy at a
 * sub-path (https://jobs.example.com/talent) may strip it before
 * forwarding, or pass it on as it came (the default of many ingresses), and
 * every link and form the service writes carries it.
 */
export function basePathStripper(basePath: string) {
  return (req: Request, _res: Response, next: NextFunction) => {
    req.url = withoutBasePath(req.url, basePath);
    next();
  };
}

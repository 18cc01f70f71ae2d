import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { parsePublicBaseUrl, PublicBase } from '../../config/public-base-url';

/**
 * The candidates' pages as they are reached from outside: under PUBLIC_BASE_URL, whose path (a reverse
 * proxy's sub-path, stripped before the request reaches us) every link in an email and every form on
 * those pages must carry. The one place such a URL is built: a link or form written as a bare `/u/...`
 * would post past the proxy's sub-path.
 */
@Injectable()
export class PublicUrls {
  private readonly base: PublicBase;

  constructor(config: AppConfig) {
    this.base = parsePublicBaseUrl(config.PUBLIC_BASE_URL);
  }

  /** For emails (links, List-Unsubscribe): `https://jobs.example.com/talent/u/...`. */
  absolute(path: string): string {
    return `${this.base.origin}${this.path(path)}`;
  }

  /**
   * For a page's forms and links: `/talent/u/...`, on whichever host served the page (helmet's
   * Content-Security-Policy lets a form post to its own origin only, which PUBLIC_BASE_URL's may not be).
   */
  path(path: string): string {
    return `${this.base.path}${path}`;
  }
}

import { startTestApp, TestApp } from './test-app';

const IMPORT = '/api/v1/candidates/import';

/**
 * An app of its own for a describe block of import tests (started before them, closed after), a
 * recruiter's key, the upload calls, and how a test finds what was stored.
 */
export function importSuite() {
  let app: TestApp;
  let key: { Authorization: string };
  beforeAll(async () => {
    app = await startTestApp();
    key = await app.keyFor('recruiter');
  });
  afterAll(() => app.close());

  const upload = (contentType: string, body: string | Buffer, contentEncoding?: string) => {
    const request = app.http().post(IMPORT).set(key).set('Content-Type', contentType);
    return (contentEncoding ? request.set('Content-Encoding', contentEncoding) : request).send(Buffer.from(body));
  };
  return {
    get sut(): TestApp {
      return app;
    },
    get recruiter(): { Authorization: string } {
      return key;
    },
    upload,
    importCsv: (csv: string | Buffer, contentEncoding?: string) => upload('text/csv', csv, contentEncoding),
    /** JSON lines, given as the lines' text. */
    importJsonLines: (lines: string[]) => upload('application/x-ndjson', lines.join('\n')),
    /** The candidate as a recruiter finds them by searching the pool by name. */
    async findByName(fullName: string) {
      const found = await app.http().get('/api/v1/candidates').query({ q: fullName, limit: 100 }).set(key).expect(200);
      return found.body.items.find((item: { fullName: string }) => item.fullName === fullName);
    },
  };
}

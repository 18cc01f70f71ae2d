import { TestApp } from './test-app';

const IMPORT = '/api/v1/candidates/import';

/** The calls an import test makes with a recruiter's key, and how it finds what was stored. */
export function importApi(sut: () => TestApp, key: () => { Authorization: string }) {
  const upload = (contentType: string, body: string | Buffer, contentEncoding?: string) => {
    const request = sut().http().post(IMPORT).set(key()).set('Content-Type', contentType);
    return (contentEncoding ? request.set('Content-Encoding', contentEncoding) : request).send(Buffer.from(body));
  };
  return {
    upload,
    importCsv: (csv: string | Buffer, contentEncoding?: string) => upload('text/csv', csv, contentEncoding),
    /** JSON lines, given as the lines' text. */
    importJsonLines: (lines: string[]) => upload('application/x-ndjson', lines.join('\n')),
    /** The candidate as a recruiter finds them by searching the pool by name. */
    async findByName(fullName: string) {
      const found = await sut().http().get('/api/v1/candidates').query({ q: fullName, limit: 100 }).set(key()).expect(200);
      return found.body.items.find((item: { fullName: string }) => item.fullName === fullName);
    },
  };
}

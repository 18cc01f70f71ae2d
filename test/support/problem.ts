import type { Response } from 'supertest';

/** Asserts the one error shape (RFC 9457) and returns the body for further checks. */
export function expectProblem(response: Response, status: number, fields: string[] = []) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, type: expect.stringMatching(/^urn:silverpool:problem:/), title: expect.any(String), detail: expect.any(String) });
  if (fields.length) {
    const named = (response.body.errors ?? []).map((error: { field: string }) => error.field);
    expect(named).toEqual(expect.arrayContaining(fields));
  }
  return response.body;
}

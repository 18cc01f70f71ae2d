import { TestApp } from './test-app';

let sequence = 0;

/** Creates a candidate through the API, optionally with valid talent-pool consent. */
export async function addCandidate(
  sut: TestApp,
  fields: Record<string, unknown> = {},
  options: { consent?: boolean } = {},
): Promise<{ id: string; email: string; fullName: string }> {
  sequence += 1;
  const body = {
    fullName: `Pool Person${sequence}`,
    email: `person${sequence}-${Date.now()}@example.com`,
    ...fields,
  };
  const created = await sut.http().post('/api/v1/candidates').set(sut.admin).send(body);
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  if (options.consent) {
    const consent = await sut.http().post(`/api/v1/candidates/${created.body.id}/consents`).set(sut.admin)
      .send({ scope: 'talent_pool', textVersion: 'v1', source: 'application_form' });
    if (consent.status !== 201) throw new Error(`consent failed: ${consent.status}`);
  }
  return created.body;
}

import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import { startTestApp, TestApp } from './support/test-app';

// class-transformer keeps its @Type() metadata here; the package exports the types, not this module path.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/** Values of the wrong kind (a list of lists where a list of objects is asked, too), or of the right kind that the database would refuse. */
const BAD_VALUES: unknown[] = [null, [[]], '', '\u0000', 'x'.repeat(5000), 1e308, -1, 1.5, true, [], {}, ['\u0000'], '2026-13-45', '-'.repeat(36), '\ufb00'.repeat(60)];
const BAD_QUERY = ['', '%00', 'x'.repeat(3000), '-1', '1e308', '1.5', '2026-W05', '-'.repeat(36), 'a,,b', '%FF'];
const VERBS: Partial<Record<RequestMethod, 'get' | 'post' | 'put' | 'patch' | 'delete'>> = {
  [RequestMethod.GET]: 'get', [RequestMethod.POST]: 'post', [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch', [RequestMethod.DELETE]: 'delete',
};

interface Route {
  verb: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /** Whether the handler reads a body at all (@Body()), and its DTO class if it has one. */
  takesBody: boolean;
  body?: Type;
  query?: Type;
}

/** Every route the app serves, with the DTO classes of its body and query, read from Nest's own metadata. */
function routesOf(sut: TestApp): Route[] {
  const routes: Route[] = [];
  for (const module of sut.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        const verb = VERBS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        if (name === 'constructor' || !verb) continue;
        const path = `/${[prefix, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')].join('/')}`.replace(/\/+/g, '/').replace(/\/$/, '');
        const args: Record<string, { index: number }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {};
        const types: Type[] = Reflect.getMetadata('design:paramtypes', controller.prototype, name) ?? [];
        const argOf = (kind: RouteParamtypes) => Object.entries(args).find(([key]) => key.split(':')[0] === String(kind));
        const typeOf = (kind: RouteParamtypes) => {
          const entry = argOf(kind);
          const type = entry && types[entry[1].index];
          return type && type !== Object && type !== String ? type : undefined;
        };
        routes.push({ verb, path, takesBody: !!argOf(RouteParamtypes.BODY), body: typeOf(RouteParamtypes.BODY), query: typeOf(RouteParamtypes.QUERY) });
      }
    }
  }
  return routes;
}

/** The properties class-validator checks on a DTO, each with the class of its nested object, if any. */
function fieldsOf(dto: Type): { name: string; nested?: Type }[] {
  const names = new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName));
  return [...names].map((name) => ({ name, nested: defaultMetadataStorage.findTypeMetadata(dto, name)?.typeFunction() as Type | undefined }));
}

/**
 * Every route, fed malformed input field by field: whatever is wrong, the
 * answer is never a 5xx. Routes and fields come from the app's own metadata,
 * so a new endpoint or field is covered the day it is added.
 */
describe('Malformed input on every route', () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('never answers a 5xx', async () => {
    const api = () => sut.http();
    const candidate = (await api().post('/api/v1/candidates').set(sut.admin)
      .send({ fullName: 'Malformed Input', email: 'malformed@example.com', skills: [{ name: 'go', level: 3 }] }).expect(201)).body;
    const vacancy = (await api().post('/api/v1/vacancies').set(sut.admin).send({
      title: 'Malformed role', hiringManager: { name: 'H M', email: 'hm@example.com' }, status: 'open', expectedDecisionDate: '2027-01-15',
      criteria: { skills: [{ name: 'go', weight: 3, required: true }] },
    }).expect(201)).body;
    await api().post(`/api/v1/candidates/${candidate.id}/consents`).set(sut.admin)
      .send({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal' }).expect(201);
    const other = (await api().post('/api/v1/candidates').set(sut.admin)
      .send({ fullName: 'Malformed Other', email: 'malformed-other@example.com' }).expect(201)).body;
    await api().post(`/api/v1/vacancies/${vacancy.id}/matches/run`).set(sut.admin).expect(200);
    const [match] = (await api().get(`/api/v1/matches?vacancyId=${vacancy.id}`).set(sut.admin).expect(200)).body.items;
    const candidacy = (await api().post('/api/v1/candidacies').set(sut.admin).send({ candidateId: other.id, vacancyId: vacancy.id }).expect(201)).body;
    const campaign = (await api().post('/api/v1/campaigns').set(sut.admin)
      .send({ name: 'Malformed campaign', steps: [{ templateKey: 'nurture_checkin', delay: 'P1D' }] }).expect(201)).body;
    const privacyRequest = (await api().post('/api/v1/privacy-requests').set(sut.admin)
      .send({ kind: 'access', candidateId: candidate.id }).expect(201)).body;
    // Each route gets a real id of its own resource, one that names nothing, and one that is not an id.
    const realIds: Record<string, string> = {
      candidates: candidate.id, vacancies: vacancy.id, matches: match.id, candidacies: candidacy.id,
      campaigns: campaign.id, 'privacy-requests': privacyRequest.id,
    };
    const valuesFor = (path: string, parameter: string): string[] => {
      const named: Record<string, string[]> = { token: ['garbage', '%00', 'a.b.c'], key: ['nurture_checkin', 'nope'], locale: ['en', 'xx'], alias: ['k8s', '%00'] };
      if (named[parameter]) return named[parameter];
      const real = realIds[path.split('/')[3]];
      return [...(real ? [real] : []), '00000000-0000-4000-8000-000000000000', 'not-a-uuid'];
    };

    // A valid body per route where one is known: each bad value then replaces one field of it, so it reaches
    // the service and the database instead of stopping at a missing required field.
    let unique = 0;
    const examples: Record<string, () => Record<string, unknown>> = {
      'post /api/v1/candidates': () => ({ fullName: 'Example Person', email: `example${++unique}@example.com`, skills: [{ name: 'go', level: 2 }] }),
      'patch /api/v1/candidates/:id': () => ({ fullName: 'Example Person', skills: [{ name: 'go', level: 2 }] }),
      'post /api/v1/candidates/:id/consents': () => ({ scope: 'talent_pool', textVersion: 'v1', source: 'verbal' }),
      'post /api/v1/vacancies': () => ({
        title: 'Example role', hiringManager: { name: 'H M', email: 'hm@example.com' }, criteria: { skills: [{ name: 'go', weight: 3 }] },
      }),
      'patch /api/v1/vacancies/:id': () => ({ title: 'Example role', criteria: { skills: [{ name: 'go', weight: 3 }] } }),
      'post /api/v1/campaigns': () => ({ name: `Example ${++unique}`, steps: [{ templateKey: 'nurture_checkin', delay: 'P1D' }] }),
      'post /api/v1/skills/aliases': () => ({ alias: `alias${++unique}`, skill: 'go' }),
      'post /api/v1/api-keys': () => ({ name: 'Example key', role: 'viewer' }),
      'post /api/v1/privacy-requests': () => ({ kind: 'access', candidateId: candidate.id }),
      'put /api/v1/templates/:key/:locale': () => ({ subject: 'Hello {{candidate.firstName}}', html: '<p>Hi</p>', text: 'Hi' }),
    };
    // Settings: what the service answers now is a valid body.
    for (const path of ['/api/v1/settings/feedback-policy', '/api/v1/settings/silver-medalist-campaign']) {
      const current = (await api().get(path).set(sut.admin).expect(200)).body;
      examples[`put ${path}`] = () => structuredClone(current);
    }
    /** Routes whose body is not a DTO: the candidates' own pages (HTML forms). The import reads its stream itself. */
    const RAW_BODIES = ['/p/:token', '/u/:token', '/u/:token/resubscribe', '/c/:token', '/consent/:token', '/consent/:token/renew', '/consent/:token/withdraw'];

    const failures: string[] = [];
    const unexamined: string[] = [];
    let sent = 0;
    const send = async (verb: Route['verb'], url: string, body?: unknown) => {
      sent += 1;
      let request = api()[verb](url).set(sut.admin);
      if (body !== undefined) request = request.set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
      const response = await request;
      if (response.status >= 500) failures.push(`${response.status} ${verb.toUpperCase()} ${url.slice(0, 120)} ${JSON.stringify(body)?.slice(0, 120)}`);
    };

    const routes = routesOf(sut);
    for (const route of routes) {
      const parameters = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]);
      const [first, ...rest] = parameters;
      // Deleting the shared candidate would leave the other routes without one.
      const fills = first ? valuesFor(route.path, first).filter((value) => !(route.verb === 'delete' && value === candidate.id)) : [''];
      for (const fill of fills) {
        // The first parameter takes each of its values; any others their first (valid) one.
        let url = first ? route.path.replace(`:${first}`, fill) : route.path;
        for (const parameter of rest) url = url.replace(`:${parameter}`, valuesFor(route.path, parameter)[0]);
        for (const { name } of route.query ? fieldsOf(route.query) : []) {
          for (const value of BAD_QUERY) await send(route.verb, `${url}?${name}=${value}`);
        }
        if (!route.body) {
          if (route.takesBody && !RAW_BODIES.includes(route.path)) unexamined.push(`${route.verb} ${route.path}`);
          await send(route.verb, url);
          continue;
        }
        const fields = fieldsOf(route.body);
        if (fields.length === 0) unexamined.push(`${route.verb} ${route.path}`);
        const example = examples[`${route.verb} ${route.path}`] ?? (() => ({}));
        for (const raw of ['{"broken', '[]', 'null']) await send(route.verb, url, raw);
        for (const { name, nested } of fields) {
          for (const value of BAD_VALUES) await send(route.verb, url, { ...example(), [name]: value });
          for (const inner of nested ? fieldsOf(nested) : []) {
            for (const value of BAD_VALUES.slice(0, 9)) {
              await send(route.verb, url, { ...example(), [name]: { [inner.name]: value } });
              await send(route.verb, url, { ...example(), [name]: [{ [inner.name]: value }] });
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // No route that takes a body went without its fields being tried.
    expect(unexamined).toEqual([]);
    expect(routes.length).toBeGreaterThan(60);
    expect(sent).toBeGreaterThan(5000);
  }, 300_000);
});

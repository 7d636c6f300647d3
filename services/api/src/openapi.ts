import { z } from 'zod';
import { ROUTES } from './routes.js';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

function parametersOf(schema: z.ZodType | null, location: 'path' | 'query') {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const ERROR = { $ref: '#/components/responses/Error' };

/** The OpenAPI 3.0 document, generated from the same zod schemas that validate every request. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const route of ROUTES) {
    paths[route.path] = {
      get: {
        summary: route.summary,
        parameters: [...parametersOf(route.pathParams, 'path'), ...parametersOf(route.query, 'query')],
        responses: {
          200: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
          400: ERROR,
          401: ERROR,
          403: ERROR,
          404: ERROR,
          503: ERROR,
        },
      },
    };
  }
  paths['/api/v1/alerts/stream'] = {
    get: {
      summary: 'Live alert feed (server-sent events): `alert` events carry an alert’s current state as JSON',
      responses: { 200: { description: 'event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 401: ERROR, 503: ERROR },
    },
  };
  return {
    openapi: '3.0.3',
    info: {
      title: 'gtwatch analyst API',
      version: '1',
      description: 'Read-only access to Global Title abuse aggregates and alerts. Every response is scoped to the bearer token.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      responses: {
        Error: {
          description: 'An error, with a message naming the parameter when one is at fault',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['error'],
                properties: { error: { type: 'string' }, parameter: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}

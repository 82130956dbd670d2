// How each route appears in the OpenAPI document: an operationId (the route's own, else one made from its method
// and path), its security (none unless the route names a scheme) and the 429 any route may answer under the rate limits.
// `@redocly/cli lint` with the recommended ruleset runs on the result in npm test (openapi.test.ts).

/** The operationId of a route that does not name one: `GET /v1/jurisdictions/:id` → `getJurisdictionsById`. */
export function derivedOperationId(method: string, url: string): string {
  const words = url.split('/').filter((p) => p && p !== 'v1' && p !== '*').flatMap((p) => {
    const param = /^[:{](\w+)}?$/.exec(p);
    return param ? ['by', param[1]!] : p.split(/[^A-Za-z0-9]+/);
  }).filter(Boolean);
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return `${method.toLowerCase()}${pascal || 'Root'}`;
}

const tooMany = { description: 'Too many requests from this client address or token (Retry-After says when to retry)', $ref: 'Error#' };

/** The route's schema as documented: operationId, security and a 429 response added where absent. */
export function openApiOperation(method: string, url: string, schema: Record<string, unknown>): Record<string, unknown> {
  const response = (schema.response ?? {}) as Record<string, unknown>;
  return {
    ...schema,
    operationId: schema.operationId ?? derivedOperationId(method, url),
    security: schema.security ?? [],
    ...(schema.hide ? {} : { response: { ...response, ...(response['429'] ? {} : { 429: tooMany }) } }),
  };
}

// The rule catalogue of `sundial openapi diff`: every kind of change the diff reports, with a
// stable id, its default level, a one-line description and the advice given with it. The ids
// are a public interface (ignore files, level overrides and CI scripts name them): add new
// ones, never rename one.
//
// Direction decides most levels. What a client sends (parameters, request bodies) may get
// looser but not stricter; what it receives (responses, response headers) may get stricter
// but not looser. Webhooks turn this round: the API sends the request and the client answers.

export type Level = 'breaking' | 'warning' | 'info';
export type Dir = 'request' | 'response';

export interface Rule {
  id: string;
  level: Level;
  family: string;
  description: string;
  advice: string;
}

const rule = <I extends string>(family: string, id: I, level: Level, description: string, advice: string) => ({ id, level, family, description, advice });

// Constraint keywords, and which way each one tightens: a max tightens when it goes down, a
// min when it goes up; setting either where there was none tightens; removing one loosens.
export const BOUNDS = {
  maximum: { name: 'max', what: 'maximum', kind: 'max' },
  exclusiveMaximum: { name: 'exclusive-max', what: 'exclusive maximum', kind: 'max' },
  minimum: { name: 'min', what: 'minimum', kind: 'min' },
  exclusiveMinimum: { name: 'exclusive-min', what: 'exclusive minimum', kind: 'min' },
  multipleOf: { name: 'multiple-of', what: 'multipleOf', kind: 'multiple' },
  maxLength: { name: 'max-length', what: 'maximum length', kind: 'max' },
  minLength: { name: 'min-length', what: 'minimum length', kind: 'min' },
  maxItems: { name: 'max-items', what: 'maximum item count', kind: 'max' },
  minItems: { name: 'min-items', what: 'minimum item count', kind: 'min' },
  maxProperties: { name: 'max-properties', what: 'maximum property count', kind: 'max' },
  minProperties: { name: 'min-properties', what: 'minimum property count', kind: 'min' },
  maxContains: { name: 'max-contains', what: 'maxContains', kind: 'max' },
  minContains: { name: 'min-contains', what: 'minContains', kind: 'min' },
  uniqueItems: { name: 'unique-items', what: 'uniqueItems', kind: 'flag' },
  pattern: { name: 'pattern', what: 'pattern', kind: 'pattern' },
} as const;
export type BoundKeyword = keyof typeof BOUNDS;

// Assertion keywords (and 2020-12 applicators) judged as a whole: adding one only rejects
// more, removing one only accepts more, and a changed one cannot be judged without solving it.
export const ASSERTIONS = {
  not: 'not',
  if: 'if/then/else',
  propertyNames: 'propertyNames',
  contains: 'contains',
  dependentRequired: 'dependentRequired',
  dependentSchemas: 'dependentSchemas',
  patternProperties: 'patternProperties',
  unevaluatedProperties: 'unevaluatedProperties',
  unevaluatedItems: 'unevaluatedItems',
} as const;
export type AssertionKeyword = keyof typeof ASSERTIONS;
export const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function boundRules() {
  const out: Rule[] = [];
  for (const b of Object.values(BOUNDS)) {
    out.push(
      rule(
        'constraints',
        `request-${b.name}-tightened`,
        'breaking',
        `A request value's ${b.what} is stricter (or newly set)`,
        'Clients sending values that were valid will be rejected: keep the old bound in this version.',
      ),
      rule('constraints', `request-${b.name}-loosened`, 'info', `A request value's ${b.what} is looser (or removed)`, 'Compatible: clients may send more.'),
      rule(
        'constraints',
        `response-${b.name}-loosened`,
        'breaking',
        `A response value's ${b.what} is looser (or removed)`,
        'Clients may receive values they never had to handle: keep the bound, or tell them first.',
      ),
      rule(
        'constraints',
        `response-${b.name}-tightened`,
        'info',
        `A response value's ${b.what} is stricter (or newly set)`,
        'Compatible: responses stay within what clients handle.',
      ),
    );
  }
  out.push(
    rule(
      'constraints',
      'request-pattern-changed',
      'warning',
      'A request value must match a different pattern',
      'Check that every value clients send still matches, or accept both patterns.',
    ),
    rule(
      'constraints',
      'response-pattern-changed',
      'warning',
      'A response value matches a different pattern',
      'Check that clients parsing the value accept the new pattern.',
    ),
  );
  return out;
}

function assertionRules() {
  const out: Rule[] = [];
  for (const [k, what] of Object.entries(ASSERTIONS)) {
    const id = kebab(k);
    out.push(
      rule(
        'json-schema-2020-12',
        `request-${id}-added`,
        'breaking',
        `A request schema gained \`${what}\``,
        'It can only reject requests that were valid: leave it out of this version.',
      ),
      rule('json-schema-2020-12', `request-${id}-removed`, 'info', `A request schema lost \`${what}\``, 'Compatible: requests are accepted more widely.'),
      rule(
        'json-schema-2020-12',
        `response-${id}-removed`,
        'breaking',
        `A response schema lost \`${what}\``,
        'Responses may now carry what the assertion used to rule out: keep it.',
      ),
      rule('json-schema-2020-12', `response-${id}-added`, 'info', `A response schema gained \`${what}\``, 'Compatible: responses are constrained further.'),
      rule('json-schema-2020-12', `${id}-changed`, 'warning', `\`${what}\` changed`, 'Check by hand that it accepts what clients send and receive.'),
    );
  }
  return out;
}

const PATHS = [
  rule('paths', 'path-added', 'info', 'A path was added', 'Compatible.'),
  rule(
    'paths',
    'path-removed',
    'breaking',
    'A path that was not deprecated was removed',
    'Deprecate its operations with an x-sunset and remove the path after it.',
  ),
  rule('paths', 'path-parameter-renamed', 'info', 'A path template only renamed its parameters', 'Compatible: the URLs are the same.'),
  rule('operations', 'operation-added', 'info', 'An operation was added', 'Compatible.'),
  rule(
    'operations',
    'operation-removed',
    'breaking',
    'An operation that was not deprecated was removed',
    'Mark it deprecated: true with an x-sunset first, and remove it after that date.',
  ),
  rule(
    'operations',
    'operation-removed-before-sunset',
    'breaking',
    'A deprecated operation was removed before its sunset',
    "Keep it until its x-sunset (or the version's sunset) has passed.",
  ),
  rule('operations', 'operation-removed-after-sunset', 'info', 'A deprecated operation was removed after its sunset', 'Expected: its clients were told.'),
  rule(
    'operations',
    'operation-removed-without-sunset',
    'warning',
    'A deprecated operation with no sunset was removed',
    'Nothing told its clients when it would go: give deprecations an x-sunset (--deprecation-days makes one required).',
  ),
  rule(
    'operations',
    'operation-deprecated',
    'info',
    'An operation is now deprecated',
    'Give it an x-sunset and an x-successor, so clients know when and where to move.',
  ),
  rule('operations', 'operation-reactivated', 'info', 'A deprecated operation is not deprecated any more', 'Compatible.'),
  rule('operations', 'operation-id-changed', 'warning', 'An operationId changed', 'Generated clients name methods after it: keep it.'),
  rule('webhooks', 'webhook-added', 'info', 'A webhook was added', 'Compatible: receivers that do not know it can ignore it.'),
  rule('webhooks', 'webhook-removed', 'breaking', 'A webhook was removed', 'Receivers waiting for it stop getting events: deprecate it first.'),
];

const LIFECYCLE = [
  rule('deprecation', 'sunset-deleted', 'breaking', 'A deprecated element lost its x-sunset', 'Clients planned for that date: keep it, or move it later.'),
  rule('deprecation', 'sunset-moved-earlier', 'breaking', 'An x-sunset moved earlier', 'Clients planned for the old date: a sunset may only move later.'),
  rule(
    'deprecation',
    'sunset-unreadable',
    'breaking',
    'An x-sunset is not a readable date',
    'Write it as ISO 8601, such as 2027-06-30 or 2027-06-30T00:00:00Z.',
  ),
  rule(
    'deprecation',
    'sunset-too-soon',
    'breaking',
    'An x-sunset gives less notice than --deprecation-days asks',
    'Move the sunset later, to at least the minimum notice from now.',
  ),
  rule('deprecation', 'parameter-deprecated', 'info', 'A parameter is now deprecated', 'Give it an x-sunset.'),
  rule('deprecation', 'property-deprecated', 'info', 'A property is now deprecated', 'Give it an x-sunset.'),
  rule('extensions', 'stability-level-decreased', 'breaking', 'x-stability-level went down (stable -> beta -> alpha -> draft)', 'Stability may only go up.'),
  rule(
    'extensions',
    'stability-level-unreadable',
    'warning',
    'x-stability-level is not draft, alpha, beta or stable',
    'Use one of draft, alpha, beta, stable.',
  ),
];

const PARAMETERS = [
  rule(
    'parameters',
    'parameter-added-required',
    'breaking',
    'A required parameter was added',
    'Existing clients do not send it: make it optional, with a default.',
  ),
  rule('parameters', 'parameter-added', 'info', 'An optional parameter was added', 'Compatible.'),
  rule(
    'parameters',
    'parameter-removed',
    'warning',
    'A parameter that was not deprecated was removed',
    'Clients that still send it will have it ignored (or rejected by a strict server).',
  ),
  rule(
    'parameters',
    'parameter-removed-before-sunset',
    'breaking',
    'A deprecated parameter was removed before its sunset',
    'Keep it until its x-sunset has passed.',
  ),
  rule('parameters', 'parameter-removed-after-sunset', 'info', 'A deprecated parameter was removed after its sunset', 'Expected.'),
  rule(
    'parameters',
    'parameter-removed-without-sunset',
    'warning',
    'A deprecated parameter with no sunset was removed',
    'Nothing told its clients when it would go: give deprecations an x-sunset (--deprecation-days makes one required).',
  ),
  rule(
    'parameters',
    'parameter-renamed',
    'breaking',
    'A parameter was renamed (removed, and another added in its place)',
    'Clients send the old name: accept both names.',
  ),
  rule(
    'parameters',
    'parameter-became-required',
    'breaking',
    'An optional parameter is now required',
    'Clients that leave it out will be rejected: keep it optional, with a default.',
  ),
  rule('parameters', 'parameter-became-optional', 'info', 'A required parameter is now optional', 'Compatible.'),
  rule(
    'parameters',
    'parameter-serialization-changed',
    'breaking',
    "A parameter's style or explode changed",
    'Clients serialise it the old way: keep the old style.',
  ),
];

const BODIES = [
  rule('request-bodies', 'request-body-added-required', 'breaking', 'A required request body was added', 'Existing clients send none: make it optional.'),
  rule('request-bodies', 'request-body-added', 'info', 'An optional request body was added', 'Compatible.'),
  rule(
    'request-bodies',
    'request-body-removed',
    'breaking',
    'The request body was removed',
    'Clients that send one may have it rejected: keep accepting it in this version.',
  ),
  rule('request-bodies', 'request-body-became-required', 'breaking', 'The request body is now required', 'Keep it optional.'),
  rule('request-bodies', 'request-body-became-optional', 'info', 'The request body is now optional', 'Compatible.'),
  rule(
    'media-types',
    'request-media-type-removed',
    'breaking',
    'A request media type is no longer accepted',
    'Clients that send it get 415: keep accepting it.',
  ),
  rule('media-types', 'request-media-type-added', 'info', 'A request media type was added', 'Compatible.'),
  rule(
    'media-types',
    'request-media-type-specialised',
    'breaking',
    'A request media type was made more specific (application/* to application/json)',
    'Clients that send the general type get 415: keep accepting it.',
  ),
  rule('media-types', 'request-media-type-generalised', 'info', 'A request media type was made more general', 'Compatible.'),
  rule(
    'media-types',
    'response-media-type-removed',
    'breaking',
    'A response media type is no longer offered',
    'Clients that ask for it get 406 or another format: keep offering it.',
  ),
  rule('media-types', 'response-media-type-added', 'info', 'A response media type was added', 'Compatible.'),
  rule(
    'media-types',
    'response-media-type-specialised',
    'info',
    'A response media type was made more specific',
    'Compatible: what is sent is still of the old type.',
  ),
  rule(
    'media-types',
    'response-media-type-generalised',
    'breaking',
    'A response media type was made more general',
    'Clients may receive formats they cannot parse.',
  ),
];

const RESPONSES = [
  rule(
    'responses',
    'response-success-status-removed',
    'breaking',
    'A success (2xx) response status was removed',
    'Clients handle it: keep documenting it while the operation can return it.',
  ),
  rule(
    'responses',
    'response-status-removed',
    'warning',
    'A non-success response status was removed',
    'Clients that handle it may misread what they get instead.',
  ),
  rule('responses', 'response-status-added', 'info', 'A response status was added', 'Clients should expect it.'),
  rule('responses', 'response-status-specialised', 'info', 'A status range was made specific (2XX to 200)', 'Compatible.'),
  rule(
    'responses',
    'response-status-generalised',
    'warning',
    'A specific status became a range (200 to 2XX)',
    'Clients may receive statuses they do not handle.',
  ),
  rule(
    'response-headers',
    'response-header-removed',
    'breaking',
    'A required response header was removed',
    'Clients that read it will not find it: keep sending it.',
  ),
  rule(
    'response-headers',
    'response-optional-header-removed',
    'warning',
    'An optional response header was removed',
    'Clients that read it when present will not find it.',
  ),
  rule(
    'response-headers',
    'response-header-became-optional',
    'breaking',
    'A required response header is now optional',
    'Clients rely on it: keep it required.',
  ),
  rule('response-headers', 'response-header-added', 'info', 'A response header was added', 'Compatible.'),
];

const SCHEMAS = [
  rule(
    'types',
    'request-type-changed',
    'breaking',
    "A request value's type changed incompatibly",
    'Clients that send the old type will be rejected: keep accepting it.',
  ),
  rule('types', 'request-type-widened', 'info', 'A request value accepts more types (integer to number)', 'Compatible.'),
  rule(
    'types',
    'response-type-changed',
    'breaking',
    "A response value's type changed incompatibly",
    'Clients parse the old type: add a new field with the new type.',
  ),
  rule('types', 'response-type-narrowed', 'info', 'A response value has fewer types (number to integer)', 'Compatible.'),
  rule('types', 'request-format-changed', 'breaking', "A request value's format changed or was newly set", 'Clients send the old format: keep accepting it.'),
  rule('types', 'request-format-relaxed', 'info', "A request value's format was removed or widened (int32 to int64)", 'Compatible.'),
  rule('types', 'response-format-changed', 'breaking', "A response value's format changed", 'Clients parse the old format: keep it.'),
  rule('types', 'response-format-relaxed', 'warning', "A response value's format was removed or widened", 'Clients may receive values outside the old format.'),
  rule('types', 'response-format-added', 'info', 'A response value gained a format', 'Compatible.'),
  rule('nullable', 'request-became-not-nullable', 'breaking', 'A request value may no longer be null', 'Clients that send null will be rejected.'),
  rule('nullable', 'request-became-nullable', 'info', 'A request value may now be null', 'Compatible.'),
  rule(
    'nullable',
    'response-became-nullable',
    'breaking',
    'A response value may now be null (nullable, a null type, or oneOf with {type: null})',
    'Clients that read it as a value will fail on null.',
  ),
  rule('nullable', 'response-became-not-nullable', 'info', 'A response value may no longer be null', 'Compatible.'),
  rule('enums', 'request-enum-value-removed', 'breaking', 'A request value that was accepted is not in the enum any more', 'Keep accepting it.'),
  rule('enums', 'request-enum-value-added', 'info', 'A request enum accepts more values', 'Compatible.'),
  rule('enums', 'request-enum-added', 'breaking', 'A request value is now limited to an enum', 'Clients may send other values: keep it open.'),
  rule('enums', 'request-enum-removed', 'info', 'A request value is no longer limited to an enum', 'Compatible.'),
  rule(
    'enums',
    'response-enum-value-added',
    'warning',
    'A response enum may carry values clients have not seen',
    'Tell clients to expect new values, or use x-extensible-enum.',
  ),
  rule('enums', 'response-enum-value-removed', 'info', 'A response enum has fewer values', 'Compatible.'),
  rule(
    'enums',
    'response-enum-removed',
    'breaking',
    'A response value is no longer limited to an enum',
    'Clients switch over the known values: keep the enum.',
  ),
  rule('enums', 'response-enum-added', 'info', 'A response value is now limited to an enum', 'Compatible.'),
  rule(
    'extensions',
    'request-extensible-enum-value-removed',
    'breaking',
    'A request x-extensible-enum value was removed',
    'Clients send it: keep accepting it.',
  ),
  rule(
    'extensions',
    'response-extensible-enum-value-added',
    'info',
    'A response x-extensible-enum gained a value',
    'Compatible: x-extensible-enum tells clients to expect new values.',
  ),
  rule('extensions', 'extensible-enum-value-added', 'info', 'A request x-extensible-enum gained a value (or a response one lost one)', 'Compatible.'),
  rule('enums', 'request-const-changed', 'breaking', 'A request const changed or was newly set', 'Clients send the old value: keep accepting it.'),
  rule('enums', 'request-const-removed', 'info', 'A request const was removed', 'Compatible.'),
  rule('enums', 'response-const-changed', 'breaking', 'A response const changed or was removed', 'Clients expect the old value.'),
  rule('enums', 'response-const-added', 'info', 'A response const was newly set', 'Compatible.'),
  rule('enums', 'request-default-changed', 'warning', 'A request default changed', 'Clients that leave the value out now get other behaviour.'),
  rule('enums', 'request-default-removed', 'warning', 'A request default was removed', 'Clients that leave the value out may get other behaviour.'),
  rule('enums', 'request-default-added', 'info', 'A request default was added', 'Compatible.'),
  rule('enums', 'response-default-changed', 'info', 'A response default changed', 'Informational.'),
  rule(
    'properties',
    'request-property-added-required',
    'breaking',
    'A required request property was added',
    'Existing clients do not send it: make it optional.',
  ),
  rule('properties', 'request-property-added', 'info', 'An optional request property was added', 'Compatible.'),
  rule('properties', 'request-property-became-required', 'breaking', 'A request property is now required', 'Keep it optional, with a default.'),
  rule('properties', 'request-property-became-optional', 'info', 'A request property is now optional', 'Compatible.'),
  rule('properties', 'request-property-removed', 'warning', 'A request property was removed', 'Clients that still send it will have it ignored.'),
  rule(
    'properties',
    'request-property-removed-closed',
    'breaking',
    'A request property was removed where additionalProperties is false',
    'Clients that still send it will be rejected: keep accepting it.',
  ),
  rule(
    'properties',
    'response-property-removed',
    'breaking',
    'A required response property was removed',
    "Clients read it: keep it, deprecated, until the version's sunset.",
  ),
  rule(
    'properties',
    'response-optional-property-removed',
    'warning',
    'An optional response property was removed',
    'Clients that read it when present will not find it.',
  ),
  rule(
    'properties',
    'property-removed-before-sunset',
    'breaking',
    'A deprecated property was removed before its sunset',
    'Keep it until its x-sunset has passed.',
  ),
  rule('properties', 'property-removed-after-sunset', 'info', 'A deprecated property was removed after its sunset', 'Expected.'),
  rule(
    'properties',
    'property-removed-without-sunset',
    'warning',
    'A deprecated property with no sunset was removed',
    'Nothing told its clients when it would go: give deprecations an x-sunset (--deprecation-days makes one required).',
  ),
  rule('properties', 'response-property-became-optional', 'breaking', 'A required response property is now optional', 'Clients rely on it: keep it required.'),
  rule('properties', 'response-property-became-required', 'info', 'A response property is now required', 'Compatible.'),
  rule('properties', 'response-property-added', 'info', 'A response property was added', 'Compatible.'),
  rule(
    'properties',
    'response-property-added-closed',
    'warning',
    'A response property was added where additionalProperties is false',
    'Clients that validate responses against the old schema will reject them.',
  ),
  rule(
    'properties',
    'request-additional-properties-closed',
    'breaking',
    'A request object no longer allows additional properties',
    'Clients that send extra fields will be rejected.',
  ),
  rule(
    'properties',
    'response-additional-properties-opened',
    'warning',
    'A response object now allows additional properties',
    'Clients that validate strictly will reject new fields.',
  ),
  rule('properties', 'request-property-became-read-only', 'warning', 'A request property is now readOnly', 'Clients that send it will have it ignored.'),
  rule(
    'properties',
    'response-property-became-write-only',
    'breaking',
    'A response property is now writeOnly, so responses leave it out',
    'Clients read it: keep it readable.',
  ),
  rule('properties', 'property-access-relaxed', 'info', 'A property is no longer readOnly or writeOnly', 'Compatible.'),
  rule(
    'composition',
    'schema-wrapped-in-alternatives',
    'info',
    'A schema is now one of several oneOf/anyOf alternatives; it was compared with the alternative closest to it',
    'Compatible by itself: the changes against that alternative are reported apart.',
  ),
  rule(
    'composition',
    'request-not-broadened',
    'breaking',
    "A request value's `not` schema rules out more values",
    'Requests that were valid may now be rejected: keep the old `not`.',
  ),
  rule(
    'composition',
    'response-not-narrowed',
    'breaking',
    "A response value's `not` schema rules out fewer values",
    'Responses may carry values clients never had to handle: keep the old `not`.',
  ),
  rule(
    'json-schema-2020-12',
    'request-property-names-narrowed',
    'breaking',
    "A request object's `propertyNames` accepts fewer names",
    'Requests using the other names will be rejected: keep the old rule.',
  ),
  rule(
    'json-schema-2020-12',
    'response-property-names-broadened',
    'breaking',
    "A response object's `propertyNames` accepts more names",
    'Clients may receive keys they never had to handle.',
  ),
  rule(
    'types',
    'content-encoding-changed',
    'breaking',
    "A string's contentMediaType or contentEncoding changed",
    'Clients encode or decode the value the old way: keep it.',
  ),
  rule(
    'composition',
    'request-alternative-removed',
    'breaking',
    'A oneOf/anyOf alternative of a request was removed',
    'Clients sending that shape will be rejected: keep it.',
  ),
  rule('composition', 'request-alternative-added', 'info', 'A oneOf/anyOf alternative of a request was added', 'Compatible.'),
  rule(
    'composition',
    'response-alternative-added',
    'breaking',
    'A oneOf/anyOf alternative of a response was added',
    'Clients do not know the new shape: tell them first.',
  ),
  rule('composition', 'response-alternative-removed', 'info', 'A oneOf/anyOf alternative of a response was removed', 'Compatible.'),
  rule(
    'composition',
    'all-of-changed',
    'info',
    'The number of allOf parts changed',
    'The parts are merged and compared as one schema, so what they change is reported on its own.',
  ),
  rule(
    'composition',
    'discriminator-property-changed',
    'breaking',
    'The discriminator property changed',
    'Clients pick the shape by the old property: keep it.',
  ),
  rule('composition', 'discriminator-added', 'warning', 'A discriminator was added', 'Check that clients send and read the property.'),
  rule('composition', 'discriminator-removed', 'warning', 'A discriminator was removed', 'Clients that pick the shape by it need another way.'),
  rule(
    'composition',
    'request-discriminator-mapping-removed',
    'breaking',
    'A request discriminator value was removed from the mapping',
    'Clients send it: keep it.',
  ),
  rule(
    'composition',
    'response-discriminator-mapping-added',
    'warning',
    'A response discriminator value was added to the mapping',
    'Clients do not know the new value.',
  ),
  rule('composition', 'discriminator-mapping-changed', 'info', 'A discriminator mapping changed compatibly', 'Compatible.'),
  rule(
    'json-schema-2020-12',
    'request-prefix-items-added',
    'breaking',
    'A request tuple (prefixItems) gained a position',
    'Clients send the shorter tuple shape.',
  ),
  rule(
    'json-schema-2020-12',
    'response-prefix-items-added',
    'warning',
    'A response tuple (prefixItems) gained a position',
    'Clients may not expect the longer tuple.',
  ),
  rule('json-schema-2020-12', 'prefix-items-removed', 'warning', 'A tuple (prefixItems) lost a position', 'Check what clients send and read in that position.'),
];

const SECURITY = [
  rule(
    'security',
    'security-requirement-added',
    'breaking',
    'An operation requires authentication it did not',
    'Clients without credentials get 401: announce it, or accept the old requirement too.',
  ),
  rule('security', 'security-alternative-removed', 'breaking', 'A way to authenticate was removed', 'Clients using it get 401: keep it as an alternative.'),
  rule('security', 'security-scope-added', 'breaking', 'An operation requires more scopes', 'Clients whose tokens lack them get 403.'),
  rule('security', 'security-relaxed', 'info', 'An operation accepts more ways to authenticate, or fewer scopes', 'Compatible.'),
  rule('security', 'security-scheme-added', 'info', 'A security scheme was defined', 'Compatible: it matters only where a requirement names it.'),
  rule('security', 'security-scheme-removed', 'warning', 'A security scheme definition was removed', 'Requirements naming it no longer resolve.'),
  rule('security', 'security-scheme-changed', 'breaking', 'A security scheme changed type, location or name', 'Clients send credentials the old way.'),
  rule('security', 'security-scheme-scope-removed', 'breaking', 'An OAuth scope was removed from a scheme', 'Clients request it.'),
];

export const RULES: readonly Rule[] = [
  ...PATHS,
  ...LIFECYCLE,
  ...PARAMETERS,
  ...BODIES,
  ...RESPONSES,
  ...SCHEMAS,
  ...boundRules(),
  ...assertionRules(),
  ...SECURITY,
];

export const RULE_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

// The generated ids, spelled out for the type checker.
type BoundName = (typeof BOUNDS)[BoundKeyword]['name'];
type Kebab<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Uppercase<H> ? (H extends Lowercase<H> ? H : `-${Lowercase<H>}`) : H}${Kebab<T>}`
  : S;
type AssertionId = Kebab<AssertionKeyword>;
type StaticRule = (typeof PATHS | typeof LIFECYCLE | typeof PARAMETERS | typeof BODIES | typeof RESPONSES | typeof SCHEMAS | typeof SECURITY)[number]['id'];
/** Every rule id: the typed union of diff kinds. */
export type RuleId =
  | StaticRule
  | `${Dir}-${BoundName}-${'tightened' | 'loosened'}`
  | `${Dir}-pattern-changed`
  | `${Dir}-${AssertionId}-${'added' | 'removed'}`
  | `${AssertionId}-changed`;

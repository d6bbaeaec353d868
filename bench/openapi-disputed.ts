// oasdiff rule ids whose level sundial disagrees with on purpose, with the reason
// (docs/openapi.md, Accuracy). openapi-accuracy.ts leaves a miss or a false alarm out of the
// second set of figures when every rule its label rests on is here.
const FROM_UNREADABLE_SUNSET =
  'An unreadable old sunset promised nothing a new date could break; sundial reported it when it was written, and a readable sunset is what it asks for.';
const INVALID_STABILITY =
  'An x-stability-level that is not a level is a fault of the document, not a change a client notices: sundial warns (stability-level-unreadable) when it appears.';
const PREFIX_ITEMS =
  'sundial judges tuple positions by their effect: a shorter request tuple leaves the later positions to `items`, a longer response tuple constrains more; it warns, where oasdiff calls the unknown effect breaking.';

export const DISPUTED_RULES: ReadonlyMap<string, string> = new Map([
  [
    'response-required-property-became-write-only',
    'A writeOnly property is left out of responses, so a client reading a required response property loses it: breaking in sundial.',
  ],
  ['api-sunset-date-changed-too-small', FROM_UNREADABLE_SUNSET],
  ['request-parameter-sunset-parse', FROM_UNREADABLE_SUNSET],
  ['api-invalid-stability-level', INVALID_STABILITY],
  ['request-property-prefix-items-removed', PREFIX_ITEMS],
  ['response-property-prefix-items-added', PREFIX_ITEMS],
]);

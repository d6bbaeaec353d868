// A body, query or header set that does not fit a transform: a missing field, a value of the
// wrong type, a value a mapping table does not know, an expression that fails. It carries
// where in the document it happened and which operation; the caller adds route, version and
// step, and applies the configured behaviour (pass through, or a 502 problem).
export class TransformMisfit extends Error {
  constructor(
    /** Where in the document, such as items[2].price_cents. */
    readonly at: string,
    /** The operation, as written: "rename total_cents -> total". */
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${at ? `${at}: ` : ''}${message}`);
    this.name = 'TransformMisfit';
  }
}

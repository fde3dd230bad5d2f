/** Printable ASCII but `"` and `\`: the characters a JSON string holds as they are. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * `JSON.stringify(value)` for a string: the common plain case (printable ASCII without `"` or
 * `\`) is quoted as it is, which costs one regular-expression test instead of the engine's
 * serializer; anything else (controls, quotes, non-ASCII, lone surrogates) goes to
 * `JSON.stringify` itself, so the text is always exactly its.
 */
export function jsonStringText(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

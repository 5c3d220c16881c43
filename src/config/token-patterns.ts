/**
 * What a module name and a bearer token may look like. Kept apart from the zod schema that also
 * checks them: the code that reads them outside a config file (`--from`, OUTAGE_VANTAGE_TOKEN,
 * `outage serve`'s `&module=`) runs on every check, and importing the schema's module from there
 * loaded zod (~8 ms) into every start, a URL check with no config file included.
 */

/** Module names go into URLs (`&module=name`): letters, digits, `_`, `-` and `.`. */
export const MODULE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** What an Authorization: Bearer header can carry: printable ASCII, no spaces (RFC 6750's b64token, leniently). */
export const BEARER_TOKEN = /^[\x21-\x7e]{1,4096}$/;

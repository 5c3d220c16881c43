/**
 * URL user-info (`https://user:pass@host/`) as curl reads it: each part percent-decoded where a
 * `%` is followed by two hex digits, any other `%` kept as it is (`p%zz` is the password `p%zz`,
 * `p%25zz` is `p%zz` too), and the bytes sent as Basic auth. A part that decodes to a control
 * character is refused, as curl refuses it ("URL using bad/illegal format").
 */
import { percentDecodeBytes } from '../core/percent-decode.js';

export interface UserInfo {
  /** `Basic base64(user:pass)`. */
  authorization: string;
  /** Every spelling of the credentials, for the redactor. */
  secrets: string[];
}

/** The credentials of a parsed URL, or what is wrong with them (never quoting them); undefined when it has none. */
export function readUserInfo(url: URL): UserInfo | string | undefined {
  if (!url.username && !url.password) return undefined;
  const user = percentDecodeBytes(url.username);
  const pass = percentDecodeBytes(url.password);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(user.toString('latin1') + pass.toString('latin1'))) {
    return 'the user-info decodes to a control character (such as %0A), which cannot be sent; curl refuses it too';
  }
  const token = Buffer.concat([user, Buffer.from(':'), pass]).toString('base64');
  const authorization = `Basic ${token}`;
  const secrets = [user.toString('utf8'), pass.toString('utf8'), url.username, url.password, token, authorization];
  return { authorization, secrets: secrets.filter((s) => s.length > 0) };
}

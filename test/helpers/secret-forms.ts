/**
 * Every spelling a secret can take in output, made by the real serializers (the URL parser,
 * URLSearchParams, Buffer's base64, JSON.stringify) rather than by outage's redactor, so a test
 * that asserts none of them appears can fail when the redactor misses one.
 *
 *   for (const form of secretForms(secret)) expect(output).not.toContain(form);
 *
 * Forms shorter than 3 characters are left out: outage does not redact those (README, Secrets).
 * Percent-encoded forms come with upper- and lower-case hex.
 */
export function secretForms(secret: string, options: { user?: string } = {}): string[] {
  const bases = new Set([secret, secret.trim(), secret.replace(/[\t\n\r]/g, '').trim()]);
  const forms = new Set<string>();
  for (const base of bases) {
    const encoded = [base, encodeURIComponent(wellFormed(base)), new URLSearchParams({ a: base }).toString().slice(2), ...urlParts(base)];
    for (const form of encoded) {
      forms.add(form);
      forms.add(form.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
      forms.add(JSON.stringify(form).slice(1, -1));
      forms.add(form.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'));
    }
    const bytes = Buffer.from(base);
    forms.add(bytes.toString('base64'));
    forms.add(bytes.toString('base64url'));
    if (options.user !== undefined) {
      const basic = Buffer.from(`${options.user}:${base}`);
      forms.add(basic.toString('base64'));
      forms.add(basic.toString('base64url'));
    }
  }
  // A secret with a trailing newline is redacted without it, so the newline itself may remain.
  if (secret.trim() !== secret) forms.delete(secret);
  return [...forms].filter((f) => f.length >= 3);
}

/** What the URL parser makes of the text as a password, a path, a query and a fragment. */
function urlParts(text: string): string[] {
  const url = new URL('http://h/');
  url.password = text;
  const password = url.password;
  url.password = '';
  url.pathname = `/${text}`;
  const path = url.pathname.slice(1);
  url.search = `?${text}`;
  const query = url.search.slice(1);
  url.hash = `#${text}`;
  return [password, path, query, url.hash.slice(1)];
}

function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/**
 * Markdown escaping of one line of text for GitHub (tables, quotes, step summaries): kept in core
 * so the redactor (redact.ts) knows a secret's markdown spelling exactly as the renderer writes it.
 * No raw HTML or entities, no pipes, every character that could start emphasis, code, a link or an
 * image escaped, and a zero-width space (as an entity) after an `@` or `#` that a name or number
 * follows: GitHub turns `@name` into a mention (notifying that user or team when the report is
 * posted as a comment) and `#12` or `GH-12` into a cross-reference (shown in that issue's
 * timeline). Bare URLs (`https://…`, `www.…`) are broken the same way: GitHub links them by
 * itself (an issue's URL becoming a cross-reference too), and remote text must not make a link.
 */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/([`*_~[\]])/g, '\\$1')
    .replace(/([@#])(?=[\p{L}\p{N}_-])/gu, '$1&#8203;')
    .replace(/\b(GH-)(?=\d)/gi, '$1&#8203;')
    .replace(/(:)(?=\/\/)/g, '$1&#8203;')
    .replace(/\b(www)(?=\.)/gi, '$1&#8203;');
}

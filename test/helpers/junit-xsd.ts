/**
 * JUnit XML checked by libxml2 — the library behind xmllint — built to WebAssembly
 * (libxml2-wasm, an npm devDependency), so `npm test` needs no system package.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XmlLibError, XsdValidator } from 'libxml2-wasm';

const XSD = fileURLToPath(new URL('../fixtures/jenkins-junit.xsd', import.meta.url));
let validator: XsdValidator | undefined;

/**
 * Parses the bytes a user would get (the string encoded as UTF-8, as stdout and report files
 * are), so lone surrogates and control characters are judged as written.
 */
function parse(xml: string, name: string): XmlDocument {
  return XmlDocument.fromBuffer(Buffer.from(xml, 'utf8'), { url: name });
}

function describeErrors(error: unknown): string[] {
  if (!(error instanceof XmlLibError)) throw error;
  return error.details.map((d) => `${d.file ?? '?'}:${d.line}: ${d.message.trim()}`);
}

/** What libxml2 finds wrong with `xml` against the Jenkins JUnit XSD: [] when it validates. */
export function junitSchemaErrors(xml: string, name = 'report.xml'): string[] {
  validator ??= XsdValidator.fromDoc(XmlDocument.fromBuffer(readFileSync(XSD), { url: XSD }));
  let doc: XmlDocument;
  try {
    doc = parse(xml, name);
  } catch (error) {
    return describeErrors(error);
  }
  try {
    validator.validate(doc);
    return [];
  } catch (error) {
    return describeErrors(error);
  } finally {
    doc.dispose();
  }
}

/** The string value of an XPath expression, as an XML parser reads the document back. */
export function xpathString(xml: string, expression: string): string {
  const doc = parse(xml, 'report.xml');
  try {
    return String(doc.eval(`string(${expression})`));
  } finally {
    doc.dispose();
  }
}

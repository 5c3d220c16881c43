/**
 * Certificate Names read straight from the DER — a few bytes' walk, no cryptography and no
 * X509Certificate parse — for the trust-anchor index (anchor-index.ts), which reads every root's.
 *
 * "The same name" is OpenSSL's: it matches an issuer to a root by a canonical form of the name, so
 * a root whose CN is a UTF8String is the issuer of a certificate naming it as a PrintableString,
 * and "Example  ROOT" is "example root". Matching bytes alone would miss that root, and the chain
 * would then be judged on whatever the server sent instead of the root the handshake trusted.
 */
import { isUtf8 } from 'node:buffer';

export interface Tlv {
  /** Offset of the tag byte. */
  at: number;
  tag: number;
  /** Offset of the first content byte, and one past the last. */
  start: number;
  end: number;
}

function readTlv(der: Uint8Array, at: number, into?: Tlv): Tlv {
  const tag = der[at];
  let length = der[at + 1];
  if (tag === undefined || length === undefined) throw new RangeError('truncated DER');
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4) throw new RangeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[start++] ?? 0);
  }
  const end = start + length;
  if (end > der.length) throw new RangeError('truncated DER');
  if (!into) return { at, tag, start, end };
  into.at = at;
  into.tag = tag;
  into.start = start;
  into.end = end;
  return into;
}

/**
 * Records the walks over every root reuse, read into and left behind by each step: building the
 * index made ~25 small objects per root (~200 KB for Node's 144), and the collection they forced
 * ran inside every https check. The walks are synchronous and never nest, so one set serves all.
 */
const scratch = (): Tlv => ({ at: 0, tag: 0, start: 0, end: 0 });
const STEP = scratch();
const NAME = scratch();
const RDN = scratch();
const ATTRIBUTE = scratch();
const TYPE = scratch();

/** A certificate's issuer or subject Name (RFC 5280 §4.1: tbsCertificate's 4th and 6th fields). */
export function nameField(der: Uint8Array, which: 'issuer' | 'subject'): Tlv {
  const certificateTag = readTlv(der, 0, STEP).tag;
  const tbsTag = readTlv(der, STEP.start, STEP).tag;
  readTlv(der, STEP.start, STEP);
  if (STEP.tag === 0xa0) readTlv(der, STEP.end, STEP); // the optional [0] version
  readTlv(der, STEP.end, STEP); // the signature algorithm, after the serial number
  const issuer = readTlv(der, STEP.end);
  if (certificateTag !== 0x30 || tbsTag !== 0x30 || issuer.tag !== 0x30) throw new RangeError('not a certificate');
  if (which === 'issuer') return issuer;
  readTlv(der, issuer.end, STEP); // validity
  const subject = readTlv(der, STEP.end, issuer);
  if (subject.tag !== 0x30) throw new RangeError('not a certificate');
  return subject;
}

/**
 * Whether a certificate names itself as its issuer (a root, or a CA's self-issued certificate),
 * the names compared as OpenSSL compares them: byte for byte, else in canonical form.
 */
export function selfIssued(der: Uint8Array): boolean {
  const [issuer, subject] = [nameField(der, 'issuer'), nameField(der, 'subject')];
  const bytes = view(der);
  if (bytes.compare(bytes, issuer.at, issuer.end, subject.at, subject.end) === 0) return true;
  return nameKey(der, issuer.at, issuer.end) === nameKey(der, subject.at, subject.end);
}

/** The DER of a certificate's issuer and subject Names, as hex. */
export function certificateNames(der: Uint8Array): { issuer: string; subject: string } {
  const [issuer, subject] = [nameField(der, 'issuer'), nameField(der, 'subject')];
  return { issuer: hexOf(der, issuer.at, issuer.end), subject: hexOf(der, subject.at, subject.end) };
}

/**
 * OpenSSL's canonical form of a DER Name (x509_name_canon): each text value as Unicode, trimmed,
 * runs of whitespace made one space, ASCII lowercased; attributes of a multi-valued RDN in a fixed
 * order, as DER's SET OF sorts them. A value of any other type is kept as its bytes, as OpenSSL
 * keeps it. Two Names with the same key are the same name to the handshake.
 */
export function canonicalName(der: Uint8Array, at = 0): string {
  const bytes = view(der);
  const name = readTlv(bytes, at);
  if (name.tag !== 0x30) throw new RangeError('not a Name');
  // One key per attribute, RDN by RDN, those of a multi-valued RDN sorted (DER's SET OF order).
  // Separators a value could also contain make at worst an extra candidate, which then fails the
  // signature check; a real match is never lost, as equal names make equal keys.
  let key = '';
  for (let rdnAt = name.start; rdnAt < name.end; ) {
    const rdn = readTlv(bytes, rdnAt);
    if (rdn.tag !== 0x31) throw new RangeError('not a RelativeDistinguishedName');
    // No array for a single-valued RDN, nearly all of them.
    let one: string | undefined;
    let many: string[] | undefined;
    for (let attributeAt = rdn.start; attributeAt < rdn.end; ) {
      const attribute = readTlv(bytes, attributeAt);
      const type = readTlv(bytes, attribute.start);
      const value = readTlv(bytes, type.end);
      if (attribute.tag !== 0x30 || type.tag !== 0x06 || value.end > attribute.end) throw new RangeError('not an AttributeTypeAndValue');
      const attributeKey = `${bytes.toString('hex', type.start, type.end)}\u0001${canonicalValue(bytes, value)}`;
      if (one === undefined) one = attributeKey;
      else (many ??= [one]).push(attributeKey);
      attributeAt = attribute.end;
    }
    key += `${many ? many.sort().join('\u0002') : (one ?? '')}\u0003`;
    rdnAt = rdn.end;
  }
  return key;
}

/** `der` as a Buffer without copying it (cert.raw and decoded PEM already are). */
export function view(der: Uint8Array): Buffer {
  return Buffer.isBuffer(der) ? der : Buffer.from(der.buffer, der.byteOffset, der.byteLength);
}

const utf16 = new TextDecoder('utf-16be', { fatal: true });

/** A value's text in canonical form, or its whole DER where it is not text OpenSSL converts. */
function canonicalValue(der: Buffer, value: Tlv): string {
  let text: string | undefined;
  try {
    text = textOf(value.tag, der, value.start, value.end);
  } catch {
    text = undefined;
  }
  // Bytes that are not valid in their string type: OpenSSL cannot convert them either, and a name
  // compared byte for byte still matches itself.
  if (text === undefined) return `der:${der.toString('hex', value.at, value.end)}`;
  return `text:${text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '').replace(/[ \t\n\v\f\r]+/g, ' ').replace(/[A-Z]+/g, (c) => c.toLowerCase())}`;
}

function textOf(tag: number, der: Buffer, start: number, end: number): string | undefined {
  switch (tag) {
    case 0x0c: {
      // UTF8String
      const bytes = der.subarray(start, end);
      return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
    }
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x1a: // VisibleString
    case 0x14: // T61String, which OpenSSL reads as Latin-1
      return der.toString('latin1', start, end);
    case 0x1e: // BMPString
      if ((end - start) % 2) return undefined;
      return utf16.decode(der.subarray(start, end));
    case 0x1c: {
      // UniversalString: UTF-32BE, which TextDecoder does not read.
      if ((end - start) % 4) return undefined;
      let text = '';
      for (let i = start; i < end; i += 4) {
        const code = der.readUInt32BE(i);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
        text += String.fromCodePoint(code);
      }
      return text;
    }
    default:
      return undefined;
  }
}

/**
 * The key a Name is indexed by: its canonical form, which the same bytes always share, so byte-for-
 * byte matches are among the matches. A Name whose inside this walk cannot read matches only itself.
 */
export function nameKey(der: Uint8Array, at: number, end: number): string {
  try {
    return canonicalName(der, at);
  } catch {
    return `der:${hexOf(der, at, end)}`;
  }
}

function hexOf(der: Uint8Array, start: number, end: number): string {
  return view(der).toString('hex', start, end);
}

/**
 * A hash of a Name's attribute types, RDN by RDN (those of a multi-valued RDN in any order): equal
 * canonical names always have equal shapes, so a name's canonical twins are all among the roots of
 * its shape (two shapes that collide only put more roots in one group, whose canonical keys still
 * tell them apart). A number, walked with the scratch records: this runs on every root at start-up.
 * A Name this walk cannot read has its bytes as its shape, as it has them as its key.
 */
export function nameShape(der: Uint8Array, at: number, end: number): number | string {
  try {
    const name = readTlv(der, at, NAME);
    if (name.tag !== 0x30) throw new RangeError('not a Name');
    let shape = FNV_OFFSET;
    for (let rdnAt = name.start; rdnAt < name.end; rdnAt = RDN.end) {
      if (readTlv(der, rdnAt, RDN).tag !== 0x31) throw new RangeError('not a RelativeDistinguishedName');
      let types = 0;
      for (let attributeAt = RDN.start; attributeAt < RDN.end; attributeAt = ATTRIBUTE.end) {
        readTlv(der, attributeAt, ATTRIBUTE);
        readTlv(der, ATTRIBUTE.start, TYPE);
        if (ATTRIBUTE.tag !== 0x30 || TYPE.tag !== 0x06 || readTlv(der, TYPE.end, STEP).end > ATTRIBUTE.end) throw new RangeError('not an AttributeTypeAndValue');
        // An OID by its length and last three bytes (id-at-commonName is 55 04 03), not a loop over
        // its bytes, which the interpreter ran slower than the rest of the walk.
        const type = Math.imul(TYPE.end - TYPE.start, FNV_PRIME) ^ ((der[TYPE.end - 1] ?? 0) | ((der[TYPE.end - 2] ?? 0) << 8) | ((der[TYPE.end - 3] ?? 0) << 16));
        types = (types + type) | 0; // a sum, so the attributes of a multi-valued RDN count in any order
      }
      shape = Math.imul(shape ^ types, FNV_PRIME);
    }
    return shape;
  } catch {
    return `der:${view(der).toString('latin1', at, end)}`;
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

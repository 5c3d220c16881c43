/**
 * Reading one response from the bytes of a connection, as they arrive: the head (after any
 * interim 1xx responses, which RFC 9110 §15.2 says a client must accept even unasked), then the
 * body by its framing. Lines may end in CRLF or a bare LF (RFC 9112 §2.2; embedded devices send
 * bare LF); everything that decides where the body ends is strict.
 */
import { couldBeStatusLine, framingOf, HttpProtocolError, MAX_HEAD_BYTES, NoStatusLineError, parseHead, type Framing, type ResponseHead } from './response-head.js';
import { quoteText } from './remote-text.js';

export interface ReaderEvents {
  head(head: ResponseHead, framing: Framing): void;
  data(chunk: Buffer): void;
  /** The body is complete; `extra` is true when bytes followed it (the connection is then unusable). */
  end(extra: boolean): void;
}

/** A chunk-size line (its line end removed): hex digits, then optional whitespace and extensions. */
const CHUNK_SIZE = /^([0-9a-fA-F]{1,13})[ \t]*(?:;.*)?$/;
/** What every start of a CHUNK_SIZE line (its CR included) matches. */
const CHUNK_SIZE_START = /^(?:[0-9a-fA-F]{0,13}|[0-9a-fA-F]{1,13}[ \t]*(?:;.*)?\r?)$/;
/** A chunk-size or trailer line longer than this is not HTTP. */
const MAX_CHUNK_LINE = 4096;
const LF = 0x0a;

export class ResponseReader {
  private pending: Buffer = Buffer.alloc(0);
  private headBytes = 0;
  private scanFrom = 0;
  private body?: BodyFramer;
  private done = false;
  /** Interim responses (1xx) came before the final one. */
  interimSeen = false;
  /** The status of the last interim response read, for saying where a response was cut off. */
  lastInterim?: number;

  constructor(
    private readonly method: string,
    private readonly events: ReaderEvents,
    /** The request asked to switch protocols (an `Upgrade` header, configured in http.headers). */
    private readonly upgradeAsked = false,
  ) {}

  /** Part of a head (a status line, some fields) has arrived without the empty line ending it. */
  get inHead(): boolean {
    return !this.body && this.pending.length > 0;
  }

  /** Feed bytes from the socket. Throws HttpProtocolError for a response that cannot be read. */
  push(chunk: Buffer): void {
    if (this.done) return;
    if (this.body) return this.feedBody(chunk);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.readHeads();
  }

  /**
   * The connection ended (FIN). Returns true when the response is complete; false when the head
   * or body was cut short (the caller reports how far it got).
   */
  finish(): boolean {
    if (this.done) return true;
    if (this.body?.framing.kind === 'close') {
      this.complete(false);
      return true;
    }
    return false;
  }

  private readHeads(): void {
    for (;;) {
      // Empty lines before a status line are skipped (RFC 9112 §2.2's robustness rule).
      let skip = 0;
      while (skip < this.pending.length && (this.pending[skip] === 0x0d || this.pending[skip] === LF)) skip++;
      if (skip > 0) {
        this.pending = this.pending.subarray(skip);
        this.scanFrom = Math.max(0, this.scanFrom - skip);
      }
      if (this.pending.length === 0) return;
      if (!couldBeStatusLine(this.pending)) {
        const firstLine = this.pending.subarray(0, 80).toString('latin1').split(/\r?\n/)[0] ?? '';
        throw new NoStatusLineError(`the server answered ${quoteText(firstLine, 40)}, which is no status line`);
      }
      const end = this.headEnd();
      if (end === undefined) {
        if (this.headBytes + this.pending.length > MAX_HEAD_BYTES) throw tooLarge();
        return;
      }
      this.headBytes += end.next;
      if (this.headBytes > MAX_HEAD_BYTES) throw tooLarge();
      const head = parseHead(splitLines(this.pending.subarray(0, end.at)));
      this.pending = this.pending.subarray(end.next);
      this.scanFrom = 0;
      // A 101 the request asked for (a WebSocket handshake) is the answer: what follows is the new
      // protocol, not this response's body. Unasked, the server switched on its own.
      if (head.status === 101 && !this.upgradeAsked) throw new HttpProtocolError('the server switched protocols (101) without being asked');
      // Interim responses (100 Continue, 103 Early Hints, …) precede the real one: skip them.
      if (head.status < 200 && head.status !== 101) {
        this.interimSeen = true;
        this.lastInterim = head.status;
        continue;
      }
      const framing = framingOf(head, this.method);
      this.body = new BodyFramer(framing);
      this.events.head(head, framing);
      const rest = this.pending;
      this.pending = Buffer.alloc(0);
      this.feedBody(rest);
      return;
    }
  }

  /** Where the head ends: `at` (its last line's end) and `next` (after the empty line). */
  private headEnd(): { at: number; next: number } | undefined {
    const buffer = this.pending;
    for (let i = buffer.indexOf(LF, this.scanFrom); i !== -1; i = buffer.indexOf(LF, i + 1)) {
      // An empty line: LF directly after the previous LF, or after a lone CR following it.
      const next = buffer[i + 1] === LF ? i + 2 : buffer[i + 1] === 0x0d && buffer[i + 2] === LF ? i + 3 : undefined;
      if (next !== undefined) return { at: i, next };
      if (i + 2 >= buffer.length) {
        this.scanFrom = i;
        return undefined;
      }
    }
    this.scanFrom = buffer.length;
    return undefined;
  }

  private feedBody(chunk: Buffer): void {
    const body = this.body!;
    const { data, extra, done } = body.feed(chunk);
    for (const piece of data) this.events.data(piece);
    if (done) this.complete(extra);
  }

  private complete(extra: boolean): void {
    this.done = true;
    this.events.end(extra);
  }
}

function tooLarge(): HttpProtocolError {
  return new HttpProtocolError(`response headers larger than ${MAX_HEAD_BYTES / 1024} KiB`);
}

function splitLines(head: Buffer): string[] {
  return head.toString('latin1').split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

type ChunkState = 'size' | 'data' | 'data-end' | 'trailer';

/** Cuts a body out of the byte stream by its framing, decoding chunked transfer coding. */
class BodyFramer {
  private remaining: number;
  private state: ChunkState = 'size';
  private line = '';
  private trailerBytes = 0;

  constructor(readonly framing: Framing) {
    this.remaining = framing.kind === 'length' ? framing.length : 0;
  }

  feed(chunk: Buffer): { data: Buffer[]; extra: boolean; done: boolean } {
    switch (this.framing.kind) {
      case 'none':
        return { data: [], extra: chunk.length > 0, done: true };
      case 'close':
        return { data: chunk.length > 0 ? [chunk] : [], extra: false, done: false };
      case 'length': {
        const take = Math.min(this.remaining, chunk.length);
        this.remaining -= take;
        const done = this.remaining === 0;
        return { data: take > 0 ? [chunk.subarray(0, take)] : [], extra: done && take < chunk.length, done };
      }
      case 'chunked':
        return this.feedChunked(chunk);
    }
  }

  /** Whether `partial`, a line still without its end, can yet become a valid one in this state. */
  private couldStillBe(partial: string): boolean {
    if (this.state === 'size') return CHUNK_SIZE_START.test(partial);
    if (this.state === 'data-end') return partial === '' || partial === '\r';
    return true;
  }

  private refuse(line: string): never {
    if (this.state === 'data-end') throw new HttpProtocolError('chunk data not followed by a line end');
    throw new HttpProtocolError(`invalid chunk size ${quoteText(line, 20)}`);
  }

  private feedChunked(chunk: Buffer): { data: Buffer[]; extra: boolean; done: boolean } {
    const data: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - i);
        data.push(chunk.subarray(i, i + take));
        i += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      // The other states read a line at a time.
      const lf = chunk.indexOf(LF, i);
      const piece = chunk.subarray(i, lf === -1 ? chunk.length : lf).toString('latin1');
      this.line += piece;
      if (this.state === 'trailer') this.trailerBytes += piece.length + 1;
      if (this.line.length > MAX_CHUNK_LINE || this.trailerBytes > MAX_HEAD_BYTES) throw new HttpProtocolError('chunked body with an over-long line');
      if (lf === -1) {
        // A line that can no longer become valid is refused now, not after the budget spent
        // waiting for its end: a body sent under `chunked` that is not chunked (a JSON body, `{`).
        if (!this.couldStillBe(this.line)) this.refuse(this.line);
        return { data, extra: false, done: false };
      }
      i = lf + 1;
      const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
      this.line = '';
      if (this.state === 'data-end') {
        // Chunk data must be followed by a line end: anything else desynchronises the framing.
        if (line !== '') this.refuse(line);
        this.state = 'size';
      } else if (this.state === 'size') {
        // Chunk extensions (`;name=value`) are ignored; whitespace before them is tolerated.
        const size = CHUNK_SIZE.exec(line);
        if (!size) this.refuse(line);
        this.remaining = parseInt(size[1]!, 16);
        this.state = this.remaining === 0 ? 'trailer' : 'data';
      } else if (line === '') {
        // The empty line after the trailer fields (which are read and ignored) ends the body.
        return { data, extra: i < chunk.length, done: true };
      }
    }
    return { data, extra: false, done: false };
  }
}

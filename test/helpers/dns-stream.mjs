// DNS over TCP for the test DNS servers (RFC 1035 §4.2.2: each message preceded by its length).
// Plain JavaScript so that both the TypeScript helper and the namespace runner, which runs under
// plain node, can use it.
import { Buffer } from 'node:buffer';

/** Calls `onMessage` for each complete query on `socket`, with a function that sends a reply. */
export function serveDnsStream(socket, onMessage) {
  let buffered = Buffer.alloc(0);
  socket.on('error', () => {});
  socket.on('data', (data) => {
    buffered = Buffer.concat([buffered, data]);
    while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
      const length = buffered.readUInt16BE(0);
      onMessage(buffered.subarray(2, 2 + length), (reply) => socket.write(Buffer.concat([Buffer.from([reply.length >> 8, reply.length & 0xff]), reply])));
      buffered = buffered.subarray(2 + length);
    }
  });
}

import type { Socket } from 'node:net';

export function serveDnsStream(socket: Socket, onMessage: (message: Buffer, reply: (response: Buffer) => void) => void): void;

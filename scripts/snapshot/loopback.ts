/**
 * Everything the harness starts on loopback, and the names of their ports.
 *
 * Ports are random (port 0), so each one is given a name (`PORT_ok`, `PORT_dns_main`) that the
 * normalisation writes instead of the number: two runs then print the same text.
 */
import { closedPort } from '../../test/helpers/servers.js';

interface Closeable {
  port: number;
  close(): Promise<void>;
}

export class Loopback {
  /** Port → `PORT_<label>`, for every server and every closed port of the run. */
  readonly ports = new Map<number, string>();
  private readonly closeables: (() => Promise<void> | void)[] = [];

  /** Names a started server's port and closes the server with the rest. */
  named<T extends Closeable>(label: string, server: T): T {
    this.closeables.push(() => server.close());
    this.name(server.port, label);
    return server;
  }

  /** A port nothing listens on, and that none of the servers has. */
  async namedClosedPort(label: string): Promise<number> {
    for (;;) {
      const port = await closedPort();
      if (this.ports.has(port)) continue;
      this.name(port, label);
      return port;
    }
  }

  /** Something else to undo at the end (a temp folder), even if starting the rest failed. */
  onClose(undo: () => Promise<void> | void): void {
    this.closeables.push(undo);
  }

  async close(): Promise<void> {
    await Promise.all(this.closeables.map((undo) => undo()));
  }

  private name(port: number, label: string): void {
    if (this.ports.has(port)) throw new Error(`port ${port} of ${label} is already ${this.ports.get(port)}`);
    this.ports.set(port, `PORT_${label}`);
  }
}

import { afterAll } from 'vitest';
/**
 * Servers a test file starts as it goes, all closed after its last test:
 * `const own = closeAfterAll(); const server = own(await startHttp(ok));`
 */
export function closeAfterAll(): <T extends { close(): Promise<void> }>(server: T) => T {
  const owned: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(owned.map((s) => s.close()));
  });
  return (server) => {
    owned.push(server);
    return server;
  };
}

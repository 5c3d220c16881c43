/**
 * A compiled TypeScript config imported without writing it anywhere: a module loader hook
 * (`module.register`) answers the config's own URL with the compiled text. The module keeps the
 * config's URL, so `./helper.js`, `import.meta.url`, `__dirname` and packages in the config's
 * node_modules resolve exactly as they would beside it. Used only where the config's directory
 * cannot be written (compileTypeScript): registering starts Node's hooks thread (~35 ms), which a
 * writable directory does not need.
 */
import { pathToFileURL } from 'node:url';

/** The hooks, in Node's loader thread: a URL handed over through `port` is answered from memory. */
const HOOKS = `
const compiled = new Map();
export async function initialize({ port }) {
  port.on('message', ({ url, format, source, id }) => { compiled.set(url, { format, source }); port.postMessage(id); });
  port.unref();
}
export async function load(url, context, next) {
  const found = compiled.get(url);
  if (found === undefined) return next(url, context);
  compiled.delete(url);
  return { format: found.format, source: found.source, shortCircuit: true };
}`;

let channel: Promise<{ send(message: { url: string; format: string; source: string }): Promise<void> }> | undefined;

function hooks() {
  channel ??= (async () => {
    const { register } = process.getBuiltinModule('node:module') as typeof import('node:module');
    const { MessageChannel } = process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');
    const { port1, port2 } = new MessageChannel();
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { port: port2 }, transferList: [port2] });
    let next = 0;
    const waiting = new Map<number, () => void>();
    // Held open only while an answer is awaited: an idle channel must not keep the process alive.
    port1.on('message', (id: number) => {
      waiting.get(id)?.();
      waiting.delete(id);
      if (waiting.size === 0) port1.unref();
    });
    port1.unref();
    return {
      send: (message) =>
        new Promise<void>((resolve) => {
          const id = next++;
          waiting.set(id, resolve);
          port1.ref();
          port1.postMessage({ ...message, id });
        }),
    };
  })();
  return channel;
}

/**
 * Imports `source` as the module at `filepath`, `format` 'module' or 'commonjs'. A fresh query on
 * the URL each time, so a config edited between reads (outage watch) is not Node's cached copy.
 */
export async function importCompiled(filepath: string, source: string, format: 'module' | 'commonjs'): Promise<unknown> {
  const url = `${pathToFileURL(filepath).href}?compiled=${process.getBuiltinModule('node:crypto').randomUUID()}`;
  await (await hooks()).send({ url, format, source });
  return ((await import(url)) as { default?: unknown }).default;
}

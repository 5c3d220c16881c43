/**
 * Standard output could not be written (a full disk under `> out.json`): the CLI then exits 74
 * (cli.ts). Report files a command wrote before that stated the code it expected to exit with; the
 * command registers here how to state the real one, and the CLI waits for that before it exits.
 * In core because the CLI, which catches the error, sits above the commands that wrote the files.
 */

type Restate = (exitCode: number) => Promise<void>;

let restate: Restate | undefined;

/** While `fn` is registered, a lost stdout runs it with the code the process ends with. Returns the way to unregister it. */
export function onStdoutLost(fn: Restate): () => void {
  restate = fn;
  return () => {
    if (restate === fn) restate = undefined;
  };
}

/** Called once stdout is lost: resolves when whatever was registered is done (never rejects). */
export function stdoutLost(exitCode: number): Promise<void> {
  const fn = restate;
  restate = undefined;
  return fn ? fn(exitCode).catch(() => undefined) : Promise.resolve();
}

/**
 * Ctrl-C and kill: the terminal comes back within a few seconds, whatever the command waits on.
 * Commands that do not talk to Temporal keep Node's default (exit at once).
 * The first SIGINT / SIGTERM lets the command stop its in-process worker (the SDK's runtime
 * shuts workers down on the same signals) and exits after at most GRACE_MS; a second signal
 * exits at once. Exit code 130 (128 + SIGINT) or 143 (SIGTERM). A batch already started keeps
 * its state on the Temporal server: start-batch again resumes it, `cancel --id` stops it.
 */
const GRACE_MS = 3_000;

/** `npx tsx` relays the terminal's Ctrl-C to the process that already got it: one keypress, two signals. */
const SAME_KEYPRESS_MS = 300;

let received: NodeJS.Signals | undefined;
let receivedAt = 0;

/** The signal that interrupted the command, if any. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return received;
}

export function interruptExitCode(sig: NodeJS.Signals): number {
  return sig === 'SIGTERM' ? 143 : 130;
}

let enabled = false;
let installed = false;

/**
 * client.ts's main allows the handlers (tests run commands in-process and keep jest's). They are
 * installed when a command opens a Temporal session (see session.ts), i.e. when it is about to
 * wait on the server or run a worker: until then Node's default applies, which also ends
 * synchronous work at once (a JS handler would wait for a long parse or solve to finish).
 */
export function allowInterruptHandling(): void {
  enabled = true;
}

export function handleInterrupts(): void {
  if (!enabled || installed) return;
  installed = true;
  exitOnInterrupt();
}

/** Installs the handlers. */
export function exitOnInterrupt(exit: (code: number) => void = (c) => process.exit(c)): void {
  const onSignal = (sig: NodeJS.Signals) => {
    if (received && Date.now() - receivedAt < SAME_KEYPRESS_MS) return;
    if (received) {
      process.stderr.write(`\n${sig} again: exiting now\n`);
      exit(interruptExitCode(received));
      return;
    }
    received = sig;
    receivedAt = Date.now();
    process.stderr.write(
      `\ninterrupted (${sig}): stopping (at most ${GRACE_MS / 1000} s; ${sig === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again exits at once). ` +
        'A started batch keeps its state on the Temporal server: the same start-batch resumes it, cancel --id stops it.\n',
    );
    setTimeout(() => exit(interruptExitCode(sig)), GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

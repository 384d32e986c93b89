import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TSX_EXEC_ARGV } from '../servers.ts';
import type { FromGenerator, SetupResult, StepResult, Target, ToGenerator } from './generator-messages.ts';

/** The bench's handle on a load generator running in its own process. */
export class GeneratorProcess {
  readonly child: ChildProcess;

  constructor() {
    this.child = fork(fileURLToPath(new URL('./generator.ts', import.meta.url)), [], {
      execArgv: [...TSX_EXEC_ARGV, '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  private ask<T extends FromGenerator>(message: ToGenerator): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited with ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (reply: FromGenerator) => {
        this.child.off('exit', onExit);
        if (reply.type === 'failed') reject(new Error(`load generator: ${reply.error}`));
        else resolve(reply as T);
      });
      this.child.send(message);
    });
  }

  setup(target: Target, options: { idle?: boolean; connectConcurrency?: number } = {}): Promise<SetupResult> {
    return this.ask({ cmd: 'setup', target, ...options });
  }

  step(
    rate: number,
    timing: { warmupMs: number; measureMs: number | null; drainMs: number },
  ): Promise<StepResult> {
    return this.ask({ cmd: 'step', rate, ...timing });
  }

  /** Ends an open-ended step (`measureMs: null`); its result comes back from `step`. */
  stop(): void {
    this.child.send({ cmd: 'stop' } satisfies ToGenerator);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await this.ask({ cmd: 'close' }).catch(() => undefined);
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const t = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
      this.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

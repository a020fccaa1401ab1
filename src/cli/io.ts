/** What a command needs from the outside world, so commands can be tested without a process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether standard output is a terminal (colour only then). */
  readonly isTty: boolean;
}

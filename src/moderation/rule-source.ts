import fs from 'node:fs';
import type { Log } from '../observability/logger.js';
import { loadRules, type CompiledRules } from './rules.js';

/**
 * A rules file, loaded at start (an invalid file stops the start) and reloaded when it changes.
 * A change that makes it invalid is logged and ignored: the last valid rules stay in force.
 */
export class RuleSource {
  private current: CompiledRules;
  private readonly onChange = () => this.reload();

  constructor(
    private readonly file: string,
    private readonly log: Log,
    intervalMs = 1_000,
  ) {
    this.current = loadRules(file);
    // Polling rather than fs.watch: editors replace files by renaming, which fs.watch loses.
    fs.watchFile(file, { interval: intervalMs, persistent: false }, this.onChange);
  }

  match(prompt: string): string | undefined {
    return this.current.match(prompt);
  }

  close(): void {
    fs.unwatchFile(this.file, this.onChange);
  }

  private reload(): void {
    try {
      this.current = loadRules(this.file);
      this.log.info({ file: this.file }, 'moderation rules reloaded');
    } catch (error) {
      this.log.error(
        { file: this.file, err: error },
        'moderation rules file invalid: keeping the previous rules',
      );
    }
  }
}

import { existsSync, watch, type FSWatcher } from "node:fs";
import path from "node:path";
import { ConfigError, readConfigFile, type Config } from "../config/load-config.js";
import type { Translator } from "../locales/i18n.js";
import type { InputProblem } from "../shared/describe-issues.js";
import type { Logger } from "../shared/logger.js";

export type ReloadResult = { ok: true } | { ok: false; problems: InputProblem[] };

export interface ConfigReloader {
  /** The configuration in force now. */
  current(): Config;
  /**
   * Reads the config file again (SIGHUP, a changed file). A valid one is put in force for new
   * dialogs, with its wording; an invalid one is refused with every problem, and the one in force
   * stays. Dialogs under way keep their snapshot (services/dialog-settings.ts). One at a time.
   */
  reload(): Promise<ReloadResult>;
  /** Reloads when the file or its textsDir changes, once the writes have settled. */
  watch(): void;
  close(): void;
}

/** Sections read once at start-up: a change to them is logged as needing a restart. */
const startUpOnly = ["telegram", "webhooks"] as const;

export function createConfigReloader(options: {
  initial: Config;
  translator: Translator;
  logger: Logger;
  /** Wires a freshly read config the way the running one was (the sandbox points it at its stand-in). */
  adapt?: ((config: Config) => Config) | undefined;
  /** Editors write a file in several steps; reload once they are done. */
  debounceMs?: number;
  /** Runs once a reloaded config is in force, with the one before (its failure is logged, not the reload's). */
  onReloaded?: ((next: Config, previous: Config) => Promise<void>) | undefined;
}): ConfigReloader {
  const { translator, logger } = options;
  let current = options.initial;
  let queue: Promise<unknown> = Promise.resolve();
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const read = async (): Promise<ReloadResult> => {
    const configPath = current.configPath;
    let next: Config;
    try {
      const file = readConfigFile(configPath);
      next = options.adapt ? options.adapt({ ...current, file }) : { ...current, file };
    } catch (error) {
      const problems =
        error instanceof ConfigError
          ? error.problems.map(({ segments: _segments, ...problem }) => problem)
          : [{ path: configPath, message: error instanceof Error ? error.message : String(error) }];
      logger.error({ configPath, problems }, "config not reloaded: the file has problems; the previous config stays in force");
      return { ok: false, problems };
    }
    // Wording first, then the config: a dialog that starts now never pairs new steps with old words.
    await translator.setTexts(next.file.texts, next.file.shop);
    const restartNeeded = startUpOnly.filter((key) => JSON.stringify(current.file[key]) !== JSON.stringify(next.file[key]));
    const previous = current;
    current = next;
    if (!closed) armTextsDir();
    await options.onReloaded?.(next, previous).catch((error: unknown) => logger.error({ err: error }, "after config reload"));
    logger.info({ configPath }, "config reloaded: new dialogs use it; dialogs under way keep theirs");
    if (restartNeeded.length) logger.warn({ sections: restartNeeded }, "these sections changed and take effect after a restart");
    return { ok: true };
  };

  const reload = (): Promise<ReloadResult> => {
    const run = queue.then(read, read);
    queue = run.catch(() => undefined);
    return run;
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () => void reload().catch((error: unknown) => logger.error({ err: error }, "config reload failed")),
      options.debounceMs ?? 300,
    );
    timer.unref();
  };

  // Directories are watched, not files: editors often save by writing a new file and renaming it.
  const watchDir = (dir: string, matches: (file: string) => boolean) => {
    if (watchers.has(dir) || !existsSync(dir)) return;
    try {
      const watcher = watch(dir, (_event, file) => {
        if (file && matches(file.toString())) schedule();
      });
      watcher.on("error", (error) => logger.warn({ err: error, dir }, "stopped watching for config changes"));
      watcher.unref();
      watchers.set(dir, watcher);
    } catch (error) {
      logger.warn({ err: error, dir }, "cannot watch for config changes; send SIGHUP to reload");
    }
  };

  const textsDirOf = (config: Config) =>
    config.file.textsDir ? path.resolve(path.dirname(config.configPath), config.file.textsDir) : null;
  const configDir = () => path.dirname(current.configPath);
  function armTextsDir() {
    if (watchers.size === 0) return;
    const textsDir = textsDirOf(current);
    for (const [dir, watcher] of watchers) {
      if (dir !== configDir() && dir !== textsDir) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    if (textsDir) watchDir(textsDir, (file) => file.endsWith(".yaml"));
  }

  return {
    current: () => current,
    reload,
    watch: () => {
      const name = path.basename(current.configPath);
      watchDir(configDir(), (file) => file === name);
      armTextsDir();
    },
    close: () => {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

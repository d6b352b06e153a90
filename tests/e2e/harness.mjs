// Starts the real app for one test through tauri-driver, in a fresh temporary home, and
// tears it down again. `run.sh` provides the display and tauri-driver; this file provides
// what each test needs on top: its own data folder, a WebDriver session, screenshots.

import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, "../..");
export const SCREENSHOTS = path.join(HERE, "screenshots");

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the end-to-end tests through tests/e2e/run.sh`);
  }
  return value;
}

/** The version the app must report: the workspace's, which the app crate inherits. */
export async function workspaceVersion() {
  const manifest = await readFile(path.join(REPO_ROOT, "Cargo.toml"), "utf8");
  const section = manifest.split(/^\[workspace\.package\]\s*$/m)[1] ?? "";
  const version = /^version\s*=\s*"([^"]+)"/m.exec(section)?.[1];
  if (!version) throw new Error("no [workspace.package] version in Cargo.toml");
  return version;
}

/**
 * Launches the app in its own temporary home and returns a handle with the WebDriver
 * session. Always call `close()` (in `finally` or an `after` hook), even when the test fails.
 * `prepareDataDir(dataDir)`, when given, runs after the (empty) data folder is created and
 * before the app starts, to put files in it.
 */
export async function launchApp({ prepareDataDir } = {}) {
  const application = required("WEBHOOK_STUDIO_APP");
  const port = Number(required("TAURI_DRIVER_PORT"));

  const home = await mkdtemp(path.join(tmpdir(), "webhook-studio-e2e-"));
  const dataDir = path.join(home, "data");
  const appLog = path.join(home, "app.log");
  const pidFile = path.join(home, "app.pid");

  // WebKitWebDriver starts the "browser" with its own arguments; this launcher puts the app
  // in the temporary home first, so nothing it writes lands in the real $HOME, and records
  // its pid (exec keeps it) so the app can be killed even if the session is never deleted.
  const launcher = path.join(home, "launch-app.sh");
  const xdg = (dir) => `"${path.join(home, dir)}"`;
  await Promise.all(
    ["cache", "config", "share", "runtime"].map((dir) => mkdir(path.join(home, dir), { mode: 0o700 })),
  );
  await writeFile(
    launcher,
    [
      "#!/bin/sh",
      `export HOME="${home}"`,
      `export XDG_CACHE_HOME=${xdg("cache")} XDG_CONFIG_HOME=${xdg("config")}`,
      `export XDG_DATA_HOME=${xdg("share")} XDG_RUNTIME_DIR=${xdg("runtime")}`,
      `export WEBHOOK_STUDIO_DATA_DIR="${dataDir}"`,
      `echo $$ > "${pidFile}"`,
      `exec "${application}" "$@" 2>>"${appLog}"`,
      "",
    ].join("\n"),
  );
  await chmod(launcher, 0o755);
  if (prepareDataDir) {
    await mkdir(dataDir);
    await prepareDataDir(dataDir);
  }

  let browser;
  try {
    browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "warn",
      connectionRetryCount: 0,
      capabilities: {
        browserName: "wry",
        // WebKitWebDriver speaks classic WebDriver only; without this webdriverio asks for
        // BiDi and the session is refused ("Failed to match capabilities").
        "wdio:enforceWebDriverClassic": true,
        "tauri:options": { application: launcher },
      },
    });
  } catch (error) {
    await killApp(pidFile);
    await removeHome(home);
    throw error;
  }

  return {
    browser,
    home,
    dataDir,
    appLog: () => readFile(appLog, "utf8").catch(() => ""),
    async screenshot(name) {
      await mkdir(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `${name}.png`);
      // WebKit screenshots show the last painted frame, which can predate the latest DOM
      // change; wait for two frames so the picture matches what the test just asserted.
      await browser.executeAsync((done) => {
        requestAnimationFrame(() => requestAnimationFrame(() => done()));
      });
      await browser.saveScreenshot(file);
      return file;
    },
    async close() {
      try {
        await browser.deleteSession();
      } catch {
        // The app may already be gone; the pid below still gets cleaned up.
      }
      await killApp(pidFile);
      if (!process.env.E2E_KEEP_TMP) {
        await removeHome(home);
      }
    },
  };
}

/**
 * Removes a test's home. The app's WebKit processes can outlive the killed app for a moment and
 * still write into it (the shader cache), so a plain recursive remove can meet a folder that
 * was just refilled (ENOTEMPTY); `rm` retries those errors with a delay.
 */
async function removeHome(home) {
  await rm(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
}

async function killApp(pidFile) {
  const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  for (const signal of ["SIGTERM", "SIGKILL"]) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // already exited
    }
    for (let i = 0; i < 20; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
    }
  }
}

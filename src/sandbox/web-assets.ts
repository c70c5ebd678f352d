import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Context } from "hono";
import { packageRoot } from "../db/package-root.js";

/**
 * The sandbox page: plain HTML, CSS and JavaScript modules, shipped as they are (no build step) in
 * the package's src/sandbox/web (package.json "files" ships src/). Found from the package root,
 * so that ordergram built to dist/ (which tsc fills with compiled code only) serves the same files.
 */
export const webDirectory = path.join(packageRoot(), "src", "sandbox", "web");

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * Serves the files of web/ by name only (the list is read once, so no path from a request ever
 * reaches the file system). Read on each request, so an owner editing the page sees it on reload.
 */
export function webAssets() {
  const files = new Map(
    readdirSync(webDirectory)
      .filter((name) => contentTypes[path.extname(name)] !== undefined)
      .map((name) => [name, { file: path.join(webDirectory, name), type: contentTypes[path.extname(name)]! }]),
  );
  return (c: Context, name: string): Response => {
    const asset = files.get(name);
    if (!asset) return c.json({ error: { code: "NOT_FOUND", message: `No sandbox file ${name}` } }, 404);
    return c.body(readFileSync(asset.file), 200, {
      "content-type": asset.type,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      // The page loads only its own files and talks only to this server.
      "content-security-policy":
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    });
  };
}

import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Whether the module at `moduleUrl` (its `import.meta.url`) is the script node was asked to run. Compared as file
 * URLs of the real path: a checkout whose path has a space (`%20` in the URL) or passes through a symlink (node
 * resolves it for the module, not in `process.argv[1]`) is still recognised.
 */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === moduleUrl;
  } catch {
    return false;
  }
}

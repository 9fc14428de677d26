// The runner's Web Worker: Pyodide from the site's own folder (hooks/pyodide_hooks.py),
// `lessons` from lessons.zip, and lessons.browser.run for every block the page sends.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const base = new URL("pyodide/", import.meta.url).href;
const ready = (async () => {
  const py = await loadPyodide({ indexURL: base, lockFileURL: base + "pyodide-lock.json",
                                 stdout: () => {}, stderr: () => {} });
  const zip = await fetch(base + "lessons.zip");
  if (!zip.ok) throw new Error(`lessons.zip: ${zip.status}`);
  py.unpackArchive(await zip.arrayBuffer(), "zip", { extractDir: "/lessons" });
  return py.runPython(`
import json, sys
sys.path.insert(0, "/lessons")
import lessons.browser
lambda code, prefix: json.dumps(lessons.browser.run(code, prefix))`);
})();

onmessage = async ({ data }) => {
  try {
    const run = await ready;
    const t = performance.now();
    const result = JSON.parse(run(data.code, data.prefix));
    postMessage({ id: data.id, ms: performance.now() - t, ...result });
  } catch (e) {
    postMessage({ id: data.id, failed: String(e && e.message || e) });
  }
};

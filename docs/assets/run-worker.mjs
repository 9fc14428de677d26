// The runner's Web Worker: Pyodide from the site's own folder (hooks/pyodide_hooks.py),
// `lessons` from lessons.zip, and lessons.browser.run for every block the page sends
// (lessons.browser.try_form for every "try your own" form: {try: kind, fields, lang}).
import { loadPyodide } from "./pyodide/pyodide.mjs";

const base = new URL("pyodide/", import.meta.url).href;
const ready = (async () => {
  const py = await loadPyodide({ indexURL: base, lockFileURL: base + "pyodide-lock.json",
                                 stdout: () => {}, stderr: () => {} });
  const zip = await fetch(base + "lessons.zip");
  if (!zip.ok) throw new Error(`lessons.zip: ${zip.status}`);
  py.unpackArchive(await zip.arrayBuffer(), "zip", { extractDir: "/lessons" });
  const run = py.runPython(`
import json, sys
sys.path.insert(0, "/lessons")
import lessons.browser
lambda code, prefix: json.dumps(lessons.browser.run(code, prefix))`);
  const tryForm = py.runPython(`lambda kind, fields, lang, prefix: json.dumps(
    lessons.browser.try_form(kind, json.loads(fields), lang, prefix))`);
  return { run, tryForm };
})();

onmessage = async ({ data }) => {
  try {
    const py = await ready;
    const t = performance.now();
    const result = JSON.parse(data.try
      ? py.tryForm(data.try, JSON.stringify(data.fields), data.lang, data.prefix ?? `try${data.id}`)
      : py.run(data.code, data.prefix));
    postMessage({ id: data.id, ms: performance.now() - t, ...result });
  } catch (e) {
    postMessage({ id: data.id, failed: String(e && e.message || e) });
  }
};

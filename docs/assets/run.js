// Runnable blocks and "try your own" forms (hooks/pyodide_hooks.py, DESIGN.md "Runnable
// block"): shows their buttons where the build put the runner's words (#run-help); the
// runner (runner.mjs) and Python load only after the first click or submit.
(() => {
  const help = document.getElementById("run-help");
  if (!help || !window.Worker) return;
  const url = new URL("runner.mjs", document.currentScript.src);
  let runner;
  const load = () => (runner ??= import(url));
  for (const b of document.querySelectorAll("[data-runnable] .run-bar")) b.hidden = false;
  for (const b of document.querySelectorAll("form[data-try] [data-action=try]")) b.hidden = false;
  help.hidden = false;
  document.addEventListener("click", async (e) => {
    const button = e.target.closest("[data-runnable] button[data-action]");
    if (button) (await load()).click(button);
  });
  document.addEventListener("submit", async (e) => {
    const form = e.target.closest("form[data-try]");
    if (!form) return;
    e.preventDefault();
    (await load()).submit(form);
  });
})();

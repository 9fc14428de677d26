// Runnable blocks (hooks/pyodide_hooks.py, DESIGN.md "Runnable block"): shows their run
// buttons; the runner (runner.mjs) and Python load only after the first click.
(() => {
  const blocks = document.querySelectorAll("[data-runnable]");
  if (!blocks.length || !window.Worker) return;
  const url = new URL("runner.mjs", document.currentScript.src);
  let runner;
  for (const b of blocks) b.querySelector(".run-bar").hidden = false;
  document.getElementById("run-help").hidden = false;
  document.addEventListener("click", async (e) => {
    const button = e.target.closest("[data-runnable] button[data-action]");
    if (!button) return;
    runner ??= import(url);
    (await runner).click(button);
  });
})();

// The runner of the runnable blocks (DESIGN.md "Runnable block"), loaded by run.js on the
// first click: the code becomes editable, Python (Pyodide) runs it in a Web Worker
// (run-worker.mjs) so the page never freezes, and what it printed shows in [data-output];
// an SVG it printed shows as a figure. "Stop" terminates the Worker; the next run starts
// another. A "try your own" form (lessons.markdown.try_form_html) goes to the same Worker,
// which calls lessons.browser.try_form: its HTML (from our own Python, every typed value
// escaped there) replaces [data-try-output], or its error shows there as an alert.
// The words come from the page (#run-ui, lessons.browser.UI).
const UI = JSON.parse(document.getElementById("run-ui").textContent);
const pending = new Map();
let worker = null;
let seq = 0;

function startWorker() {
  worker = new Worker(new URL("run-worker.mjs", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }) => {
    const done = pending.get(data.id);
    pending.delete(data.id);
    if (data.failed) stopWorker();  // Python did not start: start afresh next time
    done?.(data);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    const failed = e.message || "Worker error";
    stopWorker({ failed });
  };
}

function stopWorker(reply = { stopped: true }) {
  worker?.terminate();
  worker = null;
  for (const done of pending.values()) done(reply);
  pending.clear();
}

function el(tag, props = {}, text) {
  const node = Object.assign(document.createElement(tag), props);
  if (text !== undefined) node.textContent = text;
  return node;
}

function textBox(text, cls) {
  const pre = el("pre", { className: cls || "" });
  const code = el("code", { tabIndex: 0 }, text);
  code.setAttribute("role", "region");
  code.setAttribute("aria-label", UI.output);
  pre.append(code);
  return pre;
}

function figure(svg) {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  const root = doc.documentElement;
  if (root.nodeName !== "svg") return textBox(svg);
  for (const bad of root.querySelectorAll("script, foreignObject")) bad.remove();
  for (const node of [root, ...root.querySelectorAll("*")]) {
    for (const a of [...node.attributes]) {
      if (/^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)) node.removeAttribute(a.name);
    }
  }
  const fig = el("figure", { className: "run-figure" });
  fig.append(document.importNode(root, true));
  return fig;
}

function enhance(block) {
  const source = block.querySelector(".highlight");
  const code = source.querySelector("code").textContent;
  const lines = code.split("\n").length;
  const area = el("textarea", { className: "run-code", value: code, rows: lines,
                                spellcheck: false });
  area.setAttribute("aria-label", UI.code);
  area.setAttribute("autocapitalize", "off");
  area.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(block); }
  });
  source.hidden = true;
  source.after(area);
  const bar = block.querySelector(".run-bar");
  const runButton = bar.querySelector('[data-action="run"]');
  runButton.textContent = UI.again;
  runButton.removeAttribute("aria-describedby");
  const stop = el("button", { type: "button", className: "md-button", disabled: true },
                  UI.stop);
  stop.dataset.action = "stop";
  const reset = el("button", { type: "button", className: "md-button" }, UI.reset);
  reset.dataset.action = "reset";
  bar.append(stop, reset);
  const out = el("div", { className: "run-output", hidden: true });
  out.dataset.output = "";
  out.setAttribute("role", "status");
  bar.after(out);
  block._lessons = { code, area, out, stop, result: block.querySelector(".result") };
  return block._lessons;
}

function show(state, ...nodes) {
  state.result.hidden = true;
  state.out.hidden = false;
  state.out.replaceChildren(...nodes);
}

async function run(block) {
  const state = block._lessons;
  if (state.busy) return;
  state.busy = true;
  block.dataset.state = "running";
  state.stop.disabled = false;
  show(state, el("p", { className: "run-note" }, worker ? UI.running : UI.loading));
  if (!worker) startWorker();
  const id = ++seq;
  const reply = await new Promise((done) => {
    pending.set(id, done);
    worker.postMessage({ id, code: state.area.value, prefix: `run${id}` });
  });
  state.busy = false;
  state.stop.disabled = true;
  const nodes = [];
  if (reply.stopped) nodes.push(el("p", { className: "run-note" }, UI.stopped));
  else if (reply.failed) nodes.push(textBox(`${UI.failed}\n${reply.failed}`, "run-error"));
  else {
    for (const [kind, text] of reply.parts) {
      nodes.push(kind === "svg" ? figure(text) : textBox(text));
    }
    if (reply.error) nodes.push(textBox(reply.error, "run-error"));
    if (!nodes.length) nodes.push(el("p", { className: "run-note" }, UI.empty));
  }
  show(state, ...nodes);
  block.dataset.ms = String(reply.ms ?? "");
  block.dataset.state = "done";
}

export function click(button) {
  const block = button.closest("[data-runnable]");
  const state = block._lessons || enhance(block);
  const action = button.dataset.action;
  if (action === "run") run(block);
  else if (action === "stop") stopWorker();
  else if (action === "reset") {
    state.area.value = state.code;
    state.out.hidden = true;
    state.out.replaceChildren();
    state.result.hidden = false;
    state.area.focus();
  }
}

export async function submit(form) {
  if (form.dataset.state === "running") return;
  const out = form.querySelector("[data-try-output]");
  const button = form.querySelector('[data-action="try"]');
  const fields = {};
  for (const input of form.querySelectorAll("input[name]")) fields[input.name] = input.value;
  form.dataset.state = "running";
  button.disabled = true;
  out.setAttribute("aria-busy", "true");
  if (!worker) {
    out.replaceChildren(el("p", { className: "run-note" }, UI.loading));
    startWorker();
  }
  const id = ++seq;
  const reply = await new Promise((done) => {
    pending.set(id, done);
    worker.postMessage({ id, try: form.dataset.try, fields, prefix: `try${id}`,
                         lang: document.documentElement.lang });
  });
  if (typeof reply.html === "string") out.innerHTML = reply.html;
  else {
    const text = reply.error !== undefined ? `${UI.error}: ${reply.error}`
      : reply.failed ? `${UI.failed} ${reply.failed}` : UI.stopped;
    const p = el("p", { className: "try-error" }, text);
    p.setAttribute("role", "alert");
    out.replaceChildren(p);
  }
  out.removeAttribute("aria-busy");
  button.disabled = false;
  form.dataset.state = "done";
}

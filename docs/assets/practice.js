// Exercise checker; lessons/practice/render.py writes forms, answers, messages
(() => {
  const src = document.currentScript.src, root = src.slice(0, src.lastIndexOf("assets/")),
    KEY = "lessons.practice.", D = document;
  const store = (id, v) => { try { return v === undefined ? localStorage.getItem(KEY + id)
    : v ? localStorage.setItem(KEY + id, v) : localStorage.removeItem(KEY + id); } catch {} };
  // typed number: "-" or U+2212; "," (uk) or "."; digit groups: spaces (and "," on en)
  function parse(t, lang) {
    const g = "[ \u00a0\u202f" + (lang == "en" ? "," : "") + "]",
      m = new RegExp("^([-+]?)(\\d{1,3}(?:" + g + "\\d{3})+|\\d*)(?:[" + (lang == "uk" ? ",." : ".")
        + "](\\d*))?$").exec(t.trim().replace(/\u2212/g, "-"));
    return m && (m[2] || m[3]) ? +(m[1] + (m[2].replace(/\D/g, "") || 0) + "." + (m[3] || 0)) : NaN;
  }
  // a count (0 digits) is exact, else half a unit of the last digit
  const near = (x, a, d) => d ? Math.abs(x - a) <= .5 * 10 ** -d + 1e-9 : x == a;
  // [verdict, hint]: right, step (rounded each step), wrong, nan
  function judge(x, f) {
    if (isNaN(x)) return ["nan"];
    if (near(x, f.answer, f.digits)) return ["right"];
    if (f.stepwise != null && near(x, f.stepwise, f.digits)) return ["step"];
    for (const [v, h] of f.mistakes || []) if (near(x, v, f.digits)) return ["wrong", h];
    return ["wrong", f.hint];
  }
  const field = i => { const d = i.dataset; return { answer: +d.answer, digits: +d.digits,
    stepwise: d.stepwise ? +d.stepwise : null, mistakes: JSON.parse(d.mistakes || "[]"), hint: d.hint }; };
  const $ = (F, s) => [...F.querySelectorAll(s)], msgOf = e => D.getElementById(e.getAttribute("aria-describedby"));
  const show = (F, on) => $(F, ".exercise-explain").forEach(e => e.hidden = !on), say = (F, t) => { F.querySelector(".exercise-status").textContent = t; };

  function check(F) {
    const M = F.dataset, ins = $(F, "input[data-answer]"), group = F.querySelector("[role=radiogroup]");
    let first = null, right = 0, n = ins.length;
    for (const i of ins) {
      const v = i.value.trim(), [r, h] = v ? judge(parse(v, M.lang), field(i)) : ["empty"],
        ok = r == "right" || r == "step";
      i.setAttribute("aria-invalid", !ok);
      msgOf(i).textContent = ok ? (r == "step" ? M.msgStep : "") : h || M["msg" + r[0].toUpperCase() + r.slice(1)];
      if (ok) right++; else first = first || i;
    }
    if (group) {
      const c = group.querySelector(":checked");
      n = 1;
      if (!c) { first = group.querySelector("input"); msgOf(group).textContent = M.msgChoose; }
      else {
        const ok = c.hasAttribute("data-correct");
        group.setAttribute("aria-invalid", !ok);
        msgOf(group).textContent = ok ? M.msgRight : M.msgWrong;
        show(F, 1);
        if (ok) right = 1; else first = c;
      }
    }
    if (right == n) store(M.variant, "solved");
    say(F, right == n ? M.msgAll : M.msgSome.replace("{r}", right).replace("{n}", n));
    if (first) first.focus();
  }

  function clear(F) {
    $(F, "[aria-invalid]").forEach(e => e.removeAttribute("aria-invalid"));
    $(F, ".exercise-msg").forEach(e => e.textContent = "");
  }

  function solve(F) {
    clear(F);
    const uk = F.dataset.lang == "uk";
    for (const i of $(F, "input[data-answer]"))
      i.value = (+i.dataset.answer).toFixed(+i.dataset.digits).replace(".", uk ? "," : ".").replace("-", "\u2212");
    const c = F.querySelector("[data-correct]");
    if (c) { c.checked = true; show(F, 1); }
    F.querySelector("details").open = true;
    say(F, F.dataset.msgShown);
  }

  function next(F) {
    const M = F.dataset, ids = M.ids.split(" "), at = ids.indexOf(M.variant);
    let id = ids[(at + 1) % ids.length];
    for (let k = ids.length - 1; k; k--) if (!store(ids[(at + k) % ids.length])) id = ids[(at + k) % ids.length];
    fetch(root + "practice/" + M.lang + "/" + id + ".json").then(r => r.ok ? r.json() : Promise.reject())
      .then(j => { F.querySelector(".exercise-body").innerHTML = j.html; M.variant = j.id; say(F, M.msgNew); })
      .catch(() => say(F, M.msgFail));
  }

  function reset(F) {
    for (const id of F.dataset.ids.split(" ")) store(id, null);
    clear(F);
    F.reset();
    show(F, 0);
    F.querySelector("details").open = false;
    say(F, F.dataset.msgReset);
  }

  for (const F of D.querySelectorAll("form.exercise")) {
    F.addEventListener("submit", e => { e.preventDefault(); check(F); });
    F.addEventListener("click", e => {
      const a = e.target.closest("[data-action]");
      if (a) ({ solution: solve, next, reset })[a.dataset.action](F);
    });
    if (store(F.dataset.variant)) say(F, F.dataset.msgSolved);
    F.dataset.ready = "";
  }
  window.lessonsPractice = { parse, judge };
})();

// The audit report's findings list: filters, search, sort and pages over the JSON island.
// Everything is built with textContent, never innerHTML: links and messages are untrusted text.
"use strict";

(function () {
  const PAGE = 100;
  const SEVERITIES = ["info", "warning", "error"];
  const PLURALS = { error: "errors", warning: "warnings", info: "infos" };
  const $ = (id) => document.getElementById(id);
  const DATA = JSON.parse($("report-data").textContent);
  const LINKS = DATA.links;
  const FILES = DATA.files;
  const RULES = DATA.rules;
  const CAUSES = DATA.causes;

  const state = {
    severities: new Set(),
    rules: new Set(),
    file: -1,
    cause: "",
    query: "",
    sort: "severity",
    clean: false,
    shown: PAGE,
  };
  let matches = [];
  let rendered = 0;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  const plural = (count, word) => count + " " + (count === 1 ? word : PLURALS[word] || word + "s");
  const where = (link) =>
    FILES[link.f] + ":" + link.l + ":" + link.c + (link.x ? " (" + link.x + ")" : "");

  // Derived once per link, lazily: worst severity, and lower-case text for the search.
  function worstOf(link) {
    if (link._worst === undefined) {
      let worst = -1;
      for (const finding of link.d) if (finding[1] > worst) worst = finding[1];
      link._worst = worst;
    }
    return link._worst;
  }
  function linkText(link) {
    if (link._text === undefined) {
      link._text = (FILES[link.f] + " " + link.u + " " + (link.x || "") + " " +
        (link.o || []).join(" ")).toLowerCase();
    }
    return link._text;
  }
  function findingText(finding) {
    if (finding._text === undefined) {
      const rule = RULES[finding[0]] || {};
      finding._text = (finding[0] + " " + (rule.name || "") + " " + SEVERITIES[finding[1]] + " " +
        finding[2] + " " + (finding[4] ? finding[4][0] : "")).toLowerCase();
    }
    return finding._text;
  }

  // Filtering, with facet counts that honour every other filter (as a shop's filters do).
  function apply() {
    const query = state.query.trim().toLowerCase();
    const sevCounts = [0, 0, 0];
    const ruleCounts = {};
    const fileCounts = new Array(FILES.length).fill(0);
    const causeCounts = {};
    let cleanCount = 0;
    let findingCount = 0;
    const noSeverity = state.severities.size === 0;
    const noRule = state.rules.size === 0;
    matches = [];
    for (let index = 0; index < LINKS.length; index += 1) {
      const link = LINKS[index];
      const fileOk = state.file < 0 || link.f === state.file;
      const causeKey = link.s || "-";
      const causeOk = !state.cause || causeKey === state.cause;
      const linkHit = !query || linkText(link).includes(query);
      if (link.d.length === 0) {
        if (linkHit && fileOk && causeOk && noSeverity && noRule) {
          cleanCount += 1;
          if (state.clean) matches.push({ link, index, kept: [] });
        }
        continue;
      }
      let kept = null;
      for (let f = 0; f < link.d.length; f += 1) {
        const finding = link.d[f];
        const textOk = linkHit || findingText(finding).includes(query);
        if (!textOk) continue;
        const sevOk = noSeverity || state.severities.has(SEVERITIES[finding[1]]);
        const ruleOk = noRule || state.rules.has(finding[0]);
        if (fileOk && causeOk && ruleOk) sevCounts[finding[1]] += 1;
        if (fileOk && causeOk && sevOk) ruleCounts[finding[0]] = (ruleCounts[finding[0]] || 0) + 1;
        if (causeOk && sevOk && ruleOk) fileCounts[link.f] += 1;
        if (fileOk && sevOk && ruleOk) causeCounts[causeKey] = (causeCounts[causeKey] || 0) + 1;
        if (fileOk && causeOk && sevOk && ruleOk) {
          (kept || (kept = [])).push(f);
        }
      }
      if (kept) {
        findingCount += kept.length;
        matches.push({ link, index, kept });
      }
    }
    sortMatches();
    updateFacets(sevCounts, ruleCounts, fileCounts, causeCounts, cleanCount);
    state.shown = PAGE;
    render(findingCount);
    saveHash();
  }

  function sortMatches() {
    const byPlace = (a, b) =>
      (a.link.f === b.link.f ? 0 : FILES[a.link.f] < FILES[b.link.f] ? -1 : 1) ||
      a.link.l - b.link.l || a.link.c - b.link.c || a.index - b.index;
    const severityKey = (m) => {
      let worst = -1;
      let errors = 0;
      for (const f of m.kept) {
        const severity = m.link.d[f][1];
        if (severity > worst) worst = severity;
        if (severity === 2) errors += 1;
      }
      return [worst, errors];
    };
    const firstRule = (m) => m.kept.map((f) => m.link.d[f][0]).sort()[0] || "~";
    let compare;
    if (state.sort === "file") {
      compare = byPlace;
    } else if (state.sort === "rule") {
      for (const m of matches) m._key = firstRule(m);
      compare = (a, b) => (a._key < b._key ? -1 : a._key > b._key ? 1 : 0) || byPlace(a, b);
    } else if (state.sort === "count") {
      compare = (a, b) => b.kept.length - a.kept.length || byPlace(a, b);
    } else {
      for (const m of matches) m._key = severityKey(m);
      compare = (a, b) => b._key[0] - a._key[0] || b._key[1] - a._key[1] ||
        b.kept.length - a.kept.length || byPlace(a, b);
    }
    matches.sort(compare);
    // Grouped per file, files in the order their first link comes: errors first stays so.
    const order = new Map();
    matches.forEach((m, i) => { if (!order.has(m.link.f)) order.set(m.link.f, i); });
    matches.sort((a, b) => order.get(a.link.f) - order.get(b.link.f) || 0);
  }

  function updateFacets(sevCounts, ruleCounts, fileCounts, causeCounts, cleanCount) {
    for (const severity of SEVERITIES) {
      const box = document.querySelector('[data-facet-count="' + severity + '"]');
      box.textContent = "(" + sevCounts[SEVERITIES.indexOf(severity)] + ")";
      box.parentElement.classList.toggle("empty", sevCounts[SEVERITIES.indexOf(severity)] === 0);
    }
    for (const item of document.querySelectorAll("#rule-facets label")) {
      const count = ruleCounts[item.dataset.rule] || 0;
      item.querySelector(".count").textContent = "(" + count + ")";
      item.classList.toggle("empty", count === 0);
    }
    const fileSelect = $("file-filter");
    const total = fileCounts.reduce((a, b) => a + b, 0);
    fileSelect.options[0].textContent = "All files (" + total + ")";
    for (let i = 1; i < fileSelect.options.length; i += 1) {
      const option = fileSelect.options[i];
      option.textContent = FILES[Number(option.value)] + " (" + fileCounts[Number(option.value)] + ")";
    }
    const causeSelect = $("cause-filter");
    for (const option of causeSelect.options) {
      const count = option.value === ""
        ? Object.values(causeCounts).reduce((a, b) => a + b, 0)
        : causeCounts[option.value] || 0;
      option.textContent = option.dataset.label + " (" + count + ")";
    }
    $("clean-count").textContent = "(" + cleanCount + ")";
  }

  // Rendering ---------------------------------------------------------------------------

  function render(findingCount) {
    const groups = $("groups");
    groups.replaceChildren();
    rendered = 0;
    const linkCount = matches.length;
    const fileCount = new Set(matches.map((m) => m.link.f)).size;
    $("result-count").textContent = linkCount
      ? "Showing " + plural(findingCount, "finding") + " on " + plural(linkCount, "link") +
        " in " + plural(fileCount, "file") + "."
      : "No link matches these filters.";
    $("result-count").dataset.links = String(linkCount);
    $("result-count").dataset.findings = String(findingCount);
    renderMore();
  }

  function renderMore() {
    const groups = $("groups");
    const stop = Math.min(matches.length, state.shown);
    let group = groups.lastElementChild;
    for (let i = rendered; i < stop; i += 1) {
      const match = matches[i];
      if (!group || Number(group.dataset.file) !== match.link.f) {
        group = fileGroup(match.link.f, i);
        groups.append(group);
      }
      group.querySelector(".cards").append(card(match));
    }
    rendered = stop;
    const more = $("more");
    const left = matches.length - rendered;
    more.hidden = left <= 0;
    more.textContent = "Show " + Math.min(PAGE, left) + " more (" + left + " left)";
  }

  function fileGroup(fileIndex, from) {
    let links = 0;
    const severity = [0, 0, 0];
    for (let i = from; i < matches.length && matches[i].link.f === fileIndex; i += 1) {
      links += 1;
      for (const f of matches[i].kept) severity[matches[i].link.d[f][1]] += 1;
    }
    const counts = [2, 1, 0].filter((s) => severity[s])
      .map((s) => el("span", { class: "badge " + SEVERITIES[s], text: plural(severity[s], SEVERITIES[s]) }));
    const summary = el("summary", {},
      el("h3", {}, el("span", { class: "path", text: FILES[fileIndex] }), " ",
        el("span", { class: "help", text: plural(links, "link") }), " ", ...counts));
    return el("details", { class: "file", open: true, "data-file": String(fileIndex) },
      summary, el("div", { class: "cards" }));
  }

  function card(match) {
    const link = match.link;
    const worst = match.kept.length ? SEVERITIES[worstOf({ d: match.kept.map((f) => link.d[f]) })] : "clean";
    const first = match.kept.length ? link.d[match.kept.slice().sort((a, b) => link.d[b][1] - link.d[a][1] || a - b)[0]] : null;
    const word = worst === "clean" ? "clean" : worst;
    const summary = el("summary", {},
      el("span", { class: "badge " + word, text: word }),
      el("span", { class: "where", text: where(link) }),
      el("span", { class: "help", text: match.kept.length ? plural(match.kept.length, "finding") : "no findings" }),
      first ? el("span", { class: "first", text: first[0] + " " + first[2] }) : null);
    const details = el("details", { class: "card " + word, "data-link": String(match.index) }, summary);
    let filled = false;
    const fill = () => {
      if (filled) return;
      filled = true;
      details.append(cardBody(match));
    };
    details.addEventListener("toggle", () => { if (details.open) fill(); });
    details._fill = fill;
    return details;
  }

  function cardBody(match) {
    const link = match.link;
    const body = el("div", { class: "body" });
    // Errors first inside the card too; the marks in the link carry the same numbers.
    const order = match.kept.slice().sort((a, b) => link.d[b][1] - link.d[a][1] || a - b);
    if (link.w) body.append(el("p", { class: "help", text: "Unwrapped from " + link.w.join(" > ") }));
    body.append(marked(link, order));
    for (const line of link.o || []) body.append(el("p", { class: "outcome", text: line }));
    if (link.s) {
      body.append(el("p", { class: "cause" }, el("strong", { text: "Signature: " }),
        (CAUSES[link.s] || link.s) + " (" + link.s + ")"));
    }
    if (match.kept.length) {
      const list = el("ol", { class: "finding-list" });
      order.forEach((f, i) => list.append(findingItem(link, link.d[f], i + 1)));
      body.append(list);
    } else {
      body.append(el("p", { class: "ok", text: "No findings: this link does what it says." }));
    }
    const hidden = link.d.length - match.kept.length;
    if (hidden > 0) {
      body.append(el("p", { class: "help", text: plural(hidden, "more finding") + " on this link hidden by the filters." }));
    }
    if (link.p) {
      const rows = link.p.map(([name, value, raw]) => el("tr", {},
        el("td", { class: "mono", "data-label": "Parameter", text: name }),
        el("td", { class: "mono", "data-label": "Decoded", text: value }),
        el("td", { class: "mono", "data-label": "As written", text: raw })));
      body.append(el("details", { class: "params" },
        el("summary", { text: "Decoded parameters (" + link.p.length + ")" }),
        el("div", { class: "table-wrap" }, el("table", {},
          el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Parameter" }),
            el("th", { scope: "col", text: "Decoded value" }), el("th", { scope: "col", text: "As written" }))),
          el("tbody", {}, ...rows)))));
    }
    return body;
  }

  function findingItem(link, finding, number) {
    const [code, severityIndex, message, , fix] = finding;
    const severity = SEVERITIES[severityIndex];
    const rule = RULES[code] || { name: "" };
    const item = el("li", { class: "finding " + severity, "data-code": code, "data-severity": severity },
      el("span", { class: "badge " + severity, text: severity }),
      el("span", { class: "number", text: "[" + number + "] " }),
      el("a", { href: "#rule-" + code, class: "rule-link", title: "What " + code + " means" },
        code + " " + rule.name),
      el("div", { class: "message", text: message }));
    if (fix) {
      const [description, safe, fixed] = fix;
      item.append(el("p", { class: "fix" },
        el("strong", { text: safe ? "Fix (safe): " : "Fix (changes what the link does; review it): " }),
        description));
      if (fixed) item.append(el("p", { class: "fixed" }, el("span", { class: "help", text: "Fixed link: " }),
        changed(link.u, fixed)));
    } else {
      item.append(el("p", { class: "fix help", text: "No automatic fix: see the rule." }));
    }
    return item;
  }

  // The fixed link with what the fix changed shown as inserted text.
  function changed(before, after) {
    const a = Array.from(before);
    const b = Array.from(after);
    let head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
    let tail = 0;
    while (tail < a.length - head && tail < b.length - head &&
      a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
    const added = b.slice(head, b.length - tail).join("");
    const removed = a.slice(head, a.length - tail).join("");
    // What was removed is drawn by CSS from an attribute, so copying the link leaves it out.
    return el("code", { class: "url" }, b.slice(0, head).join(""),
      removed ? el("del", { "data-removed": removed, title: "removed: " + removed }) : null,
      added ? el("ins", { text: added }) : null,
      b.slice(b.length - tail).join(""));
  }

  // The link, each finding's span marked by its worst severity and numbered like the list.
  function marked(link, order) {
    const chars = Array.from(link.u);
    const spans = order.map((f, i) => ({ f: i, finding: link.d[f] }))
      .filter(({ finding }) => finding[3] && finding[3][1] >= finding[3][0]);
    const cuts = new Set([0, chars.length]);
    for (const { finding } of spans) {
      const [start, end] = finding[3];
      cuts.add(Math.min(start, chars.length));
      cuts.add(Math.min(Math.max(end, start + 1), chars.length));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const out = el("pre", { class: "url marked" });
    for (let i = 0; i < points.length - 1; i += 1) {
      const start = points[i];
      const end = points[i + 1];
      for (const { f, finding } of spans) {
        if (finding[3][0] === start) out.append(el("sup", { "aria-hidden": "true", text: "[" + (f + 1) + "]" }));
      }
      const text = chars.slice(start, end).join("");
      const covering = spans.filter(({ finding }) =>
        finding[3][0] <= start && Math.max(finding[3][1], finding[3][0] + 1) >= end);
      if (!covering.length) { out.append(text); continue; }
      let worst = 0;
      for (const { finding } of covering) worst = Math.max(worst, finding[1]);
      const label = covering.map(({ f, finding }) => "[" + (f + 1) + "] " + finding[0]).join(", ");
      out.append(el("mark", { class: SEVERITIES[worst], title: label }, text));
    }
    return out;
  }

  // Controls ----------------------------------------------------------------------------

  function buildControls() {
    const ruleBox = $("rule-facets");
    const codes = Object.keys(RULES);
    const totals = {};
    for (const link of LINKS) for (const finding of link.d) totals[finding[0]] = (totals[finding[0]] || 0) + 1;
    codes.sort((a, b) => (totals[b] || 0) - (totals[a] || 0) || (a < b ? -1 : 1));
    for (const code of codes) {
      const rule = RULES[code];
      ruleBox.append(el("label", { class: "facet", "data-rule": code, title: rule.summary },
        el("input", { type: "checkbox", name: "rule", value: code }),
        " " + code + " ", el("span", { class: "rule-name", text: rule.name }), " ",
        el("span", { class: "count" })));
    }
    const fileSelect = $("file-filter");
    fileSelect.append(el("option", { value: "-1", text: "All files" }));
    FILES.forEach((path, index) => fileSelect.append(el("option", { value: String(index), text: path })));
    const causeSelect = $("cause-filter");
    causeSelect.append(el("option", { value: "", "data-label": "Any", text: "Any" }));
    for (const [id, headline] of Object.entries(CAUSES)) {
      causeSelect.append(el("option", { value: id, "data-label": id + ": " + headline, text: id }));
    }
    causeSelect.append(el("option", { value: "-", "data-label": "No signature cause", text: "none" }));
    causeSelect.closest("form").querySelector('label[for="cause-filter"]').hidden = !Object.keys(CAUSES).length;
    causeSelect.hidden = !Object.keys(CAUSES).length;

    const form = $("filter-form");
    form.addEventListener("change", (event) => {
      const target = event.target;
      if (target.name === "severity") toggle(state.severities, target.value, target.checked);
      else if (target.name === "rule") toggle(state.rules, target.value, target.checked);
      else if (target.id === "file-filter") state.file = Number(target.value);
      else if (target.id === "cause-filter") state.cause = target.value;
      else if (target.id === "show-clean") state.clean = target.checked;
      apply();
    });
    $("clear-filters").addEventListener("click", () => {
      state.severities.clear();
      state.rules.clear();
      state.file = -1;
      state.cause = "";
      state.query = "";
      $("search").value = "";
      syncControls();
      apply();
    });
    let timer = 0;
    $("search").addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { state.query = $("search").value; apply(); }, 120);
    });
    $("search").addEventListener("keydown", (event) => {
      if (event.key === "Escape") { $("search").blur(); }
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); state.query = $("search").value; apply(); }
    });
    $("sort").addEventListener("change", () => { state.sort = $("sort").value; apply(); });
    $("more").addEventListener("click", () => {
      const next = rendered;
      state.shown += PAGE;
      renderMore();
      const cards = document.querySelectorAll("#groups details.card");
      if (cards[next]) cards[next].querySelector("summary").focus();
    });
    $("expand-all").addEventListener("click", () => setAll(true));
    $("collapse-all").addEventListener("click", () => setAll(false));
    for (const bar of document.querySelectorAll("svg.chart g.bar")) {
      const choose = () => {
        const code = bar.dataset.rule;
        const only = state.rules.size === 1 && state.rules.has(code);
        state.rules.clear();
        if (!only) state.rules.add(code);
        syncControls();
        apply();
        $("findings").scrollIntoView();
      };
      bar.addEventListener("click", choose);
      bar.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(); }
      });
    }
    for (const button of document.querySelectorAll("button.show-cause")) {
      button.addEventListener("click", () => {
        state.cause = button.dataset.cause;
        syncControls();
        apply();
        $("findings").scrollIntoView();
      });
    }
    document.addEventListener("keydown", keys);
    window.addEventListener("beforeprint", () => setAll(true));
  }

  function toggle(set, value, on) { if (on) set.add(value); else set.delete(value); }

  function syncControls() {
    for (const box of document.querySelectorAll('input[name="severity"]')) box.checked = state.severities.has(box.value);
    for (const box of document.querySelectorAll('input[name="rule"]')) box.checked = state.rules.has(box.value);
    $("file-filter").value = String(state.file);
    $("cause-filter").value = state.cause;
    $("show-clean").checked = state.clean;
    $("search").value = state.query;
    $("sort").value = state.sort;
    for (const bar of document.querySelectorAll("svg.chart g.bar")) {
      bar.setAttribute("aria-pressed", String(state.rules.has(bar.dataset.rule)));
    }
  }

  function setAll(open) {
    for (const details of document.querySelectorAll("#groups details")) {
      if (open && details._fill) details._fill();
      details.open = open || details.classList.contains("file");
    }
  }

  function keys(event) {
    const target = event.target;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLSelectElement ||
      target instanceof HTMLTextAreaElement;
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/") { event.preventDefault(); $("search").focus(); $("search").select(); return; }
    if (event.key !== "j" && event.key !== "k") return;
    const summaries = [...document.querySelectorAll("#groups details.card > summary")];
    if (!summaries.length) return;
    const at = summaries.indexOf(document.activeElement);
    const next = event.key === "j" ? Math.min(summaries.length - 1, at + 1) : Math.max(0, at - 1);
    event.preventDefault();
    summaries[next].focus();
    summaries[next].scrollIntoView({ block: "nearest" });
  }

  // The filters live in the address (#severity=error&rule=DL101), so a view can be shared.
  function saveHash() {
    const params = new URLSearchParams();
    if (state.severities.size) params.set("severity", [...state.severities].join(","));
    if (state.rules.size) params.set("rule", [...state.rules].join(","));
    if (state.file >= 0) params.set("file", FILES[state.file]);
    if (state.cause) params.set("cause", state.cause);
    if (state.query) params.set("q", state.query);
    if (state.sort !== "severity") params.set("sort", state.sort);
    if (state.clean) params.set("clean", "1");
    const text = params.toString();
    if (text !== location.hash.slice(1)) history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
  }

  function loadHash() {
    const hash = location.hash.slice(1);
    if (!hash.includes("=")) return;
    const params = new URLSearchParams(hash);
    const list = (name) => (params.get(name) || "").split(",").filter(Boolean);
    for (const severity of list("severity")) if (SEVERITIES.includes(severity)) state.severities.add(severity);
    for (const code of list("rule")) if (RULES[code]) state.rules.add(code);
    if (params.has("file")) state.file = FILES.indexOf(params.get("file"));
    const cause = params.get("cause");
    if (cause && (cause === "-" || CAUSES[cause])) state.cause = cause;
    state.query = params.get("q") || "";
    if (["file", "rule", "count"].includes(params.get("sort"))) state.sort = params.get("sort");
    state.clean = params.get("clean") === "1";
  }

  buildControls();
  loadHash();
  syncControls();
  if (window.matchMedia("(max-width: 48rem)").matches) $("filters").open = false;
  apply();
})();

// The link inspector: asks this server's /v1 API about a pasted link and shows the answer.
// Everything is built with textContent, never innerHTML: the link is untrusted text.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const SEVERITY_RANK = { info: 0, warning: 1, error: 2 };
  const MAX_QR_CHARS = 500;
  const TYPING_PAUSE_MS = 300;
  const PLURALS = { error: "errors", warning: "warnings", info: "infos" };
  let generation = 0;
  let qrUrl = null;
  let typingTimer = 0;

  const counted = (count, word) => count + " " + (count === 1 ? word : PLURALS[word] || word + "s");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  async function api(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, application/problem+json, image/svg+xml" },
      body: JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
    const type = response.headers.get("content-type") || "";
    if (!response.ok) {
      let detail = response.status + " " + response.statusText;
      if (type.includes("json")) {
        const problem = await response.json();
        detail = problem.detail || problem.title || detail;
      }
      throw new Error(detail);
    }
    return type.includes("json") ? response.json() : response.text();
  }

  function options() {
    const body = {};
    const acceptLanguage = $("accept-language").value.trim();
    const context = $("context").value;
    if (acceptLanguage) body.accept_language = acceptLanguage;
    if (context) body.context = context;
    return body;
  }

  // Visible text: control characters as their Unicode pictures, edge spaces as ␠.
  function visible(text) {
    if (text === null || text === undefined) return el("span", { class: "help", text: "(none)" });
    if (text === "") return el("span", { class: "help", text: "(empty)" });
    const out = el("span");
    const chars = Array.from(text);
    const lead = chars.findIndex((c) => c !== " ");
    const trail = chars.length - 1 - [...chars].reverse().findIndex((c) => c !== " ");
    chars.forEach((c, i) => {
      const code = c.codePointAt(0);
      if (c === " " && (lead === -1 || i < lead || i > trail)) {
        out.append(el("span", { class: "ws", title: "space", text: "␠" }));
      } else if (code < 0x20) {
        out.append(el("span", { class: "ws", title: "control character U+" + code.toString(16).padStart(4, "0"), text: String.fromCodePoint(0x2400 + code) }));
      } else if (code === 0x7f) {
        out.append(el("span", { class: "ws", title: "DEL", text: "␡" }));
      } else {
        out.append(c);
      }
    });
    return out;
  }

  function setStatus(text, isError) {
    const status = $("status");
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function severityCounts(findings) {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const finding of findings) counts[finding.severity] += 1;
    return counts;
  }

  // The one summary line: what a browser does, then the findings by severity word.
  function renderSummary(report) {
    const counts = severityCounts(report.findings);
    const summary = $("summary");
    summary.textContent = "In a browser the link " + report.summary + ". " +
      (report.findings.length
        ? ["error", "warning", "info"].map((s) => counted(counts[s], s)).join(", ") + "."
        : "No findings.");
    summary.className = "summary " + (counts.error ? "bad" : counts.warning ? "" : "good");
    return summary.textContent;
  }

  // Who the page takes the visitor for, in words that cannot be read as "no customer".
  function identityWords(outcome) {
    const sbs = outcome.sbs;
    switch (outcome.identity) {
      case "anonymous": return "anonymous visitor (the link has no sbs)";
      case "unverified": return "customer sbs=" + sbs + ", signature not checked (no secret for this app here)";
      case "verified": return "customer sbs=" + sbs + ", signature verified";
      case "rejected": return "customer sbs=" + sbs + ", signature rejected by the page";
      default: return outcome.identity;
    }
  }

  function renderOutcomes(report) {
    const box = $("outcomes");
    box.replaceChildren();
    const names = { browser: "In a browser", sdk: "In the app (native SDK web view)" };
    for (const [client, outcome] of Object.entries(report.outcomes)) {
      const list = el("dl");
      const add = (term, value) => list.append(el("dt", { text: term }), el("dd", {}, value));
      add("View", outcome.view === "session" ? "chat session" : "home page");
      if (outcome.view === "session") add("Chat id", visible(outcome.chat_id));
      add("Language", outcome.language + " (from " + outcome.language_source + ")");
      add("Identity", identityWords(outcome));
      const customer = Object.entries(outcome.customer || {});
      const fields = el("span");
      if (customer.length) {
        customer.forEach(([key, value], index) => {
          if (index) fields.append(", ");
          fields.append(el("code", { text: key }), ": ", visible(value));
        });
      } else {
        fields.append(el("span", { class: "help", text: "none in the link (name, nickname, email, phone)" }));
      }
      add("Fields shown to the agent", fields);
      if (outcome.rejected_reason) add("Refused", outcome.rejected_reason);
      for (const assumption of outcome.assumptions || []) add("Assumes", assumption);
      box.append(el("div", { class: "outcome", "data-client": client }, el("h4", { text: names[client] || client }), list));
    }
  }

  function renderMarked(report) {
    const input = Array.from(report.link.input);
    const spans = report.findings
      .map((finding, index) => ({ finding, number: index + 1 }))
      .filter(({ finding }) => Array.isArray(finding.span) && finding.span[1] > finding.span[0]);
    const cuts = new Set([0, input.length]);
    for (const { finding } of spans) { cuts.add(finding.span[0]); cuts.add(finding.span[1]); }
    const points = [...cuts].filter((p) => p >= 0 && p <= input.length).sort((a, b) => a - b);
    const out = $("marked");
    out.replaceChildren();
    for (let i = 0; i < points.length - 1; i += 1) {
      const [start, end] = [points[i], points[i + 1]];
      const text = input.slice(start, end).join("");
      const covering = spans.filter(({ finding }) => finding.span[0] <= start && finding.span[1] >= end);
      for (const { finding, number } of spans) {
        if (finding.span[0] === start) out.append(el("sup", { "aria-hidden": "true", text: "[" + number + "]" }));
      }
      if (!covering.length) { out.append(text); continue; }
      let worst = "info";
      for (const { finding } of covering) if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[worst]) worst = finding.severity;
      const label = covering.map(({ finding, number }) => "[" + number + "] " + finding.code + " " + finding.name).join("; ");
      out.append(el("mark", { class: worst, title: label, "aria-label": text + " (" + label + ")" }, text));
    }
  }

  function renderFindings(report) {
    const list = $("findings");
    list.replaceChildren();
    if (!report.findings.length) {
      list.append(el("li", { class: "ok" }, el("span", { class: "badge ok", text: "ok" }), "No findings."));
      return;
    }
    report.findings.forEach((finding, index) => {
      const item = el("li", { class: finding.severity, "data-code": finding.code },
        el("span", { class: "badge " + finding.severity, text: finding.severity }),
        el("strong", { text: "[" + (index + 1) + "] " + finding.code + " " + finding.name }),
        finding.client ? " (" + finding.client + " only)" : null,
        el("div", { text: finding.message }));
      if (finding.fix) {
        item.append(el("p", { class: "fix" }, el("strong", { text: finding.fix.safe ? "Fix: " : "Fix (changes meaning, review it): " }), finding.fix.description));
      }
      list.append(item);
    });
  }

  function renderParams(report) {
    const body = $("params").tBodies[0];
    body.replaceChildren();
    for (const param of report.link.params) {
      body.append(el("tr", {},
        el("td", { class: "mono", "data-label": "Name" }, visible(param.name)),
        el("td", { class: "mono", "data-label": "Value" }, visible(param.value)),
        el("td", { class: "mono", "data-label": "As written" }, visible(param.raw))));
    }
    if (!report.link.params.length) {
      body.append(el("tr", {}, el("td", { colspan: "3", class: "help", text: "The link has no query parameters." })));
    }
    const note = $("fragment-note");
    const after = report.link.fragment_params || [];
    note.hidden = after.length === 0;
    note.textContent = after.length
      ? "After # (the page does not read these): " + after.map((p) => p.name).join(", ")
      : "";
  }

  function renderSignature(result) {
    const box = $("signature");
    box.replaceChildren();
    if (result instanceof Error) {
      box.append(el("p", { class: "help", text: "The signature could not be checked: " + result.message }));
      return;
    }
    const badge = { verified: "ok", mismatch: "error", unsigned: "info", "no-secret": "info", "not-a-direct-link": "info" }[result.verdict];
    box.append(el("p", { id: "signature-verdict", "data-verdict": result.verdict },
      el("span", { class: "badge " + badge, text: result.verdict }), result.message));
    const diagnosis = result.diagnosis;
    if (!diagnosis) return;
    for (const match of diagnosis.details) {
      box.append(el("p", {}, el("strong", { text: match.hypothesis + ": " }), match.description + " ",
        el("em", { text: "Fix: " + match.fix })));
    }
    const steps = el("ol", { class: "steps" });
    for (const step of diagnosis.steps) {
      steps.append(el("li", {}, step.label + ": " + step.algorithm + "(", el("code", { text: step.hashed }), ") = ", el("code", { text: step.result })));
    }
    box.append(el("p", {}, "Expected ", el("code", { text: diagnosis.expected }), ", given ", el("code", { text: diagnosis.given }), "."), steps);
  }

  // A QR code only for a link that works: printed, a broken one cannot be fixed any more.
  async function renderQr(fixed, currentGeneration) {
    const link = fixed.fixed;
    const img = $("qr");
    const note = $("qr-note");
    const download = $("qr-download");
    if (qrUrl) { URL.revokeObjectURL(qrUrl); qrUrl = null; }
    img.hidden = true;
    img.removeAttribute("src");
    download.hidden = true;
    if (!link) { note.textContent = "No link to encode."; return; }
    const errors = fixed.report.findings.filter((f) => f.severity === "error");
    if (errors.length) {
      const named = errors.map((f) => f.code + " " + f.name).join(", ");
      const unsafeHelps = !$("unsafe").checked && errors.some((f) => f.fix && !f.fix.safe);
      note.textContent = "No QR code: the fixed link still has " + counted(errors.length, "error") +
        " (" + named + "). " + (unsafeHelps
          ? "Tick “Also apply fixes that change what the link does” under Options, or fix the link by hand."
          : "Fix the link by hand first.");
      note.dataset.state = "withheld";
      return;
    }
    note.dataset.state = "";
    if (Array.from(link).length > MAX_QR_CHARS) {
      note.textContent = "The link is too long for a QR code that phones read reliably; shorten it.";
      return;
    }
    try {
      const svg = await api("/v1/qr", { link, scale: 6, border: 4 });
      if (currentGeneration !== generation) return;
      qrUrl = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
      img.src = qrUrl;
      img.hidden = false;
      download.href = qrUrl;
      download.hidden = false;
      note.textContent = "Scan it with a phone to open the fixed link.";
    } catch (error) {
      note.textContent = "No QR code: " + error.message;
    }
  }

  async function inspect() {
    const link = $("link").value;
    if (!link.trim()) {
      setStatus("Paste a link first.", true);
      $("link").focus();
      return;
    }
    const current = ++generation;
    const button = $("inspect");
    button.disabled = true;
    setStatus("Inspecting…");
    try {
      const opts = options();
      const [report, fixed, signature] = await Promise.all([
        api("/v1/check", { link, ...opts }),
        api("/v1/fix", { link, ...opts, unsafe: $("unsafe").checked }),
        api("/v1/explain", { link }).catch((error) => error),
      ]);
      if (current !== generation) return;
      renderSummary(report);
      renderOutcomes(report);
      renderMarked(report);
      renderFindings(report);
      renderParams(report);
      renderSignature(signature);
      $("fixed").value = fixed.fixed;
      const left = fixed.report.findings.map((f) => f.code + " (" + f.severity + ")").join(", ");
      const kind = $("unsafe").checked ? "Fixes" : "Safe fixes";
      $("fixed-note").textContent = fixed.changed
        ? kind + " applied: " + (fixed.fixed_codes.length ? fixed.fixed_codes.join(", ") : "canonical form") +
          (left ? ". Still to look at: " + left + "." : ". Nothing is left to fix.")
        : "Nothing to fix automatically; this is the link as given." + (left ? " Still to look at: " + left + "." : "");
      $("results").hidden = false;
      $("link-results").hidden = false;
      $("empty").hidden = true;
      setStatus("");
      renderQr(fixed, current);
    } catch (error) {
      if (current === generation) setStatus("Could not inspect the link: " + error.message, true);
    } finally {
      if (current === generation) button.disabled = false;
    }
  }

  async function copyFixed() {
    const text = $("fixed").value;
    try {
      await navigator.clipboard.writeText(text);
    } catch (_error) {
      $("fixed").select();
      document.execCommand("copy");
    }
    setStatus("Fixed link copied.");
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("inspect-form").addEventListener("submit", (event) => { event.preventDefault(); inspect(); });
    $("link").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); inspect(); }
    });
    $("link").addEventListener("paste", () => { clearTimeout(typingTimer); setTimeout(inspect, 0); });
    // Live as you type: once the typing pauses, the link is inspected again.
    $("link").addEventListener("input", (event) => {
      if (event.inputType === "insertFromPaste") return;  // the paste handler inspects
      clearTimeout(typingTimer);
      if (!$("link").value.trim()) return;
      typingTimer = setTimeout(inspect, TYPING_PAUSE_MS);
    });
    for (const id of ["unsafe", "context"]) {
      $(id).addEventListener("change", () => { if ($("link").value.trim()) inspect(); });
    }
    $("accept-language").addEventListener("input", () => {
      clearTimeout(typingTimer);
      if ($("link").value.trim()) typingTimer = setTimeout(inspect, TYPING_PAUSE_MS);
    });
    $("copy").addEventListener("click", copyFixed);
    $("use-fixed").addEventListener("click", () => {
      $("link").value = $("fixed").value;
      $("link").focus();
      inspect();
    });
    const fromHash = new URLSearchParams(location.hash.slice(1)).get("link");
    if (fromHash) { $("link").value = fromHash; inspect(); }
  });
})();

// auditview's page: draws the JSON in #auditview-data. Every string from the
// trail reaches the page through textContent or an SVG text node, never as
// markup; nothing is fetched.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("auditview-data").textContent);
  const PAGE = 200;         // rows drawn at once under one parent (more on demand)
  const SEARCH_LIMIT = 500; // matches shown
  const LANES = 40;         // process bars in the timeline
  const byId = new Map();
  const children = new Map();
  const roots = [];
  for (const p of data.processes) byId.set(p.id, p);
  for (const p of data.processes) {
    if (p.parent && byId.has(p.parent)) {
      if (!children.has(p.parent)) children.set(p.parent, []);
      children.get(p.parent).push(p);
    } else {
      roots.push(p);
    }
  }
  const expanded = new Set();
  let selected = null;
  let filter = null; // {ids: Set of shown ids, matches: Set}

  // ---- text ---------------------------------------------------------------
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // Control characters are shown as escapes, so a name cannot fake layout.
  const visible = (s) =>
    String(s).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
      c === "\n" ? "\\n" : c === "\t" ? "\\t" : c === "\r" ? "\\r" : "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0"));
  const quoteWord = (w) => (w === "" || /[\s'"\\$`;&|<>()*?[\]{}~#!]/.test(w) ? "'" + w.replace(/'/g, "'\\''") + "'" : w);
  const commandLine = (argv) => argv.map((a) => visible(quoteWord(a))).join(" ");
  const label = (p) =>
    p.argv && p.argv.length ? commandLine(p.argv) : p.program ? visible(p.program) : "(pid " + p.pid + ")";
  const pad = (n, w) => String(n).padStart(w, "0");
  const time = (ms) => {
    if (ms === undefined || ms === null) return "";
    const d = new Date(ms);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2) + " " +
      pad(d.getUTCHours(), 2) + ":" + pad(d.getUTCMinutes(), 2) + ":" + pad(d.getUTCSeconds(), 2) + "." +
      pad(d.getUTCMilliseconds(), 3);
  };
  // Within one day the date is said once, in the summary.
  const oneDay = data.first_ms !== undefined && time(data.first_ms).slice(0, 10) === time(data.last_ms).slice(0, 10);
  const when = (ms) => (ms === undefined ? "" : oneDay ? time(ms).slice(11) : time(ms));
  const userText = (p) => (p.user !== undefined ? p.user : p.uid !== undefined ? String(p.uid) : "");
  const PLURALS = { process: "processes", child: "children", match: "matches", entry: "entries" };
  const plural = (n, word) => n + " " + (n === 1 ? word : PLURALS[word] || word + "s");

  // ---- summary -----------------------------------------------------------
  function summary() {
    const parts = [plural(data.records, "record"), plural(data.processes.length, "process")];
    if (data.first_ms !== undefined) parts.push(time(data.first_ms) + " \u2013 " + time(data.last_ms) + " UTC");
    parts.push("from " + data.inputs.map(visible).join(", "));
    document.getElementById("summary").textContent = parts.join(" \u00b7 ");
    const notes = document.getElementById("notes");
    const note = (text) => notes.appendChild(el("div", null, text));
    if (data.damage_count) {
      note(plural(data.damage_count, "damaged spot") + " in the input:");
      for (const d of data.damage) note("\u2003" + visible(d.source) + ": " + visible(d.message));
      if (data.damage_count > data.damage.length) note("\u2003(" + (data.damage_count - data.damage.length) + " more)");
    }
    for (const n of data.input_notes) notes.appendChild(el("div", "omitted", visible(n.source) + ": " + visible(n.message)));
    if (data.non_attributable_records) note(plural(data.non_attributable_records, "record") + " without a subject (not attributable to a process)");
    if (data.untracked_processes)
      note(plural(data.untracked_processes, "process") + " and " + plural(data.untracked_records, "record") +
        " not drawn: more than " + data.limits.max_processes + " processes (--max-processes)");
    if (data.memory_refusals) note(plural(data.memory_refusals, "entry") + " not kept: memory limit reached (--max-memory)");
  }

  // ---- tree --------------------------------------------------------------
  const tree = document.getElementById("tree");
  const kids = (p) => {
    const list = children.get(p.id) || [];
    return filter ? list.filter((c) => filter.ids.has(c.id)) : list;
  };
  function row(p, depth) {
    const r = el("div", "row");
    r.setAttribute("role", "treeitem");
    r.dataset.id = p.id;
    r.dataset.pid = p.pid;
    r.style.paddingLeft = 8 + depth * 16 + "px";
    if (selected === p.id) r.classList.add("selected");
    if (filter && filter.matches.has(p.id)) r.classList.add("match");
    const n = kids(p).length;
    const t = r.appendChild(el("span", "toggle", n ? (expanded.has(p.id) ? "\u25be" : "\u25b8") : "\u00b7"));
    if (n) {
      t.addEventListener("click", (ev) => {
        ev.stopPropagation();
        toggle(p.id);
      });
    }
    r.appendChild(el("span", "cmd", label(p)));
    r.appendChild(el("span", "pid", "pid " + p.pid));
    const user = userText(p);
    if (user) r.appendChild(el("span", "user", visible(user)));
    if (n) r.appendChild(el("span", "badge", plural(n, "child")));
    if (p.files.length) r.appendChild(el("span", "badge", plural(p.files.length, "file")));
    if (p.peers.length) r.appendChild(el("span", "badge", plural(p.peers.length, "peer")));
    const failed = p.failures.reduce((s, f) => s + f.count, 0);
    if (failed) r.appendChild(el("span", "badge fail", failed + " failed"));
    if (p.ending !== "running") r.appendChild(el("span", "badge ended", p.ending));
    r.addEventListener("click", () => select(p.id));
    return r;
  }
  // Draws list[from ..] a page at a time; the "show more" button is replaced
  // by the next page where it stands (the first page may go to a fragment).
  function drawList(list, depth, into, from = 0) {
    const end = Math.min(list.length, from + PAGE);
    for (let i = from; i < end; i++) drawNode(list[i], depth, into);
    if (end >= list.length) return;
    const wrap = el("div", "more");
    wrap.style.paddingLeft = 8 + depth * 16 + "px";
    const b = wrap.appendChild(el("button", null, "show " + Math.min(PAGE, list.length - end) + " more of " + (list.length - end)));
    into.appendChild(wrap);
    b.addEventListener("click", () => {
      const next = document.createDocumentFragment();
      drawList(list, depth, next, end);
      wrap.replaceWith(next);
      drawTimeline();
    });
  }
  function drawNode(p, depth, into) {
    into.appendChild(row(p, depth));
    if (expanded.has(p.id)) drawList(kids(p), depth + 1, into);
  }
  function drawTree() {
    const scroll = tree.scrollTop;
    const frag = document.createDocumentFragment();
    drawList(filter ? roots.filter((p) => filter.ids.has(p.id)) : roots, 0, frag);
    tree.replaceChildren(frag);
    tree.scrollTop = scroll;
  }
  function toggle(id) {
    if (expanded.has(id)) expanded.delete(id);
    else expanded.add(id);
    drawTree();
    drawTimeline();
  }
  // Opens the first `limit` nodes in tree order (a whole large tree would be
  // too many rows to be of use).
  function expandAll(limit) {
    const stack = roots.slice().reverse();
    while (stack.length && expanded.size < limit) {
      const p = stack.pop();
      const list = kids(p);
      if (!list.length) continue;
      expanded.add(p.id);
      for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]);
    }
  }

  // ---- search ------------------------------------------------------------
  function matchesText(p, q) {
    if (label(p).toLowerCase().includes(q)) return true;
    if (p.program && p.program.toLowerCase().includes(q)) return true;
    for (const c of p.commands) if (c.argv.some((a) => a.toLowerCase().includes(q))) return true;
    for (const f of p.files) if (f.path.toLowerCase().includes(q)) return true;
    for (const f of p.failures) if (f.paths.some((a) => a.toLowerCase().includes(q))) return true;
    return false;
  }
  function search(text) {
    const q = text.trim().toLowerCase();
    const status = document.getElementById("search-text");
    if (!q) {
      filter = null;
      status.textContent = "";
      drawTree();
      drawTimeline();
      return;
    }
    const matches = new Set();
    let total = 0;
    for (const p of data.processes) {
      if (!matchesText(p, q)) continue;
      if (++total <= SEARCH_LIMIT) matches.add(p.id);
    }
    const ids = new Set();
    for (const id of matches) {
      for (let p = byId.get(id); p && !ids.has(p.id); p = byId.get(p.parent)) {
        ids.add(p.id);
        if (p.id !== id) expanded.add(p.id);
      }
    }
    filter = { ids, matches };
    status.textContent = total > SEARCH_LIMIT ? total + " matches, first " + SEARCH_LIMIT + " shown" : plural(total, "match");
    drawTree();
    drawTimeline();
  }

  // ---- details -----------------------------------------------------------
  const details = document.getElementById("details");
  function procLink(id) {
    const p = byId.get(id);
    if (!p) return el("span", null, "none");
    const a = el("a", "proc", "pid " + p.pid + " \u2014 " + label(p));
    a.addEventListener("click", () => select(id));
    return a;
  }
  function table(headers, rows, cls) {
    const t = el("table", cls);
    const head = t.appendChild(el("tr"));
    for (const h of headers) head.appendChild(el("th", null, h));
    for (const cells of rows) {
      const tr = t.appendChild(el("tr"));
      for (const c of cells) {
        if (c instanceof Node) tr.appendChild(el("td", c.className || null)).appendChild(c);
        else tr.appendChild(el("td", typeof c === "number" ? "num" : null, c === undefined ? "" : String(c)));
      }
    }
    return t;
  }
  // Long lists are drawn PAGE rows at a time.
  function pagedTable(headers, items, toCells, cls, into) {
    if (!items.length) return into.appendChild(el("p", "omitted", "none recorded"));
    let shown = 0;
    const t = into.appendChild(table(headers, [], cls));
    const more = () => {
      const end = Math.min(items.length, shown + PAGE);
      for (; shown < end; shown++) {
        const tr = t.appendChild(el("tr"));
        for (const c of toCells(items[shown])) {
          if (c instanceof Node) tr.appendChild(el("td", c.className || null)).appendChild(c);
          else tr.appendChild(el("td", typeof c === "number" ? "num" : null, c === undefined ? "" : String(c)));
        }
      }
      if (shown < items.length) {
        const b = into.appendChild(el("button", null, "show more (" + (items.length - shown) + ")"));
        b.addEventListener("click", () => {
          b.remove();
          more();
        });
      }
    };
    more();
  }
  const omitted = (n, what) => el("p", "omitted", n + " " + what);
  const cell = (text, cls) => el("span", cls, text);
  const errorText = (x) => (x.error || "error " + x.errno) + (x.error_text ? " (" + x.error_text + ")" : "");
  const events = (list) => list.map((e) => e.event + " \u00d7" + e.count).join(", ");
  const kinds = ["read", "write", "create", "delete", "rename", "exec", "other", "failed"];

  function showDetails(p) {
    details.replaceChildren();
    details.appendChild(el("h2", "title", label(p)));
    const facts = [["process", "pid " + p.pid + " (node " + p.id + ")"],
      ["parent", procLink(p.parent)],
      ["began", time(p.start_ms) + " (" + p.origin + ")"],
      ["ended", p.ending === "running" ? "not seen" : time(p.end_ms) + " (" + p.ending + ")"]];
    if (p.exit_status !== undefined) facts.push(["exit status", String(p.exit_status)]);
    if (p.program) facts.push(["program", visible(p.program)]);
    if (p.uid !== undefined) {
      facts.push(["user", visible(userText(p)) + " (uid " + p.uid + ")"]);
      facts.push(["audit user", (p.audit_user !== undefined ? visible(p.audit_user) + " " : "") + "(auid " + p.auid + ")"]);
      facts.push(["real user", (p.real_user !== undefined ? visible(p.real_user) + " " : "") + "(ruid " + p.ruid + ")"]);
      if (p.later_uids) facts.push(["later uids", p.later_uids.join(", ")]);
    }
    if (p.serial !== undefined) facts.push(["serial", String(p.serial)]);
    facts.push(["records", p.records + (p.records ? ", " + time(p.first_ms) + " \u2013 " + time(p.last_ms) : "")]);
    details.appendChild(table(["", ""], facts, "facts"));

    details.appendChild(el("h2", null, "Commands"));
    if (!p.commands.length) details.appendChild(el("p", "omitted", "none recorded"));
    else
      details.appendChild(table(["time", "event", "command line", "executable", "result"],
        p.commands.map((c) => [when(c.ms), c.event, cell(commandLine(c.argv) + (c.argv_omitted ? " \u2026 (" + c.argv_omitted + " more)" : ""), "argv"),
          cell(c.path ? visible(c.path) : "", "path"), c.errno !== undefined ? cell(errorText(c), "error") : "ok"]), "commands"));
    if (p.commands_omitted) details.appendChild(omitted(p.commands_omitted, "more commands not kept"));

    details.appendChild(el("h2", null, "Files (" + p.files.length + ")"));
    pagedTable(["path"].concat(kinds, ["first", "last"]), p.files, (f) => {
      const path = cell(visible(f.path) + (f.renamed_to ? " \u2192 " + visible(f.renamed_to) : ""), "path");
      return [path].concat(kinds.map((k) => (f[k] ? cell(String(f[k]), "c-" + k) : "")), [when(f.first_ms), when(f.last_ms)]);
    }, "files", details);
    if (p.file_events_omitted) details.appendChild(omitted(p.file_events_omitted, "file events on paths not listed (limit " + data.limits.max_files + " paths)"));

    details.appendChild(el("h2", null, "Network peers (" + p.peers.length + ")"));
    pagedTable(["family", "address", "port", "count", "failed", "events", "first", "last"], p.peers,
      (x) => [x.family, cell(visible(x.address), "path"), x.port, x.count, x.failed || "", events(x.events), when(x.first_ms), when(x.last_ms)],
      "peers", details);
    if (p.peer_events_omitted) details.appendChild(omitted(p.peer_events_omitted, "socket events with peers not listed"));

    details.appendChild(el("h2", null, "Failed calls (" + p.failures.reduce((n, f) => n + f.count, 0) + ")"));
    pagedTable(["error", "count", "events", "paths", "first", "last"], p.failures,
      (f) => [cell(errorText(f), "error"), f.count, events(f.events),
        cell(f.paths.map(visible).join("\n") + (f.more_paths ? "\n(" + f.more_paths + " more)" : ""), "path"), when(f.first_ms), when(f.last_ms)],
      "failures", details);
  }

  function select(id) {
    selected = id;
    const p = byId.get(id);
    if (!p) return;
    for (let q = byId.get(p.parent); q; q = byId.get(q.parent)) expanded.add(q.id);
    if (filter && !filter.ids.has(id)) {
      filter = null;
      document.getElementById("search").value = "";
      document.getElementById("search-text").textContent = "";
    }
    showDetails(p);
    drawTree();
    drawTimeline();
    const r = tree.querySelector('.row[data-id="' + id + '"]');
    if (r && r.scrollIntoView) r.scrollIntoView({ block: "nearest" });
    if (history.replaceState) history.replaceState(null, "", "#select=" + id);
  }

  // ---- timeline ----------------------------------------------------------
  const svg = document.getElementById("timeline");
  const NS = "http://www.w3.org/2000/svg";
  const full = { from: data.first_ms || 0, to: (data.last_ms || 0) + 1 };
  let view = { from: full.from, to: full.to };
  const svgEl = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // The processes drawn as bars: the selected one and its children, or the
  // rows on screen, up to LANES.
  function lanes() {
    const list = [];
    if (selected !== null && byId.has(selected)) {
      const p = byId.get(selected);
      list.push(p);
      for (const c of kids(p)) if (list.length < LANES) list.push(c);
      return list;
    }
    for (const r of tree.querySelectorAll(".row")) {
      if (list.length >= LANES) break;
      list.push(byId.get(Number(r.dataset.id)));
    }
    return list;
  }
  function drawTimeline() {
    const w = svg.clientWidth || 800, h = svg.clientHeight || 150;
    const histH = 60, laneTop = histH + 14, span = view.to - view.from || 1;
    const x = (ms) => ((ms - view.from) / span) * w;
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    const nodes = [];
    const hg = data.histogram;
    if (hg && hg.counts.length) {
      let max = 1;
      const first = Math.max(0, Math.floor((view.from - hg.origin_ms) / hg.width_ms));
      const last = Math.min(hg.counts.length - 1, Math.floor((view.to - hg.origin_ms) / hg.width_ms));
      for (let i = first; i <= last; i++) max = Math.max(max, hg.counts[i]);
      for (let i = first; i <= last; i++) {
        if (!hg.counts[i]) continue;
        const x0 = x(hg.origin_ms + i * hg.width_ms), x1 = x(hg.origin_ms + (i + 1) * hg.width_ms);
        const bh = Math.max(1, (hg.counts[i] / max) * (histH - 4));
        nodes.push(svgEl("rect", { class: "hist", x: x0, y: histH - bh, width: Math.max(1, x1 - x0 - 0.5), height: bh },
          undefined));
      }
    }
    nodes.push(svgEl("line", { class: "axis", x1: 0, x2: w, y1: histH + 0.5, y2: histH + 0.5 }));
    nodes.push(svgEl("text", { x: 2, y: histH + 11 }, time(view.from)));
    nodes.push(svgEl("text", { x: w - 2, y: histH + 11, "text-anchor": "end" }, time(view.to)));
    const shown = lanes();
    const laneH = Math.max(3, Math.min(10, (h - laneTop) / Math.max(1, shown.length)));
    shown.forEach((p, i) => {
      const end = p.end_ms !== undefined ? p.end_ms : Math.max(p.last_ms || p.start_ms, p.start_ms);
      const x0 = Math.max(0, x(p.start_ms)), x1 = Math.min(w, x(end));
      if (x1 < 0 || x0 > w) return;
      const cls = "lane" + (p.ending !== "running" ? " ended" : "") + (p.id === selected ? " selected" : "");
      const r = svgEl("rect", { class: cls, x: x0, y: laneTop + i * laneH, width: Math.max(2, x1 - x0), height: laneH - 1 });
      r.appendChild(svgEl("title", {}, label(p) + " (pid " + p.pid + ")"));
      r.dataset.id = p.id;
      nodes.push(r);
    });
    svg.replaceChildren(...nodes);
    document.getElementById("window-text").textContent = time(view.from) + " \u2013 " + time(view.to) + " UTC";
  }
  function zoom(factor, at) {
    const span = view.to - view.from;
    const center = at === undefined ? view.from + span / 2 : at;
    const next = Math.max(1, span * factor);
    view.from = center - (center - view.from) * (next / span);
    view.to = view.from + next;
    drawTimeline();
  }
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const rect = svg.getBoundingClientRect();
    zoom(ev.deltaY < 0 ? 0.5 : 2, view.from + ((ev.clientX - rect.left) / rect.width) * (view.to - view.from));
  }, { passive: false });
  let drag = null;
  svg.addEventListener("mousedown", (ev) => (drag = { x: ev.clientX, from: view.from, to: view.to, moved: false }));
  window.addEventListener("mousemove", (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x;
    if (Math.abs(dx) > 2) drag.moved = true;
    const shift = (dx / (svg.clientWidth || 800)) * (drag.to - drag.from);
    view.from = drag.from - shift;
    view.to = drag.to - shift;
    drawTimeline();
  });
  window.addEventListener("mouseup", (ev) => {
    if (drag && !drag.moved && ev.target && ev.target.dataset && ev.target.dataset.id) select(Number(ev.target.dataset.id));
    drag = null;
  });
  document.getElementById("zoom-in").addEventListener("click", () => zoom(0.5));
  document.getElementById("zoom-out").addEventListener("click", () => zoom(2));
  document.getElementById("zoom-reset").addEventListener("click", () => {
    view = { from: full.from, to: full.to };
    drawTimeline();
  });

  // ---- start -------------------------------------------------------------
  document.getElementById("expand-all").addEventListener("click", () => {
    expandAll(5000);
    drawTree();
    drawTimeline();
  });
  document.getElementById("collapse-all").addEventListener("click", () => {
    expanded.clear();
    drawTree();
    drawTimeline();
  });
  let pending = null;
  document.getElementById("search").addEventListener("input", (ev) => {
    clearTimeout(pending);
    pending = setTimeout(() => search(ev.target.value), 200);
  });
  window.addEventListener("resize", drawTimeline);

  summary();
  if (data.processes.length <= 2000) expandAll(2000);
  drawTree();
  drawTimeline();
  // #select=ID and #search=TEXT: a page state that can be linked to.
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("search")) {
    document.getElementById("search").value = hash.get("search");
    search(hash.get("search"));
  }
  if (hash.get("select")) select(Number(hash.get("select")));
  document.body.dataset.ready = "1";
})();

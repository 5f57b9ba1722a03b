// Search and filters for the catalogue index. Works from file:// (no fetch, no server):
// the index is split into small scripts under search/ that are loaded with <script> tags
// when a query needs them (search/t/<prefix>.js: token → record numbers; search/r/<n>.js:
// table rows). Several terms are ANDed; a Chinese term is segmented against the index
// (longest token first); 公路法第四十二条 is looked up as the citation 公路法§42.
// Results are ranked (a code or name the query matches closely first) and the query and
// filters stay in the address (?q=…&a=…&c=…), so Back from a power page returns to them.
(function () {
  "use strict";
  var M = window.PC_MANIFEST;
  var q = document.getElementById("q");
  var agencySel = document.getElementById("agency");
  var categorySel = document.getElementById("category");
  var count = document.getElementById("count");
  var empty = document.getElementById("empty");
  var more = document.getElementById("more");
  var tbody = document.querySelector("#catalogue tbody");
  // a cell's label on narrow screens: its column's header, as the page wrote it (fields.py)
  var heads = Array.prototype.map.call(document.querySelectorAll("#catalogue thead th"), function (th) { return th.textContent; });
  var table = document.getElementById("catalogue");
  var PAGE = 50;
  var RANK_MAX = 3000;  // ranked when the hits' rows are few enough to load
  var split = {};
  M.split.forEach(function (p) { split[p] = true; });
  var waiting = {}, cache = {}, shards = {}, chunks = {};

  window.PC = {
    shard: function (name, data) { shards[name] = data; if (waiting["t" + name]) { waiting["t" + name](data); } },
    rows: function (k, data) { chunks[k] = data; if (waiting["r" + k]) { waiting["r" + k](data); } }
  };

  function load(kind, name) {
    var key = kind + name;
    if (!cache[key]) {
      cache[key] = new Promise(function (resolve) {
        waiting[key] = resolve;
        var s = document.createElement("script");
        s.src = "search/" + kind + "/" + name + ".js";
        s.onerror = function () { resolve(kind === "t" ? {} : []); };
        document.head.appendChild(s);
      });
    }
    return cache[key];
  }

  function shardName(prefix) {
    var out = [];
    for (var i = 0; i < prefix.length; i++) { out.push(prefix.charCodeAt(i).toString(16)); }
    return out.join("_");
  }
  // the prefixes whose shards may hold `token` or one of its prefixes
  function chain(token) {
    var p = token.charAt(0), out = [p];
    while (split[p] && token.length > p.length) { p = token.slice(0, p.length + 1); out.push(p); }
    return out;
  }
  function shardOf(token) { var c = chain(token); return c[c.length - 1]; }
  function preload(text) { return Promise.all(chain(text).map(function (p) { return load("t", shardName(p)); })); }
  function postings(token) {
    var data = shards[shardName(shardOf(token))];
    return data && Object.prototype.hasOwnProperty.call(data, token) ? decode(data[token]) : null;
  }
  function prefixed(prefix) {
    var data = shards[shardName(shardOf(prefix))] || {}, lists = [];
    Object.keys(data).forEach(function (t) { if (t.indexOf(prefix) === 0) { lists.push(decode(data[t])); } });
    return lists.length ? union(lists) : null;
  }

  function decode(text) {
    var out = [], prev = -1, parts = text.split(",");
    for (var i = 0; i < parts.length; i++) {
      var dot = parts[i].indexOf(".");
      var start = prev + 1 + parseInt(dot < 0 ? parts[i] : parts[i].slice(0, dot), 36);
      var n = dot < 0 ? 1 : parseInt(parts[i].slice(dot + 1), 36) + 1;
      for (var j = 0; j < n; j++) { out.push(start + j); }
      prev = start + n - 1;
    }
    return out;
  }
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) { i++; } else { j++; }
    }
    return out;
  }
  function union(lists) {
    var seen = {}, out = [];
    lists.forEach(function (l) { l.forEach(function (x) { if (!seen[x]) { seen[x] = true; out.push(x); } }); });
    return out.sort(function (a, b) { return a - b; });
  }

  var DIGITS = { "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
  var UNITS = { "十": 10, "百": 100, "千": 1000 };
  function numeral(text) {
    if (/^[0-9]+$/.test(text)) { return parseInt(text, 10); }
    var total = 0, digit = null, hasUnit = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (ch in DIGITS) { digit = DIGITS[ch]; } else if (ch in UNITS) {
        hasUnit = true; total += (digit === null ? 1 : digit) * UNITS[ch]; digit = null;
      } else { return null; }
    }
    if (!hasUnit) { return parseInt(text.split("").map(function (c) { return DIGITS[c]; }).join(""), 10); }
    return total + (digit || 0);
  }

  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var STOP = "的对和与及或之在等于向由被将把为";
  var CITATION = /([\u3400-\u4dbf\u4e00-\u9fff]{2,40}?)第([0-9零〇一二两三四五六七八九十百千]+)条/g;

  function normalise(text) {
    return text.normalize("NFKC").toLowerCase()
      .replace(/中华人民共和国/g, "").replace(/[《》〈〉<>"'“”‘’]/g, "").replace(/[（(][^（）()]*[)）]/g, " ");
  }

  // a citation: the longest tail of the text before 第X条 that the index knows with that article
  async function citation(before, number) {
    var n = numeral(number);
    for (var i = 0; i < before.length - 1; i++) {
      var token = before.slice(i) + "§" + n;
      await preload(token);
      var ids = postings(token);
      if (ids) { return ids; }
    }
    return [];
  }

  // a run of Chinese: longest known token at each position; a lone last character as a prefix
  async function chinese(run) {
    var lists = [], i = 0;
    while (i < run.length) {
      var rest = run.slice(i, i + 16);
      await preload(rest);
      var found = null, len = 0;
      for (var L = rest.length; L >= 2; L--) {
        var ids = postings(rest.slice(0, L));
        if (ids) { found = ids; len = L; break; }
      }
      if (found) { lists.push(found); i += len; continue; }
      var ch = run.charAt(i);
      if (i === run.length - 1 || run.length === 1) {
        var pre = prefixed(ch);
        if (!pre) { return []; }
        lists.push(pre);
      } else if (STOP.indexOf(ch) < 0) {
        return [];
      }
      i += 1;
    }
    return lists.length ? lists.reduce(intersect) : null;
  }

  async function other(run) {
    await preload(run);
    return postings(run) || prefixed(run) || [];
  }

  async function matches(query) {
    var text = normalise(query), lists = [];
    var cites = [];
    text = text.replace(CITATION, function (_m, before, number) { cites.push([before, number]); return " "; });
    for (var c = 0; c < cites.length; c++) { lists.push(await citation(cites[c][0], cites[c][1])); }
    var terms = text.split(/[\s,，、;；。:：!！?？]+/);
    for (var t = 0; t < terms.length; t++) {
      var term = terms[t];
      if (!term) { continue; }
      if (term.length > 1) {  // a whole name the index knows (示范省第07厅, a code)
        await preload(term);
        var whole = postings(term);
        if (whole) { lists.push(whole); continue; }
      }
      var runs = term.match(/[a-z0-9§\-]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g) || [];
      if (runs.length > 1) {  // 第07厅: a lone character beside digits is an affix, not a word
        runs = runs.filter(function (run) { return run.length > 1 || !CJK.test(run); });
      }
      for (var r = 0; r < runs.length; r++) {
        var run = runs[r].replace(/^-+|-+$/g, "");
        if (!run) { continue; }
        var ids = CJK.test(run) ? await chinese(run) : await other(run);
        if (ids) { lists.push(ids); }
      }
    }
    if (!lists.length) { return null; }
    return lists.reduce(intersect);
  }

  // filters: records of an agency are adjacent, and within it those of a category
  function filtered(ids) {
    var a = agencySel.value === "" ? null : parseInt(agencySel.value, 10);
    var c = categorySel.value === "" ? null : parseInt(categorySel.value, 10);
    var ranges = [];
    M.ranges.forEach(function (range, n) {
      if (a !== null && n !== a) { return; }
      if (c === null) { ranges.push([range[0], range[0] + range[1]]); return; }
      var start = range[0], runs = range[2];
      for (var i = 0; i < runs.length; i += 2) {
        if (runs[i] === c) { ranges.push([start, start + runs[i + 1]]); }
        start += runs[i + 1];
      }
    });
    if (ids === null) {
      if (a === null && c === null) { return null; } // everything
      var out = [];
      ranges.forEach(function (r) { for (var x = r[0]; x < r[1]; x++) { out.push(x); } });
      return out;
    }
    if (a === null && c === null) { return ids; }
    return ids.filter(function (x) {
      for (var i = 0; i < ranges.length; i++) { if (x >= ranges[i][0] && x < ranges[i][1]) { return true; } }
      return false;
    });
  }

  function agencyOf(x) {
    var lo = 0, hi = M.ranges.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (M.ranges[mid][0] <= x) { lo = mid; } else { hi = mid - 1; } }
    return lo;
  }
  function categoryOf(x, a) {
    var range = M.ranges[a], start = range[0], runs = range[2];
    for (var i = 0; i < runs.length; i += 2) { start += runs[i + 1]; if (x < start) { return runs[i]; } }
    return runs[runs.length - 2];
  }

  function cell(text, col, label) {
    var td = document.createElement("td");
    td.setAttribute("data-col", col);
    if (label) { td.setAttribute("data-label", label); }
    if (typeof text === "string") { td.textContent = text; } else { td.appendChild(text); }
    return td;
  }
  function link(href, text) { var a = document.createElement("a"); a.href = href; a.textContent = text; return a; }

  var current = null, shown = 0, generation = 0;

  async function render(ids, from, gen) {
    var total = ids === null ? M.n : ids.length;
    var slice = [];
    for (var i = from; i < Math.min(total, from + PAGE); i++) { slice.push(ids === null ? i : ids[i]); }
    var need = {};
    slice.forEach(function (x) { need[Math.floor(x / M.chunk)] = true; });
    await Promise.all(Object.keys(need).map(function (k) { return load("r", k); }));
    if (gen !== generation) { return; }
    if (from === 0) { tbody.textContent = ""; }
    var frag = document.createDocumentFragment();
    slice.forEach(function (x) {
      var row = chunks[Math.floor(x / M.chunk)][x % M.chunk];
      var a = agencyOf(x), agency = M.agencies[a];
      var tr = document.createElement("tr");
      tr.appendChild(cell(row[2], 0, heads[0]));
      tr.appendChild(cell(link("powers/" + encodeURIComponent(row[0]) + ".html", row[1]), 1));
      tr.appendChild(cell(M.categories[categoryOf(x, a)], 2, heads[2]));
      tr.appendChild(cell(link("agencies/" + encodeURIComponent(agency[1]) + ".html", agency[0]), 3, heads[3]));
      tr.appendChild(cell(row[3], 4, heads[4]));
      tr.appendChild(cell(row[4], 5, heads[5]));
      frag.appendChild(tr);
    });
    tbody.appendChild(frag);
    shown = from + slice.length;
    count.textContent = (ids === null && !q.value.trim() ? "共 " : "找到 ") + total + " 项" +
      (shown < total ? "，显示前 " + shown + " 项" : "");
    empty.hidden = total !== 0;
    more.hidden = shown >= total;
    hideEmptyColumns();
  }

  // only columns that have a value in a shown row
  function hideEmptyColumns() {
    for (var col = 0; col < 6; col++) {
      var cells = table.querySelectorAll('[data-col="' + col + '"]');
      var any = false;
      for (var i = 0; i < cells.length; i++) {
        if (cells[i].tagName === "TD" && cells[i].textContent.trim()) { any = true; break; }
      }
      for (var j = 0; j < cells.length; j++) { cells[j].hidden = !any; }
    }
  }

  // relevance: the code equal to or ending with a term, the name equal to, starting with or
  // holding the query, then each term in the name; ties keep the catalogue's order
  function score(row, query, terms) {
    var title = normalise(row[1]).replace(/\s+/g, ""), code = normalise(row[2]);
    var whole = normalise(query).replace(/\s+/g, ""), s = 0;
    terms.forEach(function (t) {
      if (code && code === t) { s += 1000; } else if (code && t.length >= 3 && code.slice(-t.length) === t) { s += 300; }
      if (title.indexOf(t) >= 0) { s += 40; }
    });
    if (title === whole) { s += 500; } else if (title.indexOf(whole) === 0) { s += 200; } else if (title.indexOf(whole) >= 0) { s += 100; }
    return s - title.length / 100;
  }
  async function ranked(ids, query) {
    if (ids === null || ids.length < 2 || ids.length > RANK_MAX) { return ids; }
    var need = {};
    ids.forEach(function (x) { need[Math.floor(x / M.chunk)] = true; });
    await Promise.all(Object.keys(need).map(function (k) { return load("r", k); }));
    var terms = normalise(query).split(/[\s,，、;；。:：!！?？]+/).filter(Boolean);
    var scored = ids.map(function (x, i) { return [score(chunks[Math.floor(x / M.chunk)][x % M.chunk], query, terms), i, x]; });
    scored.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return scored.map(function (e) { return e[2]; });
  }

  // the query and filters in the address: Back from a power page finds them again
  function remember(query) {
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    if (agencySel.value !== "") { params.set("a", agencySel.value); }
    if (categorySel.value !== "") { params.set("c", categorySel.value); }
    var search = params.toString();
    try {
      history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    } catch (e) { /* some browsers refuse it from file://: search still works */ }
  }

  var timer = null;
  async function apply() {
    var gen = ++generation;
    var query = q.value.trim();
    var ids = query ? await matches(query) : null;
    if (gen !== generation) { return; }
    current = query ? await ranked(filtered(ids), query) : filtered(ids);
    if (gen !== generation) { return; }
    remember(query);
    await render(current, 0, gen);
    if (gen !== generation) { return; }
    document.body.setAttribute("data-query", query + "|" + agencySel.value + "|" + categorySel.value);
    document.body.setAttribute("data-ready", String(gen));
  }
  function later() { clearTimeout(timer); timer = setTimeout(apply, 40); }

  q.addEventListener("input", later);
  agencySel.addEventListener("change", apply);
  categorySel.addEventListener("change", apply);
  more.addEventListener("click", function () { render(current, shown, generation); });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { q.value = params.get("q"); }
  if (params.get("a") !== null && agencySel.options[Number(params.get("a")) + 1]) { agencySel.value = params.get("a"); }
  if (params.get("c") !== null && categorySel.options[Number(params.get("c")) + 1]) { categorySel.value = params.get("c"); }
  window.addEventListener("pageshow", function (e) { if (e.persisted) { apply(); } });
  apply();
})();

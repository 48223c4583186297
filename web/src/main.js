// The jixiao workbench: edit a ruleset with live diagnostics, score, explain, compare years, run tests.
// Everything semantic comes from the server's JSON API (/v1/...); the page keeps its state in memory.
import { EditorState, Text, ChangeSet } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentMore, indentLess, isolateHistory } from "@codemirror/commands";
import { bracketMatching, syntaxHighlighting, defaultHighlightStyle, indentOnInput } from "@codemirror/language";
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { linter, lintGutter, forceLinting, forEachDiagnostic } from "@codemirror/lint";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { MergeView } from "@codemirror/merge";
import { jxLanguage } from "./jx.js";
import { PHRASES } from "./phrases.js";

const $ = (selector) => document.querySelector(selector);
const state = {
  file: null, hash: null, saved: Text.empty, vocabulary: null, check: null, score: null, explanation: null, files: [], merge: null,
};

// -- talking to the server ------------------------------------------------------------------------------
async function api(path, body, method = "POST") {
  // The page is Chinese: its messages too, whatever the browser's languages (the server follows
  // Accept-Language when a request body gives no lang).
  const init = { method, headers: { "Accept-Language": "zh-CN" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    const response = await fetch(path, init);
    return { ok: response.ok, status: response.status, data: await response.json() };
  } catch (error) {  // the server was stopped, or its answer never came whole: said plainly by `failure`
    return { ok: false, status: 0, data: { offline: true, diagnostics: [] } };
  }
}

function failure(data, what) {
  return data.offline ? `无法连接 jixiao 服务器：${what}（服务器已停止？重新运行 jixiao serve 后再试）` : `${what}：${problems(data)}`;
}

// A request overlaps the next of its kind when a user clicks again, or opens another file, before its answer
// comes, and two server workers may answer in either order: only the latest of each kind may draw (or open,
// or fill in). `turn(kind)` starts a request and gives the test that it is still the latest.
const latest = {};
function turn(kind) {
  const mine = (latest[kind] = (latest[kind] || 0) + 1);
  return () => latest[kind] === mine;
}

function problems(data) {
  return (data.diagnostics || []).map((d) => `${d.code}：${d.message}${d.help ? `（${d.help}）` : ""}`).join("\n");
}

function say(text, kind = "info") {
  const box = $("#status");
  box.textContent = text;
  box.className = `status ${kind}`;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of flat(children)) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}

// Chromium 64 has neither Array.prototype.flat/flatMap (69) nor Element.replaceChildren (86): these stand in.
function flat(lists) {
  return [].concat(...lists);
}

function fill(target, ...children) {
  target.textContent = "";
  target.append(...children);
  return target;
}

// -- positions: the engine counts code points, CodeMirror counts UTF-16 units ----------------------------
function offset(doc, line, column) {
  const info = doc.line(Math.min(Math.max(line, 1), doc.lines));
  const units = [...info.text].slice(0, Math.max(column - 1, 0)).join("").length;
  return info.from + Math.min(units, info.length);
}

// -- the editor -------------------------------------------------------------------------------------------
function rulesetInput() {
  return { name: state.file, text: view.state.doc.toString() };
}

// Checks overlap: the empty editor's first check may still be on its way when a file is opened. Only the
// latest check may draw the list (`turn`), and the editor takes marks only for the text they were made for
// (the linter compares documents itself).
// A check's fixes are edits of the text it checked (`since.doc`); the changes made after it (`since.changes`,
// kept by `track`) map them onto the text of the moment.
async function checkNow(view) {
  const current = turn("check");
  const doc = view.state.doc;
  const since = (state.pending = { doc, changes: ChangeSet.empty(doc.length) });
  const { data } = await api("/v1/check", { ruleset: rulesetInput() });
  if (!current()) return [];
  if (data.offline) {  // not checked: the list and the marks are those of an earlier text, and say so
    const list = $("#diagnostics");
    for (const old of list.querySelectorAll(".clean, .offline")) old.remove();
    list.classList.add("stale");
    list.prepend(element("li", { class: "offline" }, "⚠ 无法连接 jixiao 服务器，没有检查：下面的结果不是最新的"));
    say(failure(data, "没有检查"), "error");
    const kept = [];
    forEachDiagnostic(view.state, (d, from, to) => kept.push({ ...d, from, to }));
    return kept;
  }
  state.check = data;
  state.listed = since;
  showDiagnostics(data.diagnostics || [], since);
  return (data.diagnostics || [])
    .filter((d) => d.span && (d.span.path === state.file || d.span.path === "<text>.jx"))
    .map((d) => {
      const from = offset(doc, d.span.line, d.span.column);
      const sameLine = d.span.end_line === d.span.line && d.span.end_column;
      const to = sameLine ? Math.max(offset(doc, d.span.line, d.span.end_column), from + 1) : from + 1;
      const edit = d.fix && fixEdit(doc, d.fix);
      return {
        from, to: Math.min(to, doc.length), severity: d.severity === "warning" ? "warning" : "error",
        source: d.code, message: `${d.message}${d.help ? `\n改法：${d.help}` : ""}`,
        // the linter maps the mark through later typing: the fix keeps its place beside the mark's start
        actions: edit ? [{ name: fixLabel(d.fix), apply: (_, at) => applyEdit(edit, at + edit.from - from, at + edit.to - from) }] : [],
      };
    });
}

// -- quick fixes: the server's edit for a did-you-mean (`fix`: the span to replace, the text) -------------
function fixLabel(fix) {
  return `改为「${fix.text}」`;
}

function fixEdit(doc, fix) {
  const from = offset(doc, fix.span.line, fix.span.column);
  const to = offset(doc, fix.span.end_line || fix.span.line, fix.span.end_column);
  return { from, to, old: doc.sliceString(from, to), text: fix.text };
}

// `from`–`to`: where the fixed words are now. Typed over since the check (or fixed already): not applied.
function applyEdit(edit, from, to) {
  if (from > to || view.state.doc.sliceString(from, to) !== edit.old) {
    say("检查之后这里的文字改过了，没有套用这个修改；正在重新检查", "error");
    forceLinting(view);
    return;
  }
  view.dispatch({ changes: { from, to, insert: edit.text }, selection: { anchor: from + edit.text.length } });
  view.focus();
}

function track(changes) {
  for (const since of new Set([state.listed, state.pending])) if (since) since.changes = since.changes.compose(changes);
}

function showDiagnostics(diagnostics, since) {
  const list = $("#diagnostics");
  fill(list).classList.remove("stale");
  if (!diagnostics.length) {
    list.append(element("li", { class: "clean" }, "✓ 没有发现问题"));
    return;
  }
  for (const d of diagnostics) {
    const item = diagnosticItem(d);
    if (d.span && d.span.path === state.file && d.span.line != null) {  // the item goes to its line: by a click, or Tab and Enter
      item.tabIndex = 0;
      item.title = "跳到这一行（Enter）";
      item.addEventListener("click", () => goToLine(d.span.line));
      item.addEventListener("keydown", (e) => {
        if (e.target !== item || (e.key !== "Enter" && e.key !== " ")) return;  // its link and button are their own
        e.preventDefault();
        goToLine(d.span.line);
      });
    }
    if (d.fix && d.span && d.span.path === state.file) item.append(fixButton(d.fix, since));
    list.append(item);
  }
}

function fixButton(fix, since) {
  const button = element("button", { class: "fix", type: "button" }, fixLabel(fix));
  const edit = fixEdit(since.doc, fix);
  button.addEventListener("click", (event) => {
    event.stopPropagation();
    if (button.disabled) return;
    button.disabled = true;  // once: a double click must not apply it twice
    // another file opened since (the list is of the one before): nothing to map through
    if (since !== state.listed) return applyEdit(edit, 0, -1);
    applyEdit(edit, since.changes.mapPos(edit.from, 1), since.changes.mapPos(edit.to, -1));
  });
  return button;
}

function goToLine(line) {
  const info = view.state.doc.line(Math.min(line, view.state.doc.lines));
  view.dispatch({ selection: { anchor: info.from }, scrollIntoView: true });
  view.focus();
}

function completions(context) {
  if (context.view && context.view.composing) return null; // never complete the Latin letters of pinyin
  const word = context.matchBefore(/[\p{L}_·][\p{L}\p{N}_·]*/u);
  if (!word && !context.explicit) return null;
  const v = state.vocabulary;
  const options = [];
  for (const keyword of v.keywords) {
    for (const w of keyword.words) options.push({ label: w, type: "keyword", detail: keyword.label });
  }
  for (const w of v.methods) options.push({ label: w, type: "function", detail: "方法" });
  for (const w of v.rounding) options.push({ label: w, type: "constant", detail: "舍入" });
  for (const w of v.functions) options.push({ label: w, type: "function", detail: "函数" });
  for (const w of v.variables) options.push({ label: w, type: "variable", detail: "变量" });
  const check = state.check || {};
  for (const w of check.scales || []) options.push({ label: w, type: "text", detail: "量表" });
  for (const w of check.indicators || []) options.push({ label: w, type: "property", detail: "指标" });
  return { from: word ? word.from : context.pos, options, validFor: /^[\p{L}\p{N}_·]*$/u };
}

async function formatNow() {
  const current = turn("format");
  const text = view.state.doc.toString();
  const { ok, data } = await api("/v1/fmt", { text });
  if (!current()) return false;
  // typed (or another file opened) while the server formatted: its text would undo that, so it is not used
  if (view.state.doc.toString() !== text) return say("格式化期间文字有改动，未格式化，请再试", "error");
  if (!ok) return say(failure(data, "未格式化"), "error");
  // one undo step of its own, even right after typing (history would otherwise join the two)
  const isolated = isolateHistory.of("full");
  if (data.changed) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: data.text }, annotations: isolated });
  say(data.changed ? "已格式化" : "格式已是规范的");
  return true;
}

async function saveNow() {
  if (!state.file) return say("请先选择文件", "error");
  const doc = view.state.doc, text = doc.toString();
  const { ok, data } = await api(filePath(state.file), { text, base_hash: state.hash }, "PUT");
  const moved = (data.diagnostics || []).find((d) => d.code === "E978");
  if (moved) {  // changed on disk since it was opened: the conflict bar offers the ways on
    say(`没有保存：E978：${moved.message}`, "error");
    return conflict();
  }
  if (!ok) return say(failure(data, "修改未保存，文字仍在编辑器中"), "error");
  closeConflict();
  state.hash = data.hash;
  saved(doc);  // what was sent: anything typed while it was saving is still unsaved
  say(`已保存 ${state.file}`, "ok");
  return true;
}

// -- a save refused because the file changed on disk (E978): nothing is replaced until the user chooses ------
async function conflict() {
  const name = state.file;
  const { ok, data } = await api(filePath(name), undefined, "GET");
  if (name !== state.file || data.offline) return;
  closeConflict();
  state.conflict = { text: ok ? data.text : "", hash: ok ? data.hash : null };  // a file deleted on disk: ""
  choices();
}

function choices() {
  conflictBar(`「${state.file}」在您打开之后被别人或别的程序改过，没有保存；您的文字仍在编辑器中。`,
    ["对照…", compareConflict], ["用我的覆盖…", overwrite], ["放弃我的修改…", discard]);
}

function conflictBar(text, ...buttons) {
  const bar = fill($("#conflict"), element("span", {}, text),
    ...buttons.map(([label, onclick]) => element("button", { type: "button", onclick }, label)));
  bar.hidden = false;
}

function closeMerge() {
  if (state.merging) state.merging.destroy();
  state.merging = null;
  const section = $("#merging");
  if (section) section.remove();
  $("#editor").hidden = false;
}

function closeConflict() {
  closeMerge();
  state.conflict = null;
  fill($("#conflict")).hidden = true;
}

// the file as it is now (left, read-only) beside the user's text (right, editable; ⇝ takes the left's chunk)
function compareConflict() {
  const { text, hash } = state.conflict;
  const parent = element("div", { id: "merge-conflict" });
  state.merging = new MergeView({
    a: sideOf(text), b: sideOf(view.state.doc.toString(), true), parent, revertControls: "a-to-b",
    collapseUnchanged: { margin: 2, minSize: 4 }, gutter: true,
  });
  $("#editor").hidden = true;
  $("#editor").before(element("div", { id: "merging", class: "side-by-side" },
    element("div", { class: "merge-heads" }, element("span", {}, "文件中现在的内容（含别人的修改）"),
      element("span", {}, "您的文字（可在此修改；点 ⇝ 取用左边的一段）")), parent));
  conflictBar("对照：改好右边的文字后点「采用右边的文字」，再保存。",
    ["采用右边的文字", () => {
      const merged = state.merging.b.state.doc.toString();
      closeConflict();
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: merged } });  // Ctrl+Z undoes it
      state.hash = hash;  // merged with the file as it is now: saving replaces that version
      say("已采用合并后的文字，检查后请保存（Ctrl+S）", "ok");
    }],
    ["取消对照", () => { closeMerge(); choices(); }]);
}

function overwrite() {
  if (!window.confirm(`用编辑器中的文字覆盖「${state.file}」？文件中别人的修改将丢失。`)) return;
  state.hash = state.conflict.hash;
  saveNow();
}

function discard() {
  if (!window.confirm("放弃您的修改，改为文件中现在的内容？（之后仍可按 Ctrl+Z 找回）")) return;
  const { text, hash } = state.conflict;
  closeConflict();
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  state.hash = hash;
  saved(view.state.doc);
  say("已改为文件中现在的内容", "ok");
}

// -- unsaved edits: a marker, a question before another file replaces them, the browser's own before leaving --
function dirty() {
  return !view.state.doc.eq(state.saved);
}

function saved(doc) {
  state.saved = doc;
  markDirty();
}

function markDirty() {
  const unsaved = dirty();
  $("#dirty").hidden = !unsaved;
  document.title = `${unsaved ? "● " : ""}${state.file ? `${state.file} - ` : ""}jixiao 绩效评分工作台`;
}

const view = new EditorView({
  parent: document.querySelector("#editor"),
  state: EditorState.create({ doc: "" }),
});

// Tab and the keyboard trap: Tab indents only once the user works in the text (clicked into it, typed);
// reached by Tab from the page, the editor lets Tab and Shift+Tab go on to the next control. Escape, then
// Tab, always leaves (the hint beside the editor says so), as CodeMirror's docs recommend for indentWithTab.
const tabKey = {
  key: "Tab",
  run: (v) => (state.tabIndents ? indentMore(v) : false),
  shift: (v) => (state.tabIndents ? indentLess(v) : false),
};
const escapeKey = { key: "Escape", run: () => { state.tabIndents = false; return false; } };

function createEditor(text) {
  state.listed = state.pending = null;  // a new text: the earlier checks' fixes are not for it
  view.setState(EditorState.create({
    doc: text,
    extensions: [
      lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(), indentOnInput(),
      bracketMatching(), closeBrackets(), highlightActiveLine(), highlightSelectionMatches(),
      syntaxHighlighting(defaultHighlightStyle), jxLanguage(state.vocabulary), lintGutter(),
      linter(checkNow, { delay: 300 }), autocompletion({ override: [completions] }),
      EditorState.phrases.of(PHRASES), EditorView.updateListener.of((u) => u.docChanged && (track(u.changes), markDirty())),
      keymap.of([
        { key: "Mod-s", run: () => (saveNow(), true) }, escapeKey,
        { key: "Shift-Alt-f", run: () => (formatNow(), true) },
        ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap,
        tabKey,
      ]),
      EditorView.domEventHandlers({
        mousedown: () => { state.tabIndents = true; },  // clicked into the text: Tab indents there
        keydown: (e) => { if (!["Tab", "Shift", "Escape"].includes(e.key)) state.tabIndents = true; },  // typing
        blur: () => { state.tabIndents = false; },  // left: reaching it again by Tab passes through
      }),
    ],
  }));
}

// -- files ------------------------------------------------------------------------------------------------
async function loadFiles() {
  const { data } = await api("/v1/files", undefined, "GET");
  state.files = data.files;
  $("#folder").textContent = data.folder;
  $("#save").disabled = !data.writable;
  state.writable = data.writable; // a read-only server rewrites no test file either (E983)
  const choices = (select, kind, empty) => {
    fill(select, ...(empty ? [element("option", { value: "" }, empty)] : []));
    for (const f of data.files.filter((f) => f.kind === kind)) select.append(element("option", { value: f.name }, f.name));
  };
  choices($("#file"), "ruleset", "— 选择规则文件 —");
  choices($("#actuals"), "actuals", "— 选择实际值文件 —");
  choices($("#old"), "ruleset");
  choices($("#new"), "ruleset");
  choices($("#diff-actuals"), "actuals", "（不评分）");
  choices($("#tests"), "test", "— 选择测试文件 —");
}

// A name as a URL path: each part encoded (# ? % and spaces too). A part "." or ".." would be taken away by
// the browser before the server sees it (../x.jx asked for /v1/x.jx: "no such endpoint"): `outside` says so.
function filePath(name) {
  return `/v1/files/${name.split("/").map(encodeURIComponent).join("/")}`;
}

function outside(name) {
  const parts = name.replace(/\\/g, "/").split("/");
  return name.startsWith("/") || /^[A-Za-z]:/.test(name) || parts.some((p) => p === "." || p === ".." || p === "");
}

const PICK_A_FILE = "请从上方「规则文件」的列表中选择一个文件";

async function openFile(name) {
  if (!name) return;
  const current = turn("open");
  if (outside(name)) return say(`没有打开「${name}」：它不在所服务的文件夹中，工作台只能打开这个文件夹里的文件。${PICK_A_FILE}`, "error");
  const { ok, data } = await api(filePath(name), undefined, "GET");
  if (!current()) return;  // another file was chosen meanwhile: opening this one now would save over it
  const missing = !ok && (data.diagnostics || []).some((d) => d.code === "E974" || d.code === "E992");
  if (missing) return say(`没有打开「${name}」：所服务的文件夹中没有这个文件（或它不能打开）。${PICK_A_FILE}`, "error");
  if (!ok) return say(failure(data, `没有打开「${name}」`), "error");
  closeConflict();
  state.file = name;
  state.hash = data.hash;
  createEditor(data.text);
  saved(view.state.doc);
  $("#file").value = name;
  besideTests(name);
  window.history.replaceState(null, "", `?file=${encodeURIComponent(name).replace(/%2F/g, "/")}`);  // a reload reopens it
  forceLinting(view);
  say(`已打开 ${name}`);
}

// The test page's choice follows the open ruleset: the only test file in its folder is chosen for it (a
// choice the user made in that folder stays).
function besideTests(name) {
  const folder = (path) => path.slice(0, path.lastIndexOf("/") + 1);
  const tests = state.files.filter((f) => f.kind === "test" && folder(f.name) === folder(name));
  const chosen = $("#tests").value;
  if (tests.length === 1 && !(chosen && folder(chosen) === folder(name))) $("#tests").value = tests[0].name;
}

// -- scoring ----------------------------------------------------------------------------------------------
// Actual values go to /v1/score:batch: a workbook may hold several projects (a sheet each), and every one is
// scored. The page draws each project's 自评表 as the server lays it out for the xlsx/HTML downloads.
function readFile(file) {  // a Blob has its own arrayBuffer method only from Chromium 76
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(file);
  });
}

async function actualsInput() {
  const upload = $("#upload").files[0];
  if (upload) {
    const bytes = new Uint8Array(await readFile(upload));
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { key: upload.name, actuals: { base64: btoa(binary), filename: upload.name } };
  }
  const name = $("#actuals").value;
  return name ? { key: name, actuals: { name } } : null;
}

async function scoreNow() {
  const current = turn("score");
  const chosen = await actualsInput();
  if (!current()) return false;
  if (!chosen) return say("请选择或上传实际值文件", "error");
  say("正在评分…");
  for (const id of ["#scored", "#projects", "#explanation"]) fill($(id));
  const ruleset = rulesetInput();
  const request = { ruleset, inputs: { [chosen.key]: chosen.actuals }, explain: true, layout: true };
  const { data } = await api("/v1/score:batch", request);
  if (!current()) return false;  // scored again meanwhile: that answer is the one to show
  if (!data.results) {  // the request itself failed: the ruleset has errors, a file is too large …
    state.score = null;
    fill($("#scored"), diagnosticList(data.diagnostics || []));
    return say(data.offline ? failure(data, "没有评分") : "无法评分", "error");
  }
  const items = Object.entries(data.results).map(([key, item]) => ({ key, ...item }));
  state.score = { report: { ruleset, actuals: chosen.actuals }, items, current: null };
  if (items.length > 1) showProjects(items);
  showItem(items.find((i) => i.result) || items[0]);
  const broken = items.filter((i) => !i.result).length;
  if (items.length > 1) say(`${items.length} 个项目：${items.length - broken} 个已评分${broken ? `，${broken} 个有错误` : ""}`, broken ? "error" : "ok");
  else if (broken) say("无法评分：实际值有错误", "error");
  else say(`总得分 ${items[0].result.total}，等级 ${items[0].result.grade ?? "—"}`, "ok");
  return true;
}

function showProjects(items) {
  const header = ["序号", "项目名称", "来源", "总得分", "等级", "复核提示", "错误"];
  const rows = items.map((item, index) => {
    const r = item.result;
    const errors = item.error ? item.error.diagnostics : [];
    const row = element("tr", { class: r ? "project" : "project failed", "data-key": item.key },
      element("td", {}, index + 1), element("td", {}, element("a", { href: "#" }, item.project)),
      element("td", {}, item.origin + (item.ruleset ? `（规则 ${item.ruleset}）` : "")),
      element("td", {}, r ? r.total : ""), element("td", {}, r ? r.grade ?? "—" : ""),
      element("td", {}, r ? r.findings.length : ""),
      element("td", {}, errors.length > 1 ? `${errors[0].code} 等 ${errors.length} 个` : errors.length ? errors[0].code : ""));
    row.addEventListener("click", (e) => { e.preventDefault(); showItem(item); });
    return row;
  });
  fill($("#projects"),
    element("h3", {}, `文件中有 ${items.length} 个项目`),
    element("table", { class: "projects" },
      element("thead", {}, element("tr", {}, header.map((h) => element("th", {}, h)))), element("tbody", {}, rows)));
}

function showItem(item) {
  state.score.current = item;
  for (const row of document.querySelectorAll("tr.project")) row.classList.toggle("chosen", row.dataset.key === item.key);
  fill($("#explanation"));
  if (!item.result) {
    fill($("#scored"), element("h3", {}, `「${item.project}」有错误，没有评分`), diagnosticList(item.error.diagnostics));
    return;
  }
  fill($("#scored"), ...renderSheet(item.layout, item.result));
}

// -- diagnostics with their place: a ruleset line, or a sheet, row and column of a spreadsheet ------------
function columnLetter(column) {
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function where(span) {
  if (!span) return "";
  if (span.line == null) return span.path;  // a folder or a file as a whole: no line to name
  if (span.sheet == null && span.column_name == null) return `${span.path} 第 ${span.line} 行`;
  const sheet = span.sheet != null ? `工作表「${span.sheet}」` : "";
  const cell = span.column_name != null ? `第${span.line}行「${span.column_name}」列` : `第${span.line}行`;
  const ref = span.sheet != null ? `（${columnLetter(span.column)}${span.line}）` : "";
  return `${span.path} ${sheet}${cell}${ref}`;
}

function diagnosticItem(d) {
  return element(
    "li", { class: `diag ${d.severity}`, "data-code": d.code, "data-line": d.span && d.span.line != null ? d.span.line : "" },
    element("a", { class: "code", href: `/errors#${d.code}`, target: "_blank", rel: "noopener", title: "错误代码说明" }, d.code), " ",
    element("span", { class: "where" }, where(d.span)), " ", element("span", { class: "message" }, d.message),
    d.help ? element("div", { class: "help" }, `改法：${d.help}`) : "",
  );
}

// a diagnostic whose place is a ruleset of the folder: its place is a link opening that file at that line
function placedItem(d) {
  const item = diagnosticItem(d);
  const ruleset = d.span && d.span.line != null && state.files.some((f) => f.kind === "ruleset" && f.name === d.span.path);
  if (!ruleset) return item;
  const link = element("a", { href: "#", class: "where", title: "在编辑器中打开这一行" }, where(d.span));
  link.addEventListener("click", (e) => { e.preventDefault(); openAt(d.span.path, d.span.line); });
  item.querySelector(".where").replaceWith(link);
  return item;
}

async function openAt(name, line) {
  if (name !== state.file) {
    if (dirty() && !window.confirm(`${state.file ? `「${state.file}」` : "编辑器中"}有未保存的修改，打开「${name}」将丢弃这些修改。\n\n继续打开？（取消则留在当前文件）`)) return;
    await openFile(name);
    if (state.file !== name) return;
  }
  showTab("edit");
  goToLine(line);
}

function diagnosticList(diagnostics) {
  return element("ul", { class: "diagnostics" }, diagnostics.map(diagnosticItem));
}

// -- the 自评表 --------------------------------------------------------------------------------------------
function renderSheet(layout, r) {
  const info = element("div", { class: "sheet-info" }, element("h3", {}, layout.title),
    layout.info.map(([k, v]) => element("div", {}, `${k}：${v}`)));
  const parts = [info];
  const offset = layout.budget ? 1 : 0;
  if (layout.budget) parts.push(budgetTable(layout));
  parts.push(indicatorTable(layout.indicators, r, offset));
  parts.push(element("table", { class: "total" }, element("tbody", {}, element("tr", { class: "total" },
    element("th", {}, "总分值"), element("td", {}, layout.total_weight),
    element("th", {}, "总得分"), element("td", { class: "total-score" },
      scoreButton(layout.total, r.indicators.length + offset, "点击查看合计", "total")),
    element("th", {}, "等级"), element("td", {}, element("b", { id: "grade" }, layout.grade))))));
  if (layout.findings) {
    parts.push(element("ul", { class: "findings" },
      layout.findings.rows.map(([code, indicator, message]) => element("li", {}, `⚑ ${code} ${indicator ? `${indicator}：` : ""}${message}`))));
  }
  return parts;
}

function budgetTable(layout) {
  const b = layout.budget;
  const score = b.keys.indexOf("score");
  const rows = b.rows.map((row) => element("tr", { class: "budget" }, row.map((text, c) =>
    c === score && text ? element("td", {}, scoreButton(text, 0, "点击查看预算执行得分")) : element("td", {}, text))));
  const table = element("table", { class: "budget" },
    element("thead", {}, element("tr", {}, b.header.map((h) => element("th", {}, h)))), element("tbody", {}, rows));
  return layout.budget_note
    ? element("div", {}, table, element("p", { class: "note" }, `偏差原因分析及改进措施：${layout.budget_note}`))
    : table;
}

function rowKind(i) {
  if (i.breakdown_of != null) return "breakdown";
  if (i.subtotal) return "subtotal";
  if (i.score == null && !i.not_applicable) return "unknown";
  if (i.not_applicable) return "not-applicable";
  return "";
}

function indicatorTable(block, r, offset) {
  const score = block.keys.indexOf("score");
  const spans = mergedSpans(block);
  const rows = block.rows.map((row, index) => {
    const i = r.indicators[index];
    const classes = [rowKind(i), i.findings.length ? "finding" : ""].filter(Boolean).join(" ");
    const findings = r.findings.filter((f) => f.indicator && f.indicator.endsWith(`/${i.name}`)).map((f) => f.message).join("；");
    const cells = [];
    row.forEach((text, c) => {
      const span = spans.get(`${index},${c}`);
      if (span === 0) return;  // under a merged cell above
      const attributes = span > 1 ? { rowspan: span, class: "merged", "data-key": block.keys[c] } : { "data-key": block.keys[c] };
      if (c === score && text) cells.push(element("td", attributes, scoreButton(text, index + offset, findings), findings ? element("span", { class: "flag", title: findings }, " ⚑") : ""));
      else cells.push(element("td", attributes, text));
    });
    return element("tr", { class: classes, "data-indicator": i.name }, cells);
  });
  return element("table", { class: "scored" },
    element("thead", {}, element("tr", {}, block.header.map((h) => element("th", {}, h)))), element("tbody", {}, rows));
}

// The leading `merged` columns (绩效目标, 一级, 二级) span the rows they head, as in the printed table.
function mergedSpans(block) {
  const spans = new Map();
  for (let c = 0; c < block.merged; c++) {
    let first = 0;
    block.rows.forEach((row, index) => {
      const same = index > 0 && block.rows[index - 1].slice(0, c + 1).join("\u0000") === row.slice(0, c + 1).join("\u0000");
      if (same) { spans.set(`${index},${c}`, 0); spans.set(`${first},${c}`, spans.get(`${first},${c}`) + 1); }
      else { first = index; spans.set(`${index},${c}`, 1); }
    });
  }
  return spans;
}

function scoreButton(text, traceIndex, title, id) {
  const attributes = { class: "score", title: title || "点击查看得分说明", "data-trace": traceIndex };
  if (id) attributes.id = id;
  const button = element("button", attributes, text);
  button.addEventListener("click", () => explainTrace(traceIndex));
  return button;
}

function explainTrace(index) {
  const item = state.score && state.score.current;
  const explanation = item && item.result && item.result.explanation;
  if (!explanation || !explanation.trace[index]) return;
  const render = (n) => element("li", { class: `trace ${n.kind}` },
    sourceLink(n), n.children.length ? element("ul", {}, n.children.map(render)) : "");
  fill($("#explanation"), element("h3", {}, "得分说明"), element("ul", { class: "tree" }, render(explanation.trace[index])));
}

function sourceLink(node) {
  const match = node.kind === "source" && node.text.match(/(\S+\.jx):(\d+)/);
  if (!match || !state.file || !match[1].endsWith(state.file)) return node.text;
  return element("a", { href: "#", onclick: (e) => { e.preventDefault(); showTab("edit"); goToLine(Number(match[2])); } }, node.text);
}

async function download() {
  if (!state.score) return say("请先评分", "error");
  const format = $("#format").value;
  const { ok, data } = await api("/v1/report", { ...state.score.report, format });
  if (!ok && !data.base64) return say(failure(data, "没有下载"), "error");
  const bytes = Uint8Array.from(atob(data.base64), (c) => c.charCodeAt(0));
  const link = element("a", { href: URL.createObjectURL(new Blob([bytes], { type: data.media_type })), download: data.filename });
  document.body.append(link);
  link.click();
  link.remove();
  say(`已下载 ${data.filename}`, "ok");
  return true;
}

// -- compare years ----------------------------------------------------------------------------------------
async function compareNow() {
  const actuals = $("#diff-actuals").value;
  const request = { old: { name: $("#old").value }, new: { name: $("#new").value }, actuals: actuals ? [{ name: actuals }] : [] };
  const current = turn("compare");
  const { ok, data } = await api("/v1/diff", request);
  if (!current()) return false;
  if (!ok) {  // each problem with its file and line (a link that opens the ruleset there) and its fix
    if (state.merge) state.merge.destroy();
    state.merge = null;
    fill($("#diff"), element("p", { class: "error" }, data.offline ? failure(data, "没有比较") : "没有比较："),
      data.offline ? "" : element("ul", { class: "diagnostics" }, (data.diagnostics || []).map(placedItem)));
    return say(data.offline ? failure(data, "没有比较") : `没有比较：${problems(data)}`, "error");
  }
  const changes = !data.changes.length ? "" : element("table", { class: "changes" },
    element("thead", {}, element("tr", {}, ["变化", "指标或规则", "原", "新"].map((h) => element("th", {}, h)))),
    element("tbody", {}, data.changes.map((c) => element("tr", { class: `change ${c.kind}` },
      element("td", {}, (state.vocabulary.change_kinds[c.kind] || c.kind) + (c.direction ? `（${state.vocabulary.change_directions[c.direction] || c.direction}）` : "")),
      element("td", {}, c.path), element("td", {}, c.old ?? ""), element("td", {}, `${c.new ?? ""}${c.delta ? ` (${c.delta})` : ""}`)))));
  const impacts = data.impacts.map((i) => element("div", { class: "impact" },
    element("h3", {}, `对得分的影响（${i.actuals}）`),
    element("p", { class: "impact-total" }, `总得分 ${i.old_total} → ${i.new_total}（${i.delta}），等级 ${i.old_grade ?? "—"} → ${i.new_grade ?? "—"}`),
    element("table", { class: "impacts" }, element("thead", {}, element("tr", {}, ["指标", "原得分", "新得分", "变化"].map((h) => element("th", {}, h)))),
      element("tbody", {}, i.rows.filter((r) => r.status !== "same").map((r) =>
      element("tr", {}, element("td", {}, r.path), element("td", {}, r.old_score ?? "—"), element("td", {}, r.new_score ?? "—"), element("td", {}, r.delta ?? "")))))));
  const summary = element("p", { class: "diff-summary" }, data.same ? "两份规则含义相同，没有变化" : `共 ${data.changes.length} 处含义变化`);
  const side = await sideBySide(request.old.name, request.new.name, current);
  if (!current()) return false;
  fill($("#diff"), summary, changes, ...impacts, side);
  const moved = data.impacts.map((i) => `总得分 ${i.old_total} → ${i.new_total}（${i.delta}）`).join("；");
  say(`比较完成：${data.same ? "两份规则含义相同" : `共 ${data.changes.length} 处含义变化`}${moved ? `；${moved}` : ""}`, "ok");
  return true;
}

// the two rulesets' text side by side (read-only; changed lines and words marked, unchanged runs folded)
async function sideBySide(oldName, newName, current) {
  const [before, after] = await Promise.all([oldName, newName].map((name) => api(filePath(name), undefined, "GET")));
  if (!current()) return "";  // compared again meanwhile: the newer comparison keeps its own view
  if (state.merge) state.merge.destroy();
  state.merge = null;
  if (!before.ok || !after.ok) return "";
  const parent = element("div", { id: "merge" });
  state.merge = new MergeView({
    a: sideOf(before.data.text), b: sideOf(after.data.text), parent,
    collapseUnchanged: { margin: 2, minSize: 4 }, gutter: true,
  });
  return element("div", { class: "side-by-side" },
    element("h3", {}, "逐行对照"),
    element("div", { class: "merge-heads" }, element("span", {}, `原：${oldName}`), element("span", {}, `新：${newName}`)),
    parent);
}

// one side of a merge view: read-only unless `editable`
function sideOf(doc, editable) {
  return {
    doc,
    extensions: [
      lineNumbers(), syntaxHighlighting(defaultHighlightStyle), jxLanguage(state.vocabulary), EditorState.phrases.of(PHRASES),
      editable ? [history(), keymap.of([...defaultKeymap, ...historyKeymap])] : [EditorState.readOnly.of(true), EditorView.editable.of(false)],
    ],
  };
}

// -- tests ------------------------------------------------------------------------------------------------
async function runTests(update = false) {
  const name = $("#tests").value;
  if (!name) return say("请选择测试文件", "error");
  const current = turn("tests");
  // the editor's text, saved or not: the server tests it when it is the ruleset the test file names (`edited`)
  const unsaved = dirty();
  const { ok, data } = await api("/v1/test", { name, update, ...(state.file ? { ruleset: rulesetInput() } : {}) });
  if (!current()) return false;
  if (!ok) {
    fill($("#test-results"), element("pre", { class: "error" }, failure(data, "没有运行测试")));
    return say(failure(data, "没有运行测试"), "error");
  }
  state.tests = data;
  // a case that could not run (its actual-value file missing, outside the folder) carries its diagnostics,
  // also in the answer's own list: they are shown in its row, and the list shows the others only
  const ofCases = new Set(flat(data.cases.map((c) => (c.diagnostics || []).map((d) => JSON.stringify(d)))));
  const rows = data.cases.map((c) => element("tr", { class: c.passed ? "pass" : "fail", "data-line": c.line },
    element("td", {}, c.passed ? "✔" : "✘"), element("td", {}, c.name),
    element("td", {}, c.mismatches.map((m) => element("div", {}, `第 ${m.line} 行 ${state.vocabulary.test_values[m.what] || m.what}：期望 ${m.expected}，得到 ${m.got}`)),
      (c.diagnostics || []).length ? element("ul", { class: "diagnostics" }, c.diagnostics.map(testItem)) : "")));
  const others = data.diagnostics.filter((d) => !ofCases.has(JSON.stringify(d)));
  const failed = data.cases.filter((c) => !c.passed).length;
  const counted = `${data.cases.length - failed} 个通过，${failed} 个失败${update ? `；已更新 ${data.updated} 个期望值` : ""}`;
  const tested = data.edited && unsaved ? `按编辑器中未保存的「${state.file}」测试`
    : unsaved ? `测试的是已保存的${data.ruleset ? `「${data.ruleset}」` : "规则文件"}；编辑器中「${state.file}」有未保存的修改，没有用于这个测试`
    : "";
  const broken = data.diagnostics.length > 0 && data.cases.length === 0;
  fill($("#test-results"),
    tested ? element("p", { class: "tested" }, tested) : "",
    element("p", { class: "counted" }, broken ? "没有运行测试：规则或测试文件有错误" : counted),
    element("table", { class: "tests" }, element("tbody", {}, rows)),
    others.length ? element("ul", { class: "diagnostics file" }, others.map(testItem)) : "");
  say(`测试${broken ? "没有运行：规则或测试文件有错误" : `：${counted}`}${tested ? `（${tested}）` : ""}`, failed || data.diagnostics.length ? "error" : "ok");
  $("#accept").disabled = failed === 0 || !state.writable;
  $("#accept").title = state.writable ? "" : "服务只读：不能改写期望值";
  return true;
}

// A diagnostic of the test page, as the ruleset page's: reached by Tab, followed by a click, Enter or Space.
// Placed in a ruleset of the folder, it opens that file in the editor at its line; placed in another text
// file (the test file, a CSV), it shows that line of the file beneath it (again: hides it).
function testItem(d) {
  const item = diagnosticItem(d);
  const span = d.span;
  if (!span || !span.path || span.sheet != null || span.line == null) return item;  // no line, or a cell of a workbook: shown as is
  const ruleset = state.files.some((f) => f.kind === "ruleset" && f.name === span.path);
  item.tabIndex = 0;
  item.classList.add("placed");
  item.title = ruleset ? "在编辑器中打开这一行（Enter）" : "显示文件中的这一行（Enter）";
  const follow = () => (ruleset ? openAt(span.path, span.line) : showLine(item, span));
  item.addEventListener("click", (e) => { if (!e.target.closest("a, .excerpt")) follow(); });
  item.addEventListener("keydown", (e) => {
    if (e.target !== item || (e.key !== "Enter" && e.key !== " ")) return;  // its code link is its own
    e.preventDefault();
    follow();
  });
  return item;
}

async function showLine(item, span) {
  const shown = item.querySelector(".excerpt");
  if (shown) return shown.remove();
  const { ok, data } = await api(filePath(span.path), undefined, "GET");
  const lines = ok ? data.text.split(/\r\n|\r|\n/) : [];
  const text = span.line >= 1 && span.line <= lines.length ? `${span.line} | ${lines[span.line - 1]}`
    : failure(data, `没有读到「${span.path}」第 ${span.line} 行`);
  if (!item.querySelector(".excerpt")) item.append(element("pre", { class: "excerpt" }, text));
}

async function acceptTests() {
  const failing = (state.tests?.cases || []).filter((c) => !c.passed);
  const lines = flat(failing.map((c) => c.mismatches.map((m) => `${c.name}：${m.what} ${m.expected} → ${m.got}`)));
  if (!window.confirm(`按当前结果改写以下期望值？\n\n${lines.join("\n")}`)) return;
  await runTests(true);
}

// -- tabs and start-up ------------------------------------------------------------------------------------
function showTab(name) {
  for (const tab of document.querySelectorAll("[data-tab]")) tab.classList.toggle("active", tab.dataset.tab === name);
  for (const page of document.querySelectorAll("section.page")) page.hidden = page.id !== `page-${name}`;
}

async function start() {
  const vocabulary = await api("/v1/vocabulary", undefined, "GET");
  if (!vocabulary.ok) return say(failure(vocabulary.data, "工作台没有启动"), "error");
  state.vocabulary = vocabulary.data;
  createEditor("");
  for (const tab of document.querySelectorAll("[data-tab]")) tab.addEventListener("click", () => showTab(tab.dataset.tab));
  $("#file").addEventListener("change", (e) => {
    const name = e.target.value;
    if (dirty() && !window.confirm(`${state.file ? `「${state.file}」` : "编辑器中"}有未保存的修改，打开「${name}」将丢弃这些修改。\n\n继续打开？（取消则留在当前文件）`)) {
      e.target.value = state.file || "";
      return;
    }
    openFile(name);
  });
  window.addEventListener("beforeunload", (e) => {  // reload, a link, closing the tab: the browser asks first
    if (!dirty()) return;
    e.preventDefault();
    e.returnValue = "";
  });
  $("#save").addEventListener("click", saveNow);
  $("#format-code").addEventListener("click", formatNow);
  $("#score-now").addEventListener("click", scoreNow);
  $("#actuals").addEventListener("change", () => { $("#upload").value = ""; });
  $("#upload").addEventListener("change", () => { $("#actuals").value = ""; });
  $("#download").addEventListener("click", download);
  $("#compare-now").addEventListener("click", compareNow);
  $("#run-tests").addEventListener("click", () => runTests(false));
  $("#accept").addEventListener("click", acceptTests);
  await loadFiles();
  showTab("edit");
  const wanted = new URLSearchParams(location.search).get("file");
  if (wanted) await openFile(wanted);
  document.body.dataset.ready = "true";
}

start();

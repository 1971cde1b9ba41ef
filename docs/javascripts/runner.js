// Run buttons under Python code blocks: the code runs in the page, in Pyodide (CPython compiled
// to WebAssembly) inside a Web Worker (runner-worker.js), from files this site serves itself.
//
// Mark-up. A fenced block with the class `runnable`; a snippets include inside it still works,
// so what runs is the file the tests check:
//
//     ```{.python .runnable title="snippets/np_hello_rnn.py"}
//     --8<-- "snippets/np_hello_rnn.py"
//     ```
//
// (`<div class="runnable" markdown>` around an ordinary fenced block does the same.) Code that
// imports numpy, or a library module of the book (`extra.book.library`, packed as a wheel with its
// data/ by book/library_wheel.py), gets it through Pyodide's package loader from the site's lock at
// `extra.pyodide.packages_url` in mkdocs.yml (Book.runner: the runner's part of #__book, which
// book/page_settings.py computes; relative URLs are relative to the site root), each file checked
// against the lock's sha256.
//
// The reader can edit the code: Ctrl/Cmd+Enter runs, Tab indents (Esc then Tab leaves the code),
// Reset restores it. Output streams in as it is printed; lines like `loss = 0.123` draw a curve.
// Nothing is downloaded before the first Run. The worker lives in this script's scope, which
// Material's instant navigation keeps, so the runtime boots once per visit; Stop terminates it
// (and boots a fresh one in the background), a failed boot leaves the next Run to start again.
// When something fails, the reader gets a short message in the page's language; what the site's
// maintainer needs (the URLs, the reason, what to run) is under it, behind a <details>.
(() => {
  const SCRIPT = document.currentScript.src;
  const { site: SITE, el, svg } = Book;
  const LOSS = /\bloss\s*[=:]\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)/i;
  const MAX_LINES = 2000;                            // the worker sends no more than this per run
  const MB = (bytes) => (bytes / 1e6).toFixed(1);
  const size = (loaded, total, open, close) =>
    total ? `${open}${MB(loaded)} / ${MB(total)} MB${close}` : loaded ? `${open}${MB(loaded)} MB${close}` : "";

  const TEXT = {
    zh: {
      run: "运行", stop: "停止", reset: "重置",
      editor: "可编辑的 Python 代码。Ctrl+Enter 运行，Tab 缩进，先按 Esc 再按 Tab 离开代码框。",
      output: "运行输出",
      download: (l, t) => `正在下载 Python 运行时${size(l, t, "（", "）")}…`,
      start: "正在启动 Python…",
      restore: "正在恢复上次启动的 Python…",
      packages: (names, l, t) => `正在加载 ${names.join("、")}${size(l, t, "（", "）")}…`,
      running: "正在运行…",
      done: (s) => `运行完成，用时 ${s} 秒。`,
      failed: (s) => `程序出错（${s} 秒），错误信息见输出。`,
      stopped: "已停止。",
      capped: (n) => `输出超过 ${n} 行，之后的内容没有显示。`,
      fatal: "Python 运行时没能加载。请检查网络连接，再按“运行”重试。",
      crashed: "Python 解释器崩溃了。再按“运行”会启动一个新的解释器。",
      noPackages: (names) => `无法下载 ${names.join("、")}。请检查网络连接，再按“运行”重试。`,
      refused: (names) => `已拒绝加载 ${names.join("、")}：下载到的文件与本站记录的不符（sha256）。` +
        "网站可能正在更新：请刷新页面后再按“运行”。如果问题依旧，请告诉网站的维护者。",
      details: "给网站维护者的详细信息",
      mirror: "本站可能在构建前没有运行 make mirror（它把 numpy 放进本站的 vendor/pyodide-packages/）；" +
        "如果 mkdocs.yml 中的 extra.pyodide.packages_url 指向别处，请检查那个地址（见“在浏览器中运行 Python”一页）。",
      lock: "下载到的文件的 sha256 与本站 pyodide-lock.json 记录的不同。",
      curve: (n, last) => `损失曲线：${n} 个点，最后一个 loss = ${last}`,
      epoch: "epoch",
    },
    en: {
      run: "Run", stop: "Stop", reset: "Reset",
      editor: "Editable Python code. Ctrl+Enter runs it, Tab indents, Esc then Tab leaves the code.",
      output: "Output",
      download: (l, t) => `Downloading the Python runtime${size(l, t, " (", ")")}…`,
      start: "Starting Python…",
      restore: "Restoring Python from its last start…",
      packages: (names, l, t) => `Loading ${names.join(", ")}${size(l, t, " (", ")")}…`,
      running: "Running…",
      done: (s) => `Done in ${s} s.`,
      failed: (s) => `The program failed (${s} s): see the error in the output.`,
      stopped: "Stopped.",
      capped: (n) => `More than ${n} lines of output: the rest is not shown.`,
      fatal: "The Python runtime could not be loaded. Check the connection and press Run to try again.",
      crashed: "The Python interpreter crashed. Press Run to start a new one.",
      noPackages: (names) => `Could not download ${names.join(", ")}. Check the connection and press Run to try again.`,
      refused: (names) => `Refused to load ${names.join(", ")}: the file downloaded is not the one this site ` +
        "records (sha256). The site may be being updated: reload the page and press Run again. If this persists, " +
        "tell the site's maintainer.",
      details: "Details for the site's maintainer",
      mirror: "The site was perhaps built without make mirror (which puts numpy in its vendor/pyodide-packages/); " +
        "if extra.pyodide.packages_url in mkdocs.yml points elsewhere, check that address " +
        "(see the page “Run Python in your browser”).",
      lock: "The file downloaded does not have the sha256 that this site's pyodide-lock.json records.",
      curve: (n, last) => `Loss curve: ${n} points, last loss = ${last}`,
      epoch: "epoch",
    },
  };

  // --- the worker: one per visit ---------------------------------------------------------------
  let worker = null;
  let ready = false;         // the worker has booted Python
  let active = null;         // the run in progress: {ui, id, t0}
  let nextId = 1;
  let blocks = [];           // the runnable blocks of the current page

  // The worker's settings, from Book.runner ({packages_url, index_url, lock_url}: extra.pyodide in mkdocs.yml, the
  // rest computed by the build), read at each Run: absolute URLs. Without lock_url, the lock is in packages_url.
  function settings() {
    const { packages_url: packagesURL, index_url: indexURL, lock_url: lockURL } = Book.runner;
    const packages = new URL((packagesURL || "vendor/pyodide-packages/").replace(/\/?$/, "/"), SITE);
    return {
      indexURL: new URL(indexURL || "vendor/pyodide/", SITE).href,
      lockURL: new URL(lockURL || "pyodide-lock.json", lockURL ? SITE : packages).href,
      packagesURL: packages.href,
      library: Book.library,
    };
  }

  function send(message) {
    if (!worker) {
      const w = new Worker(new URL("runner-worker.js", SCRIPT), { type: "module" });
      w.onmessage = ({ data }) => { if (w === worker) receive(data); };   // none from a stopped worker
      w.onerror = (event) => { event.preventDefault(); if (w === worker) fatal(event.message || "worker error"); };
      worker = w;
    }
    worker.postMessage({ ...message, config: settings() });
  }

  function kill() {
    worker?.terminate();
    worker = null;
    ready = false;
  }

  function fatal(why, crashed) {
    kill();
    if (!active) return;
    const ui = active.ui;
    flush(ui);
    message(ui, TEXT[ui.lang][crashed ? "crashed" : "fatal"], why);
    finish(ui, "", true);
  }

  function receive(data) {
    const ui = active && (data.id === undefined || data.id === active.id) ? active.ui : null;
    const t = ui && TEXT[ui.lang];
    switch (data.type) {
      case "ready": ready = true; break;
      case "fatal": fatal(data.message, data.crashed); break;
      case "progress":
        if (!ui) break;
        if (data.stage === "restore") ui.restoring = true;   // then the downloads are reads from the cache
        if (data.fresh) ui.restoring = false;                // ... unless the snapshot is refused
        if (ui.restoring && ["download", "start", "restore"].includes(data.stage)) status(ui, t.restore);
        else if (data.stage === "download") status(ui, t.download(data.loaded, data.total));
        else if (data.stage === "start") status(ui, t.start);
        if (data.stage === "packages") { ui.packages = data.names || ui.packages; status(ui, t.packages(ui.packages, data.loaded, data.total)); }
        if (data.stage === "run") status(ui, t.running);
        break;
      case "out": if (ui) write(ui, data.stream, data.text); break;
      case "capped": if (ui) { ui.notice.textContent = t.capped(MAX_LINES); ui.notice.hidden = false; } break;
      case "packages-failed":
        if (!ui) break;
        if (data.refused) message(ui, t.refused(data.names), [...data.urls, t.lock].join("\n"));
        else message(ui, t.noPackages(data.names), [`${data.reason}:`, ...data.urls, t.mirror].join("\n"));
        break;
      case "done": {
        if (!ui) break;
        const seconds = ((performance.now() - active.t0) / 1000).toFixed(1);
        finish(ui, data.ok ? t.done(seconds) : ui.message.hidden ? t.failed(seconds) : "", !data.ok);
        break;
      }
    }
  }

  function run(ui) {
    if (active) return;
    active = { ui, id: nextId++, t0: performance.now() };
    ui.out.textContent = "";
    ui.losses = [];
    ui.restoring = false;
    ui.curve.setAttribute("hidden", "");
    ui.notice.hidden = true;
    ui.message.hidden = true;
    ui.result.hidden = false;
    ui.root.classList.remove("runner--failed");
    status(ui, ready ? TEXT[ui.lang].running : TEXT[ui.lang].download(0, 0));
    buttons();
    if (document.activeElement === ui.run) ui.stop.focus();
    send({ type: "run", id: active.id, code: readCode(ui.code), filename: ui.filename });
  }

  function stop() {
    if (!active) return;
    const booted = ready;
    kill();
    finish(active.ui, TEXT[active.ui.lang].stopped, false);
    if (booted) send({ type: "boot" });   // a fresh Python for the next Run, from the browser's cache
  }

  function finish(ui, text, failed) {
    flush(ui);
    active = null;
    if (text) status(ui, text);
    ui.root.classList.toggle("runner--failed", Boolean(failed));
    buttons();
    if (document.activeElement === ui.stop || document.activeElement === document.body) ui.run.focus();
  }

  function buttons() {
    for (const ui of blocks) {
      ui.run.disabled = Boolean(active);
      ui.stop.disabled = !active || active.ui !== ui;
      ui.root.classList.toggle("runner--running", Boolean(active) && active.ui === ui);
    }
  }

  // --- output and loss curve -----------------------------------------------------------------------
  function status(ui, text) { ui.status.textContent = text; }

  // What went wrong: `text` for the reader, `details` (the URLs, the reason, what to run) for the site's maintainer.
  function message(ui, text, details) {
    ui.said.textContent = text;
    ui.details.lastChild.textContent = details || "";
    ui.details.hidden = !details;
    ui.details.open = false;
    ui.message.hidden = false;
    if (!ui.out.textContent) ui.result.hidden = true;
    status(ui, "");
  }

  function write(ui, stream, text) {
    ui.pending.push([stream, text]);
    ui.frame ||= requestAnimationFrame(() => flush(ui));
  }

  function flush(ui) {
    cancelAnimationFrame(ui.frame);
    ui.frame = 0;
    if (!ui.pending.length) return;
    const box = ui.out.parentElement;
    const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
    let plain = "";
    const put = () => { if (plain) ui.out.append(plain); plain = ""; };   // text nodes: never parsed as HTML
    for (const [stream, text] of ui.pending) {
      if (stream === "stderr") {
        put();
        const span = document.createElement("span");
        span.className = "runner-stderr";
        span.textContent = text + "\n";
        ui.out.append(span);
      } else {
        plain += text + "\n";
        const loss = LOSS.exec(text);
        if (loss && Number.isFinite(Number(loss[1]))) ui.losses.push(Number(loss[1]));
      }
    }
    put();
    ui.pending = [];
    if (atEnd) box.scrollTop = box.scrollHeight;
    if (ui.losses.length >= 2) draw(ui);
  }

  // A small hand-drawn SVG: the loss per printed line, min and max on the left axis.
  const W = 320, H = 180, L = 46, R = 10, T = 14, B = 26;
  function draw(ui) {
    const ys = ui.losses;
    let lo = Math.min(...ys), hi = Math.max(...ys);
    if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
    const x = (i) => L + (i / (ys.length - 1)) * (W - L - R);
    const y = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
    const points = ys.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    const fmt = (v) => Number(v.toPrecision(3)).toString();
    const t = TEXT[ui.lang];
    const last = ys[ys.length - 1];
    ui.curve.replaceChildren(
      svg("title", {}, t.curve(ys.length, fmt(last))),
      svg("path", { class: "runner-axis", d: `M${L},${T} V${H - B} H${W - R}` }),
      svg("text", { x: L - 4, y: T + 4, "text-anchor": "end" }, fmt(hi)),
      svg("text", { x: L - 4, y: H - B, "text-anchor": "end" }, fmt(lo)),
      svg("text", { x: L, y: H - 8 }, "1"),
      svg("text", { x: W - R, y: H - 8, "text-anchor": "end" }, String(ys.length)),
      svg("text", { x: (L + W - R) / 2, y: H - 8, "text-anchor": "middle" }, t.epoch),
      svg("text", { x: L + 6, y: T + 4, class: "runner-curve-label" }, "loss"),
      svg("polyline", { class: "runner-line", points }),
      svg("circle", { class: "runner-dot", cx: x(ys.length - 1), cy: y(last), r: 3 }),
    );
    ui.curve.setAttribute("aria-label", t.curve(ys.length, fmt(last)));
    ui.curve.removeAttribute("hidden");
  }

  // --- the editor: the code element itself, made editable ------------------------------------------
  function readCode(code) {
    let text = "";
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) text += child.data;
        else if (child.nodeName === "BR") text += "\n";
        else {
          if (/^(DIV|P)$/.test(child.nodeName) && text && !text.endsWith("\n")) text += "\n";
          walk(child);
        }
      }
    };
    walk(code);
    return text.replace(/\u00a0/g, " ");
  }

  function insert(text) { document.execCommand("insertText", false, text); }   // keeps the undo history

  function editor(ui) {
    const code = ui.code;
    code.contentEditable = "plaintext-only";
    if (code.contentEditable !== "plaintext-only") code.contentEditable = "true";
    code.spellcheck = false;
    code.setAttribute("autocapitalize", "off");
    code.setAttribute("autocorrect", "off");
    code.setAttribute("role", "textbox");
    code.setAttribute("aria-multiline", "true");
    code.setAttribute("aria-label", TEXT[ui.lang].editor);
    let leaving = false;   // Esc was pressed: the next Tab moves the focus on
    code.addEventListener("keydown", (event) => {
      const key = event.key;
      if (key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(ui); return; }
      if (key === "Escape") { leaving = true; return; }
      if (key === "Tab" && !leaving && !event.shiftKey && !event.altKey) { event.preventDefault(); insert("    "); return; }
      if (key === "Enter" && !event.shiftKey && !event.altKey && !event.isComposing) {
        // a new line keeps the indentation, one level more after a colon
        event.preventDefault();
        const range = getSelection().getRangeAt(0).cloneRange();
        range.setStart(code, 0);
        const line = range.toString().split("\n").pop();
        insert("\n" + line.match(/^[ \t]*/)[0] + (/:\s*$/.test(line) ? "    " : ""));
      }
      leaving = false;
    });
    code.addEventListener("paste", (event) => {
      event.preventDefault();
      insert(event.clipboardData.getData("text/plain"));
    });
  }

  // --- blocks ----------------------------------------------------------------------------------
  function setup(root) {
    const block = root.matches(".highlight") ? root : root.querySelector(".highlight");
    const code = block && block.querySelector("pre > code");
    if (!code) return null;
    const lang = Book.language();
    const t = TEXT[lang];
    const title = block.querySelector(".filename")?.textContent.trim().split("/").pop() || "";
    const ui = {
      root, code, lang, pending: [], losses: [], frame: 0,
      original: code.innerHTML,
      filename: title.endsWith(".py") ? title : "main.py",
      run: el("button", { type: "button", class: "runner-button runner-button--run" }, t.run),
      stop: el("button", { type: "button", class: "runner-button runner-button--stop", disabled: "" }, t.stop),
      reset: el("button", { type: "button", class: "runner-button runner-button--reset" }, t.reset),
      status: el("span", { class: "runner-status", role: "status" }),
      result: el("div", { class: "runner-result", hidden: "" }),
      out: el("code"),
      curve: svg("svg", { class: "runner-curve", viewBox: `0 0 ${W} ${H}`, role: "img", hidden: "" }),
      notice: el("p", { class: "runner-notice", hidden: "" }),
      message: el("div", { class: "runner-message", hidden: "" }),
      said: el("p", { role: "alert" }),
      details: el("details", { hidden: "" }, el("summary", {}, t.details), el("p")),
    };
    ui.message.append(ui.said, ui.details);
    const output = el("pre", { class: "runner-output", role: "log", "aria-live": "polite", "aria-label": t.output, tabindex: "0" });
    output.append(ui.out);
    ui.result.append(output, ui.curve);
    const bar = el("div", { class: "runner-bar" });
    bar.append(ui.run, ui.stop, ui.reset, ui.status);
    block.after(bar, ui.message, ui.result, ui.notice);
    root.classList.add("runner");
    ui.run.addEventListener("click", () => run(ui));
    ui.stop.addEventListener("click", stop);
    ui.reset.addEventListener("click", () => { code.innerHTML = ui.original; });
    editor(ui);
    return ui;
  }

  document$.subscribe(() => {
    if (active && !active.ui.root.isConnected) stop();   // the reader left the page mid-run
    blocks = [];
    for (const root of document.querySelectorAll(".runnable")) {
      if (root.dataset.runner === undefined) {
        root.dataset.runner = "";
        root.runner = setup(root);
      }
      if (root.runner) blocks.push(root.runner);
    }
    buttons();
  });
})();

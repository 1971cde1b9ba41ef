// "Available offline", for classrooms: a control in every page's footer (overrides/partials/copyright.html) and on
// the playground page (<div class="book-offline">), which explains it. Pressing it downloads this language's
// offline copy (its pages, what they load, the Python runtime and packages: book/offline.py) into Cache Storage
// with a progress bar, then registers the service worker (/sw.js, offline-sw.js) that serves the copy.
//
// A reader who never presses downloads nothing for it: the size shown is written into this script at build time
// (SIZES, book/offline.py), and before the press this script only asks the browser, locally, whether a service worker
// is registered. offline-cache.js (the copy's storage) and the download.js it uses are loaded on press, or when one
// is registered.
(() => {
  const SCRIPT = document.currentScript.src;
  const { site: SITE, el } = Book;
  const SIZES = {};   // {lang: bytes of its offline copy}: {} here, the totals in the built site (book/offline.py)
  const MB = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
  const TEXT = {
    zh: {
      download: (size) => `下载供离线使用（${size}）`, progress: "离线下载进度",
      working: "正在下载离线副本…", done: "✓ 本书的中文版已可离线使用", update: "更新", remove: "删除离线副本",
      checking: "正在检查更新…", latest: "已是最新版本。", ready: "有新版本：按“更新”换用。",
      otherTabs: "新版本已下载：关闭本书的其他标签页后生效。", removed: "离线副本已删除。",
      noUpdate: "没能检查更新（没有联网？），现有的离线副本不变。",
      failed: (why) => `下载没有完成（${why}）。再按一次可以接着下载。`,
      unsupported: "这个浏览器不支持离线使用，或本站不是通过 HTTPS 访问的。",
      asked: "你要打开的页面（联网后可以打开）：", homes: "离线副本的首页：", home: (name) => `首页（${name}）`,
      noCopy: "这个浏览器里没有本书的离线副本。本书首页：",
    },
    en: {
      download: (size) => `Make available offline (${size})`, progress: "Offline download",
      working: "Downloading the offline copy…", done: "✓ This book in English is available offline", update: "Update",
      remove: "Remove offline copy", checking: "Checking for an update…", latest: "Already up to date.",
      ready: "A new version is ready: press Update to use it.",
      otherTabs: "The new version is downloaded: it takes over once this book's other tabs are closed.",
      removed: "The offline copy was removed.",
      noUpdate: "Could not check for an update (offline?); the offline copy stays as it is.",
      failed: (why) => `The download did not finish (${why}). Press again to continue it.`,
      unsupported: "This browser cannot keep the book offline, or the site is not served over HTTPS.",
      asked: "The page you asked for (it opens once you are online): ", homes: "The offline copy's home: ",
      home: (name) => `home page (${name})`, noCopy: "This browser holds no offline copy of this book. Its home page: ",
    },
  };
  const supported = "serviceWorker" in navigator && "caches" in window && window.isSecureContext;
  let state = { phase: supported ? "idle" : "unsupported" };   // idle | working | done | failed | unsupported
  let api = null;

  /** offline-cache.js (self.BookOffline), after the download.js it uses, loaded once. */
  function load() {
    const script = (name) => new Promise((resolve, reject) => {
      document.head.append(el("script", { src: new URL(name, SCRIPT).href, onload: resolve,
        onerror: () => reject(new Error(name)) }));
    });
    api ||= script("download.js").then(() => script("offline-cache.js")).then(() => self.BookOffline)
      .catch((error) => { api = null; throw error; });
    return api;
  }

  const registration = () => navigator.serviceWorker.getRegistration(SITE);

  /** Resolves once `reg` has no worker installing (one installed or active); rejects if the install failed. */
  function settled(reg) {
    return new Promise((resolve, reject) => {
      const look = () => {
        const w = reg.installing;
        if (!w) return reg.active || reg.waiting ? resolve(reg) : reject(new Error("service worker"));
        w.addEventListener("statechange", () => (w.state === "redundant"
          ? reject(new Error("the service worker could not install")) : look()), { once: true });
      };
      look();
    });
  }

  async function check() {
    if (!supported || state.phase === "working") return;
    const reg = await registration();
    if (!reg) return set({ phase: "idle", note: state.note });
    const held = await (await load()).languages(SITE);
    set(held.includes(Book.language()) ? { phase: "done", note: reg.waiting ? "ready" : state.note } : { phase: "idle" });
  }

  async function download() {
    const lang = Book.language();
    try {
      set({ phase: "working", loaded: 0, total: bytes() });
      const offline = await load();
      const manifest = await offline.manifest(SITE);
      await offline.fill(SITE, manifest, [lang], progress);
      await settled(await navigator.serviceWorker.register(new URL("sw.js", SITE), { scope: SITE, updateViaCache: "none" }));
      set({ phase: "done" });
      // The worker now serves this page too (clients.claim). Had the site changed since this page loaded (its sizes
      // are not the copy's), what it loads next would come from another build: load it again, whole, from the copy.
      if (manifest.languages[lang].bytes !== bytes()) location.reload();
    } catch (error) {
      set({ phase: "failed", why: error.message });
    }
  }

  async function update() {
    try {
      set({ phase: "working", note: "checking" });
      const reg = await registration();
      if (!reg) return download();
      await reg.update();
      if (!reg.installing && !reg.waiting) return set({ phase: "done", note: "latest" });
      await settled(reg);
      navigator.serviceWorker.addEventListener("controllerchange", () => location.reload(), { once: true });
      navigator.serviceWorker.addEventListener("message", ({ data }) => {
        if (data === "other-tabs") set({ phase: "done", note: "otherTabs" });
      }, { once: true });
      reg.waiting?.postMessage("skip-waiting");   // the new worker takes over only if this is the book's only tab
    } catch {
      set({ phase: "done", note: "noUpdate" });   // offline, say: the copy there is stays as it is
    }
  }

  async function remove() {
    await (await registration())?.unregister();
    await (await load()).drop();
    set({ phase: "idle", note: "removed" });
  }

  // --- the controls ------------------------------------------------------------------------------------
  const bytes = () => SIZES[Book.language()] || 0;

  function progress(loaded, total) {
    Object.assign(state, { loaded, total });
    for (const bar of document.querySelectorAll(".book-offline progress")) {
      bar.max = total;
      bar.value = loaded;
      bar.nextSibling.textContent = `${MB(loaded)} / ${MB(total)}`;
    }
  }

  function set(next) {
    state = next;
    document.querySelectorAll(".book-offline").forEach(render);
  }

  function render(box) {
    const t = TEXT[Book.language()];
    const { phase, note } = state;
    const button = (text, onclick, kind) => el("button", { type: "button", class: `book-offline__button book-offline__${kind}`, onclick }, text);
    const parts = {
      idle: () => [button(t.download(MB(bytes())), download, "download")],
      failed: () => [button(t.download(MB(bytes())), download, "download")],
      working: () => [el("progress", { max: state.total || 1, value: state.loaded || 0, "aria-label": t.progress }),
                      el("span", { class: "book-offline__bytes" }, state.total ? `${MB(state.loaded)} / ${MB(state.total)}` : "")],
      done: () => [button(t.update, update, "update"), button(t.remove, remove, "remove")],
      unsupported: () => [],
    }[phase]();
    const said = { working: note === "checking" ? t.checking : t.working, done: t.done, unsupported: t.unsupported,
                   failed: phase === "failed" && t.failed(state.why) }[phase] || "";
    const hadFocus = box.contains(document.activeElement);
    if (!box.status) {
      box.tabIndex = -1;                   // holds the focus while there is no button (downloading)
      box.status = el("span", { class: "book-offline__status", role: "status" });
      box.actions = el("span", { class: "book-offline__actions" });
      box.append(box.status, box.actions);   // "✓ available offline", then what can be done about it
    }
    box.dataset.state = phase;
    box.hidden = false;
    box.actions.replaceChildren(...parts);
    box.status.textContent = [said, note && t[note]].filter((s) => typeof s === "string" && s).join(" ");
    if (hadFocus && !box.contains(document.activeElement)) (box.querySelector("button") || box).focus();   // stay here
  }

  /** The page that says a page is not in the offline copy (docs/<lang>/offline.md, where the service worker sends an
   *  offline reader): the page asked for (?from=), and the home page of each language the copy holds. */
  async function homes() {
    const boxes = document.querySelectorAll(".book-offline-home");
    if (!boxes.length) return;
    const t = TEXT[Book.language()];
    const held = supported && (await registration()) ? await (await load()).languages(SITE) : [];
    const asked = new URL(new URLSearchParams(location.search).get("from") || "", SITE);
    const from = asked.href.startsWith(SITE) && asked.href !== SITE ? asked : null;     // a page of this site only
    const link = (lang) => el("a", { href: Book.url(lang, "") }, t.home(Book.names[lang] || lang));
    for (const box of boxes) {
      box.replaceChildren(
        from ? el("p", {}, t.asked, el("a", { href: from.href }, from.pathname)) : "",
        held.length ? el("p", {}, t.homes, held.flatMap((lang, i) => [i ? " · " : "", link(lang)]))
                    : el("p", {}, t.noCopy, link(Book.language())));
    }
  }

  document$.subscribe(() => {
    document.querySelectorAll(".book-offline").forEach(render);
    check().catch(() => {});
    homes().catch(() => {});
  });
})();

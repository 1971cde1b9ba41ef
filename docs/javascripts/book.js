// The book's JavaScript core, loaded before the other scripts: the page's language and the site's URL
// rule, a tiny DOM builder, and what the widgets, the exercises and the runner share. Its settings come
// from mkdocs.yml through the page (overrides/main.html writes them as JSON, #__book): no language,
// URL prefix or module name is written in JavaScript.
//
//   Book.site                       the site root, e.g. "https://host/rnn-basics/"
//   Book.languages                  {zh: "", en: "en/"}: where each language lives under the root
//   Book.names                      {zh: "简体中文", en: "English"}: each language by its own name
//   Book.language()                 the current page's language;  Book.path(): its path in that language
//   Book.url(lang, path)            the page at `path` in `lang`;  Book.published(): this page's site_url address
//   Book.library                    the library modules the runner may give Python (extra.book.library)
//   Book.runner                     the runner's URLs: {packages_url, index_url, lock_url} (extra.pyodide, completed
//                                   by the build: book/page_settings.py)
//   Book.el(tag, attrs, ...kids)    an element; Book.svg(...) an SVG element (children: nodes or text, never HTML)
//   Book.register(name, build, attributes)  a widget: build(div, lang) for every <div class="rnn-widget"
//                                   data-widget=name>; `attributes`: the data-* it reads ("mode", "src", ...)
//   Book.declare(name, attributes)  what markup may say to `name` (register declares; quiz.js declares its
//                                   own, per data-type); Book.unknownAttributes(div, attributes): the others
//   Book.onPage(hook)               hook(root, lang) after every page change (Material's instant navigation)
(() => {
  const SCRIPT = document.currentScript.src;
  const site = new URL("..", SCRIPT).href;          // this file is <site>/javascripts/book.js
  const settings = JSON.parse(document.getElementById("__book").textContent);
  const languages = Object.fromEntries(Object.entries(settings.languages)
    .map(([lang, link]) => [lang, link.replace(/^\.\/?/, "")]));    // "./" is the root itself
  const fallback = Object.keys(languages).find((lang) => languages[lang] === "");

  /** The language of the page at `href` (default: this one): the language whose folder holds it. */
  function language(href = location.href) {
    const rest = href.startsWith(site) ? href.slice(site.length) : "";
    const [lang] = Object.entries(languages)
      .filter(([, prefix]) => rest.startsWith(prefix))
      .sort(([, a], [, b]) => b.length - a.length)[0] || [fallback];
    return lang;
  }

  /** The page's path under its language's root, without query and fragment. */
  function path(href = location.href) {
    const rest = href.split(/[?#]/)[0].slice(site.length);
    return rest.slice(languages[language(href)].length);
  }

  const url = (lang, page) => site + languages[lang] + page;

  // The site's published address (mkdocs.yml's site_url): the first page's canonical link, less that page's
  // path (instant navigation keeps the first page's <head>). Where the site is served from elsewhere (a
  // preview, the whole-book PDF's local server), a page's published address is still the one to print.
  const publishedRoot = (() => {
    const canonical = document.querySelector('link[rel="canonical"]')?.href;
    const rest = location.href.split(/[?#]/)[0].slice(site.length);
    return canonical && canonical.endsWith(rest) ? canonical.slice(0, canonical.length - rest.length) : site;
  })();
  /** The published address of the page at `href` (default: this one), without query and fragment. */
  const published = (href = location.href) => publishedRoot + href.split(/[?#]/)[0].slice(site.length);

  function fill(node, attrs, children) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  /** el("div", {class: "x", onclick: f}, child, "text", ...) */
  const el = (tag, attrs, ...children) => fill(document.createElement(tag), attrs, children);
  const svg = (tag, attrs, ...children) =>
    fill(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, children);

  // --- numbers ---------------------------------------------------------------------------------------
  const grouped = (n) => Math.round(n).toLocaleString("en-US");       // 204,800 in both languages
  const shapeText = (shape) => `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
  /** x with `digits` decimals and a real minus sign (never "−0.00"). */
  const fixed = (x, digits) => {
    const text = Math.abs(x).toFixed(digits);
    return (x < 0 && Number(text) !== 0 ? "−" : "") + text;
  };

  // --- what widgets share ------------------------------------------------------------------------------
  const REFUSED = {
    zh: { empty: (f) => `请填写 ${f}。`, integer: (f) => `${f} 必须是整数。`,
          range: (f, lo, hi) => `${f} 必须在 ${lo} 到 ${hi} 之间。`, broken: "这个小工具没能加载：",
          print: "这里是一个交互演示，请在网页上操作：" },
    en: { empty: (f) => `Please fill in ${f}.`, integer: (f) => `${f} must be a whole number.`,
          range: (f, lo, hi) => `${f} must be between ${lo} and ${hi}.`, broken: "This widget could not load: ",
          print: "An interactive demo goes here; try it on the web page: " },
  };
  /** Why a field was refused (see RNNShapes.check), in `lang`. */
  const problem = (p, lang) => REFUSED[lang][p.reason](p.field, grouped(p.min), grouped(p.max));

  /** The whole numbers in `fields` (numberField's) named `names`, each checked by RNNShapes.check: {name: n},
   *  with `error` hidden and `result` shown; or, when any is refused, null, with the refusals listed in `error`
   *  (after the text `invalid`, in `lang`) and `result` hidden. Each field's aria-invalid says which. */
  function readFields(fields, names, { error, result, invalid, lang }) {
    const problems = [], values = {};
    for (const name of names) {
      const input = fields[name].input, p = RNNShapes.check(name, input.value);
      input.setAttribute("aria-invalid", String(Boolean(p)));
      if (p) problems.push(p);
      else values[name] = Number(input.value.trim());
    }
    if (problems.length) error.replaceChildren(invalid, el("ul", {}, problems.map((p) => el("li", {}, problem(p, lang)))));
    error.hidden = !problems.length;
    result.hidden = Boolean(problems.length);
    return problems.length ? null : values;
  }

  /** An RNNShapes result's parameters as a table (name, shape, count) with their total; `headers`: the
   *  three column titles, `total`: the last row's. */
  function paramTable(r, headers, total) {
    return el("table", { class: "rnn-widget__table" },
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))),
      el("tbody", {}, r.params.map((p) =>
        el("tr", { "data-param": p.name }, el("td", {}, el("code", {}, p.name)),
           el("td", {}, el("code", {}, shapeText(p.shape))), el("td", { class: "rnn-widget__num" }, grouped(p.count))))),
      el("tfoot", {}, el("tr", {}, el("th", { colspan: "2" }, total),
        el("td", { class: "rnn-widget__num rnn-widget__total" }, grouped(r.total)))));
  }

  /** A labelled text field for a whole number; `oninput` runs on every edit. */
  function numberField(name, value, oninput) {
    const id = `w${Math.random().toString(36).slice(2, 9)}-${name}`;
    const input = el("input", { id, type: "text", inputmode: "numeric", autocomplete: "off",
                                spellcheck: "false", name, value: String(value), oninput });
    return { input, node: el("label", { class: "rnn-widget__field", for: id }, el("code", {}, name), input) };
  }

  const cache = {};
  /** The JSON file at `file` under the site root, fetched once per visit (a failure may be retried). */
  function data(file) {
    if (!cache[file]) {
      cache[file] = fetch(new URL(file, site)).then((r) => {
        if (!r.ok) throw new Error(`${r.status} ${file}`);
        return r.json();
      });
      cache[file].catch(() => delete cache[file]);
    }
    return cache[file];
  }

  /** Show a loading line in `root` (aria-busy while it loads), then call build(json) with its data-src file,
   *  or say why it failed. */
  function withData(root, text, build) {
    const status = el("p", { class: "rnn-widget__note" }, text.loading);
    root.append(status);
    root.setAttribute("aria-busy", "true");    // until its data came (the tests and the PDF wait for it)
    data(root.dataset.src).then((d) => {
      status.remove();
      build(d);
    }, (err) => {
      status.textContent = text.failed + err.message;
      status.classList.add("rnn-widget__error");
    }).finally(() => root.removeAttribute("aria-busy"));
  }

  // --- widgets and page hooks -----------------------------------------------------------------------
  const builders = {};
  const hooks = [];
  // {name: the data-* attributes (without "data-") that its markup may carry}: anything else is a mistake
  // (a typo, or a setting the widget does not have), shown where the widget would be. The lesson checker reads
  // these declarations too (book/quizzes.py runs the widget files in Node).
  const declared = {};
  const declare = (name, attributes) => { declared[name] = attributes; };
  const register = (name, build, attributes = []) => { builders[name] = build; declare(name, attributes); };
  const onPage = (hook) => { hooks.push(hook); };
  /** The data-* attributes of `div` (as written: "data-cells") that are not among `attributes`. */
  const unknownAttributes = (div, attributes) => Object.keys(div.dataset)
    .map((key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))
    .filter((name) => !attributes.includes(name)).map((name) => `data-${name}`);

  function buildAll(root) {
    const lang = language();
    for (const div of root.querySelectorAll(".rnn-widget[data-widget]")) {
      if (div.dataset.ready) continue;
      const name = div.dataset.widget, build = builders[name];
      div.dataset.ready = "1";
      // on paper (print.css), the widget is this note and where to find it: the page's published address
      const note = el("p", { class: "rnn-widget__print" }, REFUSED[lang].print, published());
      try {
        if (!build) throw new Error(`no widget is called "${name}" (data-widget)`);
        const unknown = unknownAttributes(div, ["widget", "ready", ...declared[name]]);
        if (unknown.length) throw new Error(`${name} does not read ${unknown.join(", ")}`);
        build(div, lang);
      } catch (err) {
        div.textContent = REFUSED[lang].broken + err.message;
        console.error(err);
      }
      div.append(note);
    }
    for (const hook of hooks) hook(root, lang);
  }

  // Material gives every code block a toolbar (<nav class="md-code__nav">, the copy button): a page holds
  // many navigation landmarks, each needs a name of its own (axe-core: landmark-unique).
  const CODE = { zh: "代码", en: "Code" };
  onPage((root, lang) => {
    root.querySelectorAll("nav.md-code__nav").forEach((nav, i) => nav.setAttribute("aria-label", `${CODE[lang]} ${i + 1}`));
  });

  window.Book = { site, published, languages, names: settings.names || {}, language, path, url,
                  library: settings.library || [], runner: settings.runner || {}, el, svg, grouped, shapeText, fixed, problem, numberField, readFields,
                  paramTable, data, withData, register, declare, unknownAttributes, onPage };
  // The other scripts load after this one; build once they have all registered, and after every page change.
  const start = () => document$.subscribe(() => buildAll(document.body));
  if (document.readyState === "loading") window.addEventListener("DOMContentLoaded", start);
  else setTimeout(start);
})();

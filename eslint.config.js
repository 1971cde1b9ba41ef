// `make lint` for the JavaScript (eslint, pinned in package.json): the recommended rules, with the globals
// each kind of file really has. Zero findings is the bar (make test runs it).
const js = require("@eslint/js");
const globals = require("globals");

const book = { document$: "readonly", Book: "readonly", RNNShapes: "readonly" };   // Material's, and ours

module.exports = [
  js.configs.recommended,
  { ignores: ["node_modules/", "site/", ".cache/", ".venv/", ".venv-pyodide/", "test-artifacts/"] },
  {
    files: ["docs/javascripts/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.browser, ...book } },
  },
  { files: ["docs/javascripts/widgets/rnn-shapes.js"], languageOptions: { globals: { module: "writable" } } },
  {
    files: ["docs/javascripts/runner-worker.js", "docs/javascripts/runner-snapshot.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.worker } },
  },
  {   // the offline copy's service worker (sw.js imports offline-cache.js, which defines BookOffline, and this)
    files: ["docs/javascripts/offline-sw.js"],
    languageOptions: { globals: { ...globals.serviceworker, BookOffline: "readonly" } },
  },
  { files: ["**/*.cjs", "eslint.config.js"], languageOptions: { sourceType: "commonjs", globals: globals.node } },
  { files: ["book/**/*.mjs"], languageOptions: { sourceType: "module", globals: globals.node } },   // run by node
];

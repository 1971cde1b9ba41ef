// Render TeX to HTML with the pinned KaTeX, for hooks/katex.py.
// stdin: JSON [[tex, displayMode], ...]; stdout: JSON [html, ...]. A bad formula exits 1 naming it.
const katex = require("katex");
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, displayMode]) => {
    try {
      return katex.renderToString(tex, { displayMode, throwOnError: true });
    } catch (error) {
      console.error(`KaTeX cannot render ${JSON.stringify(tex)}: ${error.message}`);
      process.exit(1);
    }
  });
  process.stdout.write(JSON.stringify(out));
});

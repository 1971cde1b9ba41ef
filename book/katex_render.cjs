// Render TeX to HTML with the pinned KaTeX of the book it runs in (the working directory), for book/katex.py.
// stdin: JSON [[tex, displayMode], ...]; stdout: JSON [html, ...]. A bad formula exits 1 naming it.
const katex = require(require.resolve("katex", { paths: [process.cwd()] }));
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

// Render TeX to HTML with the pinned KaTeX of the book it runs in (the working directory), for book/katex.py.
// A small server on stdin/stdout, so that one node process serves a whole build: each request is one line of
// JSON [[tex, displayMode], ...], each answer one line, {"html": [...]} or {"error": "KaTeX cannot render ..."}.
const katex = require(require.resolve("katex", { paths: [process.cwd()] }));
const readline = require("node:readline");

function render(formulas) {
  const html = [];
  for (const [tex, displayMode] of formulas) {
    try {
      html.push(katex.renderToString(tex, { displayMode, throwOnError: true }));
    } catch (error) {
      return { error: `KaTeX cannot render ${JSON.stringify(tex)}: ${error.message}` };
    }
  }
  return { html };
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  process.stdout.write(JSON.stringify(render(JSON.parse(line))) + "\n");
});

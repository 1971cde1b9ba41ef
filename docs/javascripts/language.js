// The language selector must land on the same page in the other language.
// static-i18n writes those links at build time, but Material's instant navigation
// keeps the header of the first page: recompute them after every page change.
// Layout: Chinese at the site root, every other language under /<lang>/.
document$.subscribe(() => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const lang = document.documentElement.lang;
  const langRoot = new URL(config.base + "/", location.href);       // "/" or "/en/"
  const siteRoot = lang === "zh" ? langRoot : new URL("../", langRoot);
  const page = location.href.slice(langRoot.href.length);           // "lessons/02-rnn-cell/"
  for (const link of document.querySelectorAll("a.md-select__link[hreflang]")) {
    const target = link.hreflang === "zh" ? siteRoot : new URL(link.hreflang + "/", siteRoot);
    link.href = new URL(page.split("#")[0], target).href;
  }
});

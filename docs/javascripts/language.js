// The language selector must land on the same page in the other language.
// static-i18n writes those links at build time, but Material's instant navigation
// keeps the header of the first page: recompute them after every page change.
// Layout: Chinese at the site root, every other language under /<lang>/.
document$.subscribe(() => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const siteRoot = new URL(config.base + "/", location.href).href;   // config.base is the site root
  const prefix = (lang) => (lang === "zh" ? "" : lang + "/");
  const page = location.href.split("#")[0].slice(siteRoot.length + prefix(document.documentElement.lang).length);
  for (const link of document.querySelectorAll("a.md-select__link[hreflang]")) {
    link.href = siteRoot + prefix(link.hreflang) + page;
  }
});

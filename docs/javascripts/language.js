// The language selector lands on the same page in the other language. Its links (extra.alternate in
// mkdocs.yml) are the language roots, which Material's instant navigation needs; after every page
// change, point each at the current page in its language.
document$.subscribe(() => {
  for (const link of document.querySelectorAll("a.md-select__link[hreflang]")) {
    link.href = Book.url(link.hreflang, Book.path());
  }
});

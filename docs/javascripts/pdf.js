// "Download PDF": the whole book in the page's language, one file (book/pdf.py), linked with its size from the
// home page (<div class="book-pdf"></div>) and from every page's footer (overrides/partials/copyright.html).
//
// `make pdf` prints the PDFs from the built site, then writes their files and sizes into the built copy of this
// script (PDFS), as the deploy workflow does. A site built without them (`make serve`, the tests' site) has
// PDFS = {} and shows no link: never one to a file that is not there.
(() => {
  const PDFS = {};   // {lang: [file under the site root, bytes]}: {} here, the PDFs' in a site after `make pdf`
  const { el } = Book;
  const MB = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
  const TEXT = {
    zh: { link: (size) => `下载 PDF（${size}）`,
          home: "整本书（目录、首页、八课连同练习答案、关于）合成一个 PDF，可以打印，也可以离线阅读：" },
    en: { link: (size) => `Download PDF (${size})`,
          home: "The whole book (contents, home page, the eight lessons with their answers, about) as one PDF, to "
                + "print or to read offline: " },
  };

  Book.onPage((root, lang) => {
    const pdf = PDFS[lang];
    for (const box of document.querySelectorAll(".book-pdf")) {
      box.hidden = !pdf;
      if (!pdf) continue;
      const link = el("a", { class: "book-pdf__link", href: new URL(pdf[0], Book.site).href, type: "application/pdf",
                             download: pdf[0].split("/").pop() }, TEXT[lang].link(MB(pdf[1])));
      box.replaceChildren(...(box.classList.contains("book-pdf--footer") ? [link] : [TEXT[lang].home, link]));
    }
  });
})();

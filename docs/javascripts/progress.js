// "Continue where you left off", on the home page (<div class="book-progress"></div>): the last lesson read, with a
// link to it, and how many exercises of each lesson are answered, from what this browser already keeps; and a
// control that forgets it all. Nothing is sent anywhere: it is all localStorage, read and written here.
//
//   rnn-basics:last                    the last lesson page read: {path: "lessons/05-embedding/", at: time}, written
//                                      on every lesson page (its path under the language's root: one for both)
//   rnn-basics:quiz:<path>#<exercise>  an exercise's answer (widgets/quiz.js, Book.QUIZ_PREFIX)
//
// The lessons, their titles and how many exercises each has come from the home page's list of lessons
// (book/pages.py: lesson_cards, data-path and data-exercises), so no lesson is named here.
(() => {
  const { el } = Book;
  const PREFIX = "rnn-basics:";
  const LAST = `${PREFIX}last`;
  const TEXT = {
    zh: {
      title: "继续上次的阅读", last: "上次读到：", lesson: (n) => `第 ${n} 课`, go: "继续阅读",
      answered: (a, n) => `已答 ${a} / ${n} 题`, exercises: "练习：", colon: "：",
      note: "这些记录只保存在这个浏览器里，不会发送到任何地方。", forget: "忘掉我的进度",
      forgotten: "已经忘掉：这个浏览器里不再有本书的阅读记录。",
    },
    en: {
      title: "Continue where you left off", last: "Last read: ", lesson: (n) => `Lesson ${n}`, go: "Continue reading",
      answered: (a, n) => `${a} of ${n} answered`, exercises: "Exercises: ", colon: ": ",
      note: "This is kept in this browser only, and sent nowhere.", forget: "Forget my progress",
      forgotten: "Forgotten: this browser keeps no reading record of this book any more.",
    },
  };

  const store = {
    keys() {
      try { return Object.keys(localStorage).filter((key) => key.startsWith(PREFIX)); } catch { return []; }
    },
    get(key) {
      try { return JSON.parse(localStorage.getItem(key)); } catch { return null; }
    },
    set(key, value) {
      try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* private mode: no memory */ }
    },
    forget() {
      for (const key of store.keys()) try { localStorage.removeItem(key); } catch { /* nothing kept */ }
    },
  };

  /** The home page's lessons: [{n, path, title, href, exercises}]. */
  const lessons = (root) => [...root.querySelectorAll(".book-lesson__text[data-path]")].map((card, i) => {
    const link = card.querySelector("a");
    return { n: i + 1, path: card.dataset.path, title: link.textContent, href: link.href,
             exercises: Number(card.dataset.exercises || 0) };
  });

  function render(box, root, lang, said = "") {
    const t = TEXT[lang];
    const quiz = Book.QUIZ_PREFIX || `${PREFIX}quiz:`;
    const keys = store.keys();
    const last = store.get(LAST);
    const all = lessons(root);
    const read = last && all.find((lesson) => lesson.path === last.path);
    const answered = all.map((lesson) => [lesson, keys.filter((key) => key.startsWith(`${quiz}${lesson.path}#`)).length])
      .filter(([lesson, a]) => a > 0 && lesson.exercises > 0);
    const status = el("p", { class: "book-progress__status", role: "status" }, said);
    if (!read && !answered.length) {
      box.hidden = !said;
      box.replaceChildren(status);
      return;
    }
    const name = (lesson) => `${t.lesson(lesson.n)} · ${lesson.title}`;
    box.hidden = false;
    box.replaceChildren(
      el("p", { class: "book-progress__title" }, t.title),
      read ? el("p", { class: "book-progress__last" }, t.last, el("strong", {}, name(read)), " ",
                el("a", { class: "book-progress__continue", href: read.href }, `${t.go} →`)) : "",
      answered.length ? el("div", { class: "book-progress__exercises" }, el("span", {}, t.exercises),
        el("ul", {}, answered.map(([lesson, a]) => el("li", { "data-path": lesson.path },
          el("a", { href: lesson.href }, name(lesson)), t.colon,
          t.answered(Math.min(a, lesson.exercises), lesson.exercises))))) : "",
      el("p", { class: "book-progress__note" }, t.note, " ",
         el("button", { type: "button", class: "book-progress__forget", onclick: () => {
           store.forget();
           render(box, root, lang, t.forgotten);
           box.focus();                      // the button is gone: the panel, which says what happened, holds focus
         } }, t.forget)),
      status);
  }

  Book.onPage((root, lang) => {
    const path = Book.path();
    if (path.startsWith("lessons/")) store.set(LAST, { path, at: Date.now() });
    for (const box of root.querySelectorAll(".book-progress")) {
      box.tabIndex = -1;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", TEXT[lang].title);
      render(box, root, lang);
    }
  });
})();

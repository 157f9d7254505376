// samhandling docs: search over window.SAMHANDLING_INDEX (assets/search-index.js) with
// MiniSearch (assets/minisearch.js). Works from file:// because both are plain scripts.
(function () {
  "use strict";
  var box = document.getElementById("search-results");
  if (!box || typeof MiniSearch === "undefined" || !window.SAMHANDLING_INDEX) { return; }
  var lang = document.documentElement.lang === "en" ? "en" : "nb";
  var input = document.getElementById("q-page");
  var tokenize = MiniSearch.getDefault("tokenize");
  var search = new MiniSearch({
    fields: ["label_nb", "label_en", "alt", "code", "definition_nb", "definition_en"],
    storeFields: ["path", "label_nb", "label_en", "kind_nb", "kind_en", "code"],
    // a code stays whole ("20.30", "IT08") as well as in its parts
    tokenize: function (text, field) {
      return field === "code" ? [text].concat(text.split(/[.\s]+/)) : tokenize(text);
    },
    processTerm: function (term) { return term.normalize("NFC").toLowerCase(); },
    searchOptions: {
      prefix: true,
      fuzzy: function (term) { return term.length > 4 ? 0.2 : false; },
      boost: { label_nb: 3, label_en: 3, alt: 2, code: 3 },
      combineWith: "AND"
    }
  });
  search.addAll(window.SAMHANDLING_INDEX);

  function show(query) {
    while (box.firstChild) { box.removeChild(box.firstChild); }
    query = (query || "").trim();
    if (!query) { return; }
    var hits = search.search(query).slice(0, 100);
    var status = document.createElement("p");
    status.textContent = hits.length ? hits.length + " " + box.dataset.hits : box.dataset.none;
    box.appendChild(status);
    var list = document.createElement("ul");
    list.className = "hits";
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.path;
      link.textContent = hit["label_" + lang];
      item.appendChild(link);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " · " + hit["kind_" + lang] + (hit.code ? " · " + hit.code : "");
      item.appendChild(kind);
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  if (input) {
    input.value = query;
    input.addEventListener("input", function () { show(input.value); });
  }
  show(query);
})();

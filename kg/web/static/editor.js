// The query editor of `coopgraph serve`: YASGUI (vendored, see vendor/yasgui/README.md)
// on this server's /sparql, with the canned queries in a picker. Nothing here asks any
// other host: YASQE's class and property completers (which ask lov.linkeddata.es) are
// off, and prefixes come from the list bundled in yasgui.min.js.
(function () {
  "use strict";
  var canned = JSON.parse(document.getElementById("canned").textContent);
  var byName = {};
  canned.forEach(function (q) { byName[q.name] = q; });
  var endpoint = new URL("/sparql", window.location.href).href;

  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderGraph: "text/turtle,*/*;q=0.9",
    },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
  });

  var picker = document.getElementById("picker");
  var about = document.getElementById("about");

  function open(name, newTab) {
    var q = byName[name];
    if (!q) { return null; }
    var tab = newTab ? yasgui.addTab(true, { name: q.title }) : yasgui.getTab();
    tab.setName(q.title);
    tab.setEndpoint(endpoint);
    tab.setQuery(q.query);
    about.textContent = q.description;
    picker.value = name;
    return tab;
  }

  picker.addEventListener("change", function () {
    if (picker.value) { open(picker.value, true); }
  });
  document.getElementById("run").addEventListener("click", function () {
    yasgui.getTab().query();
  });
  // result IRIs under the coopgraph base open this server's page of the resource
  var BASE = "https://w3id.org/coopgraph/";
  document.getElementById("yasgui").addEventListener("click", function (event) {
    var a = event.target.closest("a[href]");
    if (!a || a.href.indexOf(BASE) !== 0) { return; }
    event.preventDefault();
    var rest = a.href.slice(BASE.length);
    var local = /[#?]/.test(rest) ? "/resource?iri=" + encodeURIComponent(a.href) : "/" + rest;
    window.open(local, a.target || "_self");
  }, true);

  var first = decodeURIComponent(window.location.hash.slice(1)) || "action-summary";
  open(first, false);
  window.coopgraphEditor = { yasgui: yasgui, open: open };
})();

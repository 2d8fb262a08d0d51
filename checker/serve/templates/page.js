
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("upload-form");
  var input = document.getElementById("files");
  var drop = document.getElementById("drop");
  var say = document.getElementById("client-status");

  function size(n) {
    return n >= 1048576 ? (n / 1048576).toFixed(1).replace(/\.0$/, "") + " MB" : Math.max(1, Math.round(n / 1024)) + " KB";
  }
  function tell(text, bad) {
    say.textContent = text;
    say.className = "client-status" + (bad ? " error" : "");
  }
  // the limits are checked again by the server; here they save sending what it would refuse
  function send() {
    var files = input.files;
    if (!files || !files.length) { return; }
    var maxUpload = Number(form.getAttribute("data-max-upload"));
    var maxFiles = Number(form.getAttribute("data-max-files"));
    var total = 0;
    for (var i = 0; i < files.length; i++) { total += files[i].size; }
    var refused = files.length > maxFiles
      ? "一次最多上传 " + maxFiles + " 个文件（本次 " + files.length + " 个）；请分批上传"
      : total > maxUpload
        ? "所选文件合计 " + size(total) + "，超过每次上传的上限 " + size(maxUpload) + "；请分批上传"
        : "";
    if (refused) {
      tell(refused, true);
      input.value = "";      // choosing the same files again is a new choice
      return;
    }
    tell("正在检查 " + files.length + " 个文件……", false);
    form.classList.add("busy");
    form.submit();
  }
  input.addEventListener("change", send);
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      send();
    }
  });
  // a file dropped beside the box is not opened by the browser in place of the page
  window.addEventListener("dragover", function (e) { e.preventDefault(); });
  window.addEventListener("drop", function (e) { e.preventDefault(); });

  // a finding's line number opens the full text at that line
  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a.to-line") : null;
    if (!link) { return; }
    var line = document.getElementById(link.getAttribute("href").slice(1));
    if (!line) { return; }
    e.preventDefault();
    line.closest("details").open = true;
    line.scrollIntoView({block: "center"});
    line.classList.add("flash");
    setTimeout(function () { line.classList.remove("flash"); }, 1500);
  });

  // a finding's rule code shows the rule's explanation under the finding (without the
  // script, the code links to the explanation at the end of the page)
  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a.explain-toggle") : null;
    if (!link) { return; }
    e.preventDefault();
    var slot = link.parentNode.querySelector(".explain-slot");
    if (!slot.firstChild) {
      var rule = document.getElementById("rule-" + link.getAttribute("data-code"));
      var text = rule ? rule.querySelector(".explain-text") : null;
      if (!text) { return; }
      slot.appendChild(text.cloneNode(true));
    }
    slot.hidden = !slot.hidden;
    link.setAttribute("aria-expanded", slot.hidden ? "false" : "true");
  });
})();

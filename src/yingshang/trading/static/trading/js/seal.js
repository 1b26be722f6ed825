/* Sealing a bid in the browser: the YSBID1 format of src/yingshang/trading/sealing.py, with WebCrypto.
 *
 * The bid file is read in 1 MiB slices (Blob.slice), each encrypted with AES-256-GCM under a key made
 * here; the key never leaves the browser except as the key file the bidder downloads and keeps. Only the
 * sealed Blob is uploaded. Layout (see sealing.py): MAGIC · header length (4, BE) · header JSON · chunks;
 * chunk i: nonce = nonce8 ‖ i (4, BE), AAD = header ‖ (0x01 last / 0x00 not); payload = "YSBIDDOC1\n" ·
 * price sheet length (4, BE) · price sheet JSON · name length (2, BE) · name · file bytes.
 */
(function () {
  "use strict";
  var MAGIC = "YSBID1\n", PAYLOAD_MAGIC = "YSBIDDOC1\n", CHUNK = 1 << 20, MAX_NAME = 500;
  var encoder = new TextEncoder();

  function uint(n, bytes) {
    var out = new Uint8Array(bytes), view = new DataView(out.buffer);
    if (bytes === 4) { view.setUint32(0, n, false); } else { view.setUint16(0, n, false); }
    return out;
  }

  function concat(parts) {
    var size = 0, pos = 0, i;
    for (i = 0; i < parts.length; i++) { size += parts[i].length; }
    var out = new Uint8Array(size);
    for (i = 0; i < parts.length; i++) { out.set(parts[i], pos); pos += parts[i].length; }
    return out;
  }

  function base64(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }
    return btoa(text);
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  async function keyCheck(raw) {
    var digest = await crypto.subtle.digest("SHA-256", concat([encoder.encode("YSBID1-check"), raw]));
    return hex(digest).slice(0, 32);
  }

  function headerBytes(chunk, nonce, check) {
    // Same keys, order and compact separators as sealing._header_bytes: the header is authenticated as bytes.
    return encoder.encode(JSON.stringify({v: 1, alg: "AES-256-GCM", chunk: chunk, nonce: base64(nonce), check: check}));
  }

  function payloadPrefix(sheet, filename) {
    var sheetBytes = encoder.encode(JSON.stringify(sheet));
    var name = encoder.encode(filename).slice(0, MAX_NAME);
    return concat([encoder.encode(PAYLOAD_MAGIC), uint(sheetBytes.length, 4), sheetBytes, uint(name.length, 2), name]);
  }

  // Bytes [start, end) of prefix ‖ file, reading only that slice of the file.
  async function readRange(prefix, file, start, end) {
    var out = new Uint8Array(end - start), pos = 0;
    if (start < prefix.length) {
      var head = prefix.subarray(start, Math.min(end, prefix.length));
      out.set(head, 0);
      pos = head.length;
    }
    var from = Math.max(0, start - prefix.length), to = end - prefix.length;
    if (to > from) { out.set(new Uint8Array(await file.slice(from, to).arrayBuffer()), pos); }
    return out;
  }

  async function sealWithKeyText(sheet, file, onProgress) {
    var raw = crypto.getRandomValues(new Uint8Array(32));
    var keyText = JSON.stringify({format: "YSBID1-key", key: base64(raw), check: await keyCheck(raw)});
    var blob = await sealWith(raw, sheet, file, onProgress);
    raw.fill(0);
    return {blob: blob, keyText: keyText};
  }

  async function sealWith(raw, sheet, file, onProgress) {
    var key = await crypto.subtle.importKey("raw", raw, {name: "AES-GCM"}, false, ["encrypt"]);
    var nonce = crypto.getRandomValues(new Uint8Array(8));
    var header = headerBytes(CHUNK, nonce, await keyCheck(raw));
    var prefix = payloadPrefix(sheet, file.name);
    var total = prefix.length + file.size, count = Math.max(1, Math.ceil(total / CHUNK));
    var parts = [encoder.encode(MAGIC), uint(header.length, 4), header];
    for (var i = 0; i < count; i++) {
      var last = i === count - 1;
      var plain = await readRange(prefix, file, i * CHUNK, Math.min(total, (i + 1) * CHUNK));
      var sealed = await crypto.subtle.encrypt(
        {name: "AES-GCM", iv: concat([nonce, uint(i, 4)]), additionalData: concat([header, new Uint8Array([last ? 1 : 0])]),
         tagLength: 128}, key, plain);
      parts.push(new Blob([sealed]));  // a Blob per chunk: the browser may keep big files out of memory
      if (onProgress) { onProgress(i + 1, count); }
    }
    return new Blob(parts, {type: "application/octet-stream"});
  }

  function offerKey(text, filename) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], {type: "application/json"}));
    link.download = filename;
    link.textContent = "再次下载密钥文件";
    link.setAttribute("data-key-link", "");
    document.body.appendChild(link);
    link.click();
  }

  function sheetOf(form) {
    var sheet = {};
    form.querySelectorAll("[data-sheet]").forEach(function (input) {
      var value = input.value.trim();
      sheet[input.getAttribute("data-sheet")] = input.getAttribute("data-sheet") === "duration" && /^\d+$/.test(value)
        ? parseInt(value, 10) : value;
    });
    return sheet;
  }

  function bind(form) {
    var error = document.getElementById("bid-error"), progress = document.getElementById("bid-progress");
    var button = form.querySelector("[data-seal-button]");
    function fail(message) { error.textContent = message; error.hidden = false; button.disabled = false; }

    form.addEventListener("submit", async function (event) {
      if (event.submitter && event.submitter.name === "direct") { return; }  // a file sealed on the command line
      event.preventDefault();
      var file = form.querySelector("[data-plain]").files[0];
      var sheet = sheetOf(form);
      if (!file) { return fail("请选择投标文件"); }
      if (!/^\d+(\.\d{1,2})?$/.test(String(sheet.price))) { return fail("请填写投标报价（元，最多两位小数）"); }
      if (!window.crypto || !crypto.subtle) {
        return fail("当前浏览器不支持加密（需 HTTPS），请使用 yingshang bid seal 加密后上传");
      }
      button.disabled = true;
      error.hidden = true;
      try {
        var sealed = await sealWithKeyText(sheet, file, function (done, total) {
          progress.textContent = "正在加密：" + done + " / " + total;
        });
        offerKey(sealed.keyText, file.name + ".key");
        progress.textContent = "加密完成，已下载密钥文件，请妥善保管。正在递交……";
        var data = new FormData(), token = form.querySelector("[name=csrfmiddlewaretoken]").value;
        data.append("csrfmiddlewaretoken", token);
        var replaces = form.querySelector("[name=replaces]");
        if (replaces) { data.append("replaces", replaces.value); }
        data.append("sealed", sealed.blob, file.name + ".ysbid");
        var response = await fetch(form.getAttribute("action") || window.location.href, {
          method: "POST", body: data, credentials: "same-origin",
          headers: {"Accept": "application/json", "X-CSRFToken": token}});
        var body = await response.json().catch(function () { return {message: "递交失败（" + response.status + "），请重试"}; });
        if (response.ok && body.next) { window.location.assign(body.next); return; }
        progress.textContent = "";
        fail(body.message || "递交失败，请重试");
      } catch (exc) {
        progress.textContent = "";
        fail("加密或递交失败：" + exc);
      }
    });
  }

  window.YSBID1 = {seal: sealWithKeyText, CHUNK: CHUNK};
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-seal-form]");
    if (form) { bind(form); }
  });
})();

// Activates a packaged journeylang extension in plain Node, with a stub of `vscode` and of
// the language client's class, and prints as JSON what the extension asked of them.
"use strict";

const Module = require("module");
const path = require("path");

const extension = process.argv[2];
const seen = { clients: [] };

const vscode = {
  workspace: { getConfiguration: () => ({ get: (key, fallback) => fallback }) },
};

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    this.record = { id, name, serverOptions, clientOptions, started: false, stopped: false };
    seen.clients.push(this.record);
  }
  start() { this.record.started = true; return Promise.resolve(); }
  stop() { this.record.stopped = true; return Promise.resolve(); }
}

// the real client library must ship inside the package
seen.languageclient = path.relative(
  extension, require.resolve("vscode-languageclient/node", { paths: [extension] }));

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") return { LanguageClient };
  return load.call(this, request, ...rest);
};

const manifest = require(path.join(extension, "package.json"));
const main = require(path.join(extension, manifest.main));
const context = { subscriptions: [] };
Promise.resolve(main.activate(context))
  .then(() => main.deactivate())
  .then(() => {
    seen.subscriptions = context.subscriptions.length;
    process.stdout.write(JSON.stringify(seen));
  });

// The journeylang extension: the grammar and settings come from package.json; this starts the
// language server (`journey lsp`, see docs/lsp.md) for .journey files.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const settings = vscode.workspace.getConfiguration("journeylang");
  return { command: settings.get("server.path", "journey"), args: ["lsp"] };
}

function activate(context) {
  client = new LanguageClient("journey", "journeylang", serverOptions(), {
    documentSelector: [{ scheme: "file", language: "journey" },
                       { scheme: "untitled", language: "journey" }],
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  const stopping = client ? client.stop() : undefined;
  client = undefined;
  return stopping;
}

module.exports = { activate, deactivate };

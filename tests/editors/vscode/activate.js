// Activates a packaged journeylang extension in plain Node: its bundle, with the real language
// client inside, against a stand-in for the `vscode` API. The client starts the server as
// VS Code would (the real `journey lsp`), initializes it, then stops it when the extension is
// deactivated. Prints as JSON what was started, what the client said and what the server
// answered.
"use strict";

const childProcess = require("child_process");
const Module = require("module");
const path = require("path");

const extension = process.argv[2];
const seen = { spawned: [], sent: [], capabilities: false, exit: null, errors: [] };

// The few values the client reads as such; every other name of the API is a stand-in that is
// at once a function, a class and an object, whose calls and members are more stand-ins.
const VALUES = {
  "vscode.version": "1.90.0",
  "vscode.env.appName": "Visual Studio Code",
  "vscode.env.language": "en",
  "vscode.workspace.workspaceFolders": undefined,
};

function standIn(name) {
  if (name in VALUES) return VALUES[name];
  return new Proxy(function () {}, {
    get(_, key) {
      if (key === "then") return undefined; // not a promise
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => name;
      if (key === "get") return (setting, fallback) => fallback; // settings: their defaults
      return standIn(`${name}.${String(key)}`);
    },
    apply() { return standIn(`${name}()`); },
    construct() { return standIn(`new ${name}`); },
  });
}

// Listen to the server the client starts.
const spawn = childProcess.spawn;
childProcess.spawn = function (command, args, options) {
  seen.spawned.push({ command, args });
  const server = spawn.call(this, command, args, options);
  let answered = "";
  server.stdout.on("data", (data) => {
    answered += String(data);
    seen.capabilities = /"result":\s*\{"capabilities":/.test(answered); // initialize's answer
  });
  const write = server.stdin.write.bind(server.stdin);
  server.stdin.write = (chunk, ...rest) => {
    for (const found of String(chunk).matchAll(/"method":"([^"]+)"/g)) seen.sent.push(found[1]);
    return write(chunk, ...rest);
  };
  server.on("exit", (code) => { seen.exit = code; });
  return server;
};

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === "vscode") return standIn("vscode");
  return load.call(this, request, ...rest);
};

function report() {
  process.stdout.write(JSON.stringify(seen));
  process.exit(0);
}

process.on("unhandledRejection", (error) => { seen.errors.push(String(error)); });
setTimeout(() => { seen.errors.push("timed out"); report(); }, 30000);

const manifest = require(path.join(extension, "package.json"));
seen.main = manifest.main;
const main = require(path.join(extension, manifest.main));
const context = { subscriptions: [], extensionPath: extension };
Promise.resolve()
  .then(() => main.activate(context))
  .then(() => { seen.started = true; })
  .then(() => main.deactivate())
  .then(() => { seen.stopped = true; })
  .catch((error) => { seen.errors.push(String(error)); })
  .then(() => new Promise((resolve) => setTimeout(resolve, 500))) // the server's exit
  .then(report);

// Starts `gostatic lsp` for Go files. gopls keeps running: VS Code shows both servers' diagnostics,
// each under its own source ("gostatic" here).
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const command = vscode.workspace.getConfiguration("gostatic").get<string>("path") || "gostatic";
  return { command, args: ["lsp"] };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "go" }],
    // the server reads the "gostatic" section through workspace/configuration and is told when it changes
    synchronize: { configurationSection: "gostatic" },
  };
  client = new LanguageClient("gostatic", "gostatic", serverOptions(), clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("gostatic.path") && client) {
        await client.stop();
        client = new LanguageClient("gostatic", "gostatic", serverOptions(), clientOptions);
        await client.start();
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}

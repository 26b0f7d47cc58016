/// <reference lib="dom" />
/**
 * The browser test's MCP Apps host page (test-only; bundled by the test with esbuild): an
 * ext-apps `AppBridge` to an iframe holding the `ui://` resource's HTML, sandboxed as hosts do
 * (scripts, no same origin). The app's `tools/call` goes to `window.mcpCallTool`, which the test
 * exposes from Node (its MCP client); the tool input and result of the model's call are sent
 * once the app has initialised.
 */
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { CallToolRequest, CallToolResult } from '@modelcontextprotocol/sdk/types.js';

declare global {
  interface Window {
    mcpCallTool(params: CallToolRequest['params']): Promise<CallToolResult>;
    showApp(html: string, input: Record<string, unknown>, result: CallToolResult): Promise<void>;
  }
}

window.showApp = async (html, input, result) => {
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.style.cssText = 'width:100%;height:520px;border:0;display:block';
  iframe.srcdoc = html;
  document.getElementById('app')?.append(iframe);
  const bridge = new AppBridge(
    null,
    { name: 'qf-test-host', version: '0.0.0' },
    { serverTools: {}, logging: {} },
    { hostContext: { theme: 'dark', displayMode: 'inline' } },
  );
  bridge.oncalltool = (params) => window.mcpCallTool(params);
  bridge.onsizechange = ({ height }) => {
    if (height !== undefined) iframe.style.height = `${height}px`;
  };
  const initialized = new Promise<void>((resolve) => {
    bridge.oninitialized = () => resolve();
  });
  const win = iframe.contentWindow;
  if (win === null) throw new Error('the iframe has no window');
  await bridge.connect(new PostMessageTransport(win, win));
  await initialized;
  await bridge.sendToolInput({ arguments: input });
  await bridge.sendToolResult(result);
};

// The webview's one channel to the extension host. VS Code allows acquireVsCodeApi() once per
// page, so it is called here once; everything else talks to the typed wrapper.
import type { WebviewToHostMessage } from '../shared/webviewProtocol';
import { isRecord } from '../shared/validation';

/** What survives a reload of the webview (VS Code keeps it with the panel). */
export interface PersistedViewState {
  selectedBlockId: string | null;
}

export interface HostChannel {
  post(message: WebviewToHostMessage): void;
  loadViewState(): PersistedViewState;
  saveViewState(state: PersistedViewState): void;
}

// The same rule the host's guard applies to selectBlock, so a restored id is one it will accept.
const BLOCK_ID = /^[a-z0-9_]{1,64}$/i;

export function connectToHost(): HostChannel {
  // acquireVsCodeApi is declared by @types/vscode-webview. The saved state stays `unknown`: it is
  // whatever an earlier version of this page stored, so it is checked before use.
  const api = acquireVsCodeApi<unknown>();
  return {
    post: (message) => api.postMessage(message),
    loadViewState: () => {
      const saved = api.getState();
      const id = isRecord(saved) ? saved.selectedBlockId : null;
      return { selectedBlockId: typeof id === 'string' && BLOCK_ID.test(id) ? id : null };
    },
    saveViewState: (state) => api.setState(state),
  };
}

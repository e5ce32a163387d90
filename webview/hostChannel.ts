// The webview's one channel to the extension host. VS Code allows acquireVsCodeApi() once per
// page, so it is called here once; everything else talks to the typed wrapper.
import { restoreNewRunForm, type NewRunFormState } from '../shared/newRunForm';
import type { WebviewToHostMessage } from '../shared/webviewProtocol';
import { isRecord } from '../shared/validation';

/** What survives the page being dropped (the panel hidden behind another tab, or a reload): VS Code keeps it with the panel. */
export interface PersistedViewState {
  selectedBlockId: string | null;
  /** The New Run form as the user edited it; null while it follows the settings. */
  newRunForm: NewRunFormState | null;
}

export interface HostChannel {
  post(message: WebviewToHostMessage): void;
  loadViewState(): PersistedViewState;
  /** Changes some of the kept state; the rest stays as it was. */
  saveViewState(change: Partial<PersistedViewState>): void;
}

// The same rule the host's guard applies to selectBlock, so a restored id is one it will accept.
const BLOCK_ID = /^[a-z0-9_]{1,64}$/i;

export function connectToHost(): HostChannel {
  // acquireVsCodeApi is declared by @types/vscode-webview. The saved state stays `unknown`: it is
  // whatever an earlier version of this page stored, so it is checked before use.
  const api = acquireVsCodeApi<unknown>();
  const load = (): PersistedViewState => {
    const saved = api.getState();
    const id = isRecord(saved) ? saved.selectedBlockId : null;
    return { selectedBlockId: typeof id === 'string' && BLOCK_ID.test(id) ? id : null, newRunForm: restoreNewRunForm(isRecord(saved) ? saved.newRunForm : null) };
  };
  // setState replaces the whole state, so each change is merged into what is kept.
  let kept = load();
  return {
    post: (message) => api.postMessage(message),
    loadViewState: () => kept,
    saveViewState: (change) => {
      kept = { ...kept, ...change };
      api.setState(kept);
    },
  };
}

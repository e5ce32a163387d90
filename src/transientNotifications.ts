// Notifications that describe a moment of the session ("still training in the background…",
// "training finished…") and must not outlive it. VS Code cannot close a plain message, but it
// closes a progress notification when its promise settles: each one here is a withProgress
// notification whose promise settles as soon as the session state it describes has passed.
import * as vscode from 'vscode';
import type { SessionSnapshot } from '../shared/webviewProtocol';

export interface TransientNotice {
  title: string;
  /** True while the notice still describes the session; it closes the first time this is false. */
  applies(snapshot: SessionSnapshot): boolean;
  /** A live detail line (e.g. the step), refreshed with every session change while it applies. */
  detail?(snapshot: SessionSnapshot): string;
  /** Shows a Cancel button that does this (the notice then closes). */
  onCancel?(): void;
  /** A finished-state notice shows a full bar rather than VS Code's endless progress animation. */
  complete?: boolean;
}

interface SessionView {
  readonly snapshot: SessionSnapshot;
  onDidChange(listener: (snapshot: SessionSnapshot) => void): () => void;
}

export class TransientNotifications implements vscode.Disposable {
  /** Each open notice's re-check (called on session changes and on recheck()) and its close. */
  private readonly open = new Map<() => void, () => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly session: SessionView) {
    this.unsubscribe = session.onDidChange(() => this.recheck());
  }

  /** Re-tests every open notice, for changes the session does not announce (the panel reopened). */
  recheck(): void {
    for (const check of [...this.open.keys()]) check();
  }

  show(notice: TransientNotice): void {
    if (!notice.applies(this.session.snapshot)) return;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: notice.title, cancellable: notice.onCancel !== undefined },
      (progress, token) => new Promise<void>((resolve) => {
        let lastDetail: string | undefined;
        const close = () => {
          this.open.delete(check);
          resolve();
        };
        const check = () => {
          const snapshot = this.session.snapshot;
          if (!notice.applies(snapshot)) return close();
          const detail = notice.detail?.(snapshot);
          if (detail !== lastDetail) {
            lastDetail = detail;
            progress.report({ message: detail });
          }
        };
        if (notice.complete) progress.report({ increment: 100 });
        token.onCancellationRequested(() => {
          close();
          notice.onCancel?.();
        });
        this.open.set(check, close);
        check();
      }),
    );
  }

  /** Closes every open notice (the extension is deactivating). */
  dispose(): void {
    this.unsubscribe();
    for (const close of [...this.open.values()]) close();
  }
}

import { useState, type DragEvent, type KeyboardEvent } from 'react';

/**
 * Takes several files at once: dropped, or chosen with the file dialog (click, Enter or Space).
 */
export function DropZone(props: { onDrop(files: File[]): void; onPick(): void; compact: boolean }) {
  const [over, setOver] = useState(false);

  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = [...e.dataTransfer.files];
    if (files.length > 0) props.onDrop(files);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      props.onPick();
    }
  };

  return (
    <div
      className={`dropzone${over ? ' over' : ''}${props.compact ? ' compact' : ''}`}
      role="button"
      tabIndex={0}
      aria-label="Add export files: drop them here, or press Enter to choose"
      data-testid="dropzone"
      onClick={props.onPick}
      onKeyDown={onKeyDown}
      onDragOver={onDragOver}
      onDragEnter={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="dropzone-icon" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="28" height="28">
          <path
            d="M12 16V4m0 0l-5 5m5-5l5 5M4 16v3a1 1 0 001 1h14a1 1 0 001-1v-3"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      </div>
      <div>
        <div className="dropzone-title">Drop Meta, Google Ads or TikTok exports here</div>
        <div className="dropzone-sub">
          or <span className="link-like">choose files</span> · CSV, tab-separated, Excel (.xlsx) or a .zip of exports, up to 50 MB each ·
          several at once
        </div>
      </div>
    </div>
  );
}

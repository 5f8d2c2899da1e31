import { useEffect } from "preact/hooks";
import type { OpenRequest } from "../protocol";

/** The folder and archive pickers, and drag and drop of either anywhere on the page. */
export function OpenBar({ onOpen, busy }: { onOpen: (source: OpenRequest) => void; busy: boolean }) {
  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      if (e.dataTransfer) void fromDrop(e.dataTransfer).then((req) => req && onOpen(req));
    };
    window.addEventListener("dragover", over);
    window.addEventListener("drop", drop);
    return () => {
      window.removeEventListener("dragover", over);
      window.removeEventListener("drop", drop);
    };
  }, [onOpen]);

  return (
    <div class="open-bar">
      <SourcePickers onOpen={onOpen} busy={busy} />
      {busy && <span class="busy" aria-live="polite">Reading…</span>}
    </div>
  );
}

/**
 * "Open a dump folder…" and "Open an archive…": each hands the page's request to `onOpen`. The
 * diff view uses them for the second checkpoint, with its own labels and test ids (`prefix`).
 */
export function SourcePickers({ onOpen, busy, prefix = "", folderLabel = "Open a dump folder…", archiveLabel = "Open an archive…" }: {
  onOpen: (source: OpenRequest) => void;
  busy: boolean;
  prefix?: string;
  folderLabel?: string;
  archiveLabel?: string;
}) {
  // Set as the element is attached (a ref callback runs in the commit, before anything can use
  // the input): an effect runs later, and a folder picked in between arrived as no files.
  const directoryPicker = (input: HTMLInputElement | null) => input?.setAttribute("webkitdirectory", "");

  const pickedArchive = (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) onOpen({ kind: "archive", label: file.name, blob: file });
  };

  const picked = (e: Event) => {
    const list = (e.currentTarget as HTMLInputElement).files;
    if (!list || list.length === 0) return;
    const files = Array.from(list).map((f) => ({ name: f.webkitRelativePath || f.name, blob: f as Blob }));
    const label = files[0]!.name.split("/")[0] ?? "dump";
    onOpen({ kind: "blobs", label, files });
  };

  return (
    <>
      <label class="button">
        {folderLabel}
        <input ref={directoryPicker} type="file" multiple onChange={picked} disabled={busy} data-testid={`${prefix}folder-input`} />
      </label>
      <label class="button">
        {archiveLabel}
        <input type="file" onChange={pickedArchive} disabled={busy} data-testid={`${prefix}archive-input`} />
      </label>
    </>
  );
}

/** A dropped archive, or the files of a dropped folder walked with the File System entries API. */
async function fromDrop(data: DataTransfer): Promise<OpenRequest | undefined> {
  const single = data.files.length === 1 ? data.files[0] : undefined;
  const first = data.items[0]?.webkitGetAsEntry();
  if (single && first?.isFile) return { kind: "archive", label: single.name, blob: single };
  const entries = Array.from(data.items).map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  const files: { name: string; blob: Blob }[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      files.push({ name: prefix + entry.name, blob: file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const entry of entries) await walk(entry, "");
  if (files.length === 0) return undefined;
  return { kind: "blobs", label: entries[0]!.name, files };
}

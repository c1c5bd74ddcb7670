// A message's attachments. Their bytes need the user's token, so they are fetched, then shown from blob: URLs
// (which the page's policy allows for images): images as previews that open full size, other files as downloads.
import { useEffect, useRef, useState } from "preact/hooks";
import { downloadAttachment } from "../api";

export interface Attachment {
  name?: string;
  contentName?: string;
  contentType?: string;
  attachmentDataRef?: { resourceName?: string };
  driveDataRef?: { driveFileId?: string };
}

const PREVIEWED = /^image\/(png|jpeg|gif|webp|bmp)$/;

function useBlobUrl(resource: string | undefined, wanted: boolean): [string | undefined, string] {
  const [url, setUrl] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState("");
  useEffect(() => {
    if (!resource || !wanted) return;
    let made: string | undefined;
    let live = true;
    downloadAttachment(resource).then((blob) => {
      made = URL.createObjectURL(blob);
      if (live) setUrl(made);
      else URL.revokeObjectURL(made);
    }, (error) => live && setProblem(error.message));
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [resource, wanted]);
  return [url, problem];
}

function ImageAttachment({ attachment }: { attachment: Attachment }) {
  const title = attachment.contentName || "image";
  const [url, problem] = useBlobUrl(attachment.attachmentDataRef?.resourceName, true);
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (open) dialog.current?.showModal();
  }, [open]);
  if (problem) return <p class="problem">{title}: {problem}</p>;
  return (
    <>
      <button type="button" class="attachment-image" aria-label={`Open image ${title}`} onClick={() => setOpen(true)}>
        {url ? <img src={url} alt={title} /> : <span class="muted">Loading {title}…</span>}
      </button>
      {open && url && (
        <dialog ref={dialog} class="modal image-viewer" aria-label={title} onClose={() => setOpen(false)}>
          <img src={url} alt={title} />
          <div class="buttons">
            <a href={url} download={title}>Download</a>
            <button type="button" onClick={() => dialog.current?.close()}>Close</button>
          </div>
        </dialog>
      )}
    </>
  );
}

function FileAttachment({ attachment }: { attachment: Attachment }) {
  const title = attachment.contentName || "file";
  const [problem, setProblem] = useState("");
  async function save() {
    setProblem("");
    try {
      const url = URL.createObjectURL(await downloadAttachment(attachment.attachmentDataRef!.resourceName!));
      const link = document.createElement("a");
      link.href = url;
      link.download = title;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error: any) {
      setProblem(error.message);
    }
  }
  if (!attachment.attachmentDataRef?.resourceName) return <span class="attachment-file">{title} (in Drive)</span>;
  return (
    <span class="attachment-file">
      <button type="button" class="link" onClick={save} aria-label={`Download ${title}`}>{title} ↓</button>
      {problem && <span class="problem"> {problem}</span>}
    </span>
  );
}

export function Attachments({ attachments }: { attachments: Attachment[] }) {
  return (
    <div class="attachments">
      {attachments.map((a, i) => (PREVIEWED.test(a.contentType || "") && a.attachmentDataRef?.resourceName
        ? <ImageAttachment key={a.name || i} attachment={a} />
        : <FileAttachment key={a.name || i} attachment={a} />))}
    </div>
  );
}
